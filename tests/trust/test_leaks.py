"""Nothing unpublished reaches a reader: a crawl of everything an anonymous reader can
reach finds no trace of drafts, articles in review, rejected, approved, scheduled,
expired or withdrawn articles, nor of a live article's unreviewed working copy."""

import hashlib
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from articles.models import Article, Image
from photos import images
from tests.trust.crawler import Crawl
from tests.trust.station import Dressed, Station

pytestmark = pytest.mark.django_db
LIMIT = 600


def would_be_urls(item: Dressed) -> list[str]:
    """Where the article's page is, or would be had it been published today."""
    article = item.article
    days = {timezone.localtime(), timezone.localtime(article.live_article.first_published_at)}
    if article.first_published_at:
        days.add(timezone.localtime(article.first_published_at))
    days.discard(None)
    return [f"/content/{day:%Y/%m/%d}/{article.pk}.html" for day in days]


def seeds(station: Station) -> list[str]:
    """Where a reader starts, and what a curious one types in."""
    paths = ["/", "/robots.txt", "/sitemap.xml", "/sitemap-news.xml", "/feeds/rss/",
             "/feeds/atom/", "/no-such-page/", station.topic.get_absolute_url()]  # fmt: skip
    for channel in station.channels:
        url = channel.get_absolute_url()
        paths += [url, f"{url}?page=2", f"{url}?page=99", f"{url}rss/", f"{url}atom/"]
    for item in [station.control, *station.hidden.values()]:
        paths += [
            f"/search/?q={item.search_id}",
            f"/search/?q={quote(item.words)}",
            f"/tag/{quote(item.tag_slug)}/",
            item.author.get_absolute_url(),
            *would_be_urls(item),
        ]
    return paths


def read_everything(client, station: Station, also=(), english: bool = True) -> list[Crawl]:
    """Crawl in Chinese, then switch the site to English and crawl again."""
    crawls = [Crawl(client, limit=LIMIT).run([*seeds(station), *also])]
    if english:
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        crawls.append(Crawl(client, limit=LIMIT).run([*seeds(station), *also]))
        client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
        assert "Latest articles" in crawls[1].answers["/"].body
    assert not any(crawl.truncated for crawl in crawls)
    return crawls


def leaks(crawls: list[Crawl], markers: list[str]) -> dict[str, list[str]]:
    """Each marker found, with the URLs that showed it."""
    found = {m: sorted({url for crawl in crawls for url in crawl.showing(m)}) for m in markers}
    return {marker: urls for marker, urls in found.items() if urls}


def assert_the_control_is_found(crawls: list[Crawl], station: Station) -> None:
    """The live control shows wherever a hidden article would have leaked: otherwise the
    crawl could not see a leak."""
    control = station.control
    for crawl in crawls:
        shown = set(crawl.showing(control.marker))
        assert {
            control.article.get_absolute_url(),
            f"/tag/{quote(control.tag_slug)}/",
            control.author.get_absolute_url(),
            station.topic.get_absolute_url(),
            "/feeds/rss/",
            "/sitemap-news.xml",
            f"/search/?q={control.search_id}",
        } <= shown
        live = station.live_revision.get_absolute_url()
        assert live in crawl.showing(station.live_revision.title)
        photos = [url for url, a in crawl.answers.items() if url.startswith("/media/photos/")]
        assert photos
        assert all(crawl.answers[url].status == HTTPStatus.OK for url in photos)


def report(record_property, crawls: list[Crawl], markers: list[str], name: str) -> None:
    urls = sum(len(crawl.answers) for crawl in crawls)
    checks = urls * len(markers)
    record_property(f"{name}_urls", urls)
    print(f"\n{name}: {urls} URLs crawled, {len(markers)} markers, {checks} checks")


def test_an_anonymous_reader_finds_no_trace_of_unpublished_articles(
    client, station, committed, record_property
):
    station.withdraw(committed)

    with time_machine.travel(station.expiry() + timedelta(minutes=1), tick=True):
        crawls = read_everything(client, station)

    assert leaks(crawls, station.markers()) == {}
    assert_the_control_is_found(crawls, station)
    report(record_property, crawls, station.markers(), "cache off")


def test_stored_pages_forget_an_article_once_withdrawn_or_expired(
    client, station, committed, settings, record_property
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    withdrawn, expired = station.hidden["withdrawn"], station.hidden["expired"]
    never_live = [m for m in station.markers() if m not in (withdrawn.marker, expired.marker)]
    warm = read_everything(client, station)
    # Stored while live: its page and every list, feed and neighbour that showed it.
    for item in (withdrawn, expired):
        assert {
            item.article.get_absolute_url(),
            "/",
            "/channel/minsheng/",
            "/feeds/rss/",
            station.topic.get_absolute_url(),
            station.control.article.get_absolute_url(),
            f"/tag/{quote(item.tag_slug)}/",
            item.author.get_absolute_url(),
        } <= set(warm[0].showing(item.marker))
    stored = [url for crawl in warm for url in crawl.answers]

    station.withdraw(committed)
    after_withdrawal = read_everything(client, station, also=stored)
    # A withdrawal raises the page generation: every page is built once more, then stored.
    read_again = read_everything(client, station, also=stored)
    with time_machine.travel(station.expiry() + timedelta(minutes=1), tick=True):
        after_expiry = read_everything(client, station, also=stored, english=False)

    assert leaks(warm, never_live) == {}
    assert leaks(after_withdrawal, [*never_live, withdrawn.marker]) == {}
    assert leaks(after_expiry, station.markers()) == {}
    assert leaks(read_again, [*never_live, withdrawn.marker]) == {}
    assert any(a.cache == "HIT" for a in read_again[0].answers.values())
    assert Article.objects.get(pk=withdrawn.article.pk).status == Article.Status.WITHDRAWN
    assert_the_control_is_found(after_expiry, station)
    report(record_property, [*warm, *after_withdrawal, *after_expiry], station.markers(),
           "cache on")  # fmt: skip


# --- Photos ---------------------------------------------------------------------------


def names_worked_out_from(image: Image) -> list[str]:
    """The public copies' paths as an outsider holding the original could work them out:
    drawn with this very pipeline, then named by a plain content hash, or by the naming
    scheme under a secret key of their own."""
    with image.file.open("rb") as file:
        copies = images.render(
            file.read(), watermark=image.watermark, focal=(image.focal_x, image.focal_y)
        )
    guesses = []
    for copy in copies:
        digest = hashlib.sha256(copy.data).hexdigest()
        suffix = "jpg" if copy.format == "jpeg" else copy.format
        mark = ".marked" if copy.marked else ""
        guesses.append(f"photos/{digest[:2]}/{digest[:20]}-{copy.width}{mark}.{suffix}")
        with override_settings(SECRET_KEY="a-guess-at-the-secret"):
            guesses.append(copy.name())
    return guesses


def original_paths(image: Image) -> list[str]:
    name, sha = image.file.name, image.sha256
    return [name, name.removeprefix("originals/"), f"originals/{sha}.jpg", f"{sha}.jpg",
            f"{sha[:2]}/{sha}.jpg", f"photos/{sha[:2]}/{sha[:20]}.jpg"]  # fmt: skip


def status(client, url: str) -> int:
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, the file served is closed
    return response.status_code


def test_photos_of_unpublished_articles_cannot_be_fetched_by_guessing(client, station):
    control = station.control.image
    assert all(
        status(client, f"/media/{copy['name']}") == HTTPStatus.OK for copy in control.renditions
    )
    public_files = {
        hashlib.sha256(path.read_bytes()).hexdigest()
        for path in Path(settings.MEDIA_ROOT).rglob("*")
        if path.is_file()
    }

    for item in station.hidden.values():
        image = item.image
        guesses = [f"/media/{path}" for path in names_worked_out_from(image)]
        guesses += [f"/media/{path}" for path in original_paths(image)]
        guesses += [f"/media/photos/{copy['name'].split('/')[1]}/" for copy in image.renditions]
        guesses += [f"/media/{image.pk}", f"/media/photos/{image.pk}.jpg", f"/photos/{image.pk}/"]
        admin = [f"/admin/articles/image/{image.pk}/change/",
                 f"/admin/articles/image/picker/?q={item.search_id}"]  # fmt: skip

        assert image.renditions, "the hidden photo's copies exist for the desk's previews"
        found = {url: status(client, url) for url in guesses}
        assert found == dict.fromkeys(guesses, HTTPStatus.NOT_FOUND)
        for url in admin:
            response = client.get(url)
            assert response.status_code == HTTPStatus.FOUND
            assert response["Location"].startswith("/admin/login/")
            assert item.marker.lower() not in response.content.decode().lower()
        assert image.sha256 not in public_files  # the original is nowhere under MEDIA_ROOT
