"""Shared preview links: signed, expiring, bound to one revision, revocable, never stored."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PreviewLink, Revision
from audit.models import Entry
from desk import preview, revisions
from tests.factories import ArticleFactory, ImageFactory, beijing, review_through_chain

SHARED_AT = beijing(2026, 3, 2, 9, 0)


@pytest.fixture
def story(staff, county_channel) -> Article:
    """The writer's draft, saved once in the desk, with a photo and an external link."""
    photo = ImageFactory()
    article = ArticleFactory(
        draft=True,
        created_by=staff.writer,
        channel=county_channel,
        title="浦市古镇修缮工程开工",
        body="<p>浦市古镇的修缮工程今天开工。</p>",
        cover_image=photo,
    )
    article.links.create(title="古镇保护规划", url="https://www.example.com/plan", position=0)
    revisions.store(article, staff.writer, Revision.Reason.SAVED)
    return article


@pytest.fixture
def shared(story, staff):
    """A link to the story shared by the writer at SHARED_AT, and its address."""
    with time_machine.travel(SHARED_AT, tick=False):
        link = preview.share(story, by=staff.writer)
    return link, preview.path(link)


def edit(article: Article, by, **fields) -> None:
    for name, value in fields.items():
        setattr(article, name, value)
    article.save()
    revisions.store(article, by, Revision.Reason.SAVED)


def publish(article: Article, staff) -> Article:
    review_through_chain(article, [staff.editor, staff.managing, staff.chief])
    return article.publish(by=staff.chief)


def test_a_shared_link_shows_the_story_as_readers_will_see_it_without_a_session(
    client, shared, story
):
    _link, address = shared
    with time_machine.travel(SHARED_AT + timedelta(hours=1), tick=False):
        response = client.get(address)
    assert response.status_code == HTTPStatus.OK
    assert [t.name for t in response.templates][:2] == [
        "articles/preview.html",
        "articles/article_detail.html",
    ]
    page = response.content.decode()
    assert 'class="preview-band"' in page
    assert "浦市古镇修缮工程开工" in page
    assert "浦市古镇的修缮工程今天开工。" in page
    assert "古镇保护规划" in page  # the editor's external links, as the public page shows them
    assert "2026-03-02 10:00" in page  # shown as if published now
    assert not response.cookies


def test_the_page_reads_next_the_story_readers_will_reach_after_it(
    client, shared, story, county_channel
):
    _link, address = shared
    older = ArticleFactory(
        channel=county_channel, title="古镇上一期工程验收", first_published_at=SHARED_AT
    )
    with time_machine.travel(SHARED_AT + timedelta(hours=1), tick=False):
        response = client.get(address)
    assert response.context["read_next"].pk == older.pk
    assert response.context["previous"] is None


def test_a_link_works_until_the_instant_it_expires(client, shared, settings):
    link, address = shared
    assert link.expires_at == SHARED_AT + timedelta(hours=settings.NEWSROOM_PREVIEW_HOURS)
    with time_machine.travel(link.expires_at - timedelta(microseconds=1), tick=False):
        assert client.get(address).status_code == HTTPStatus.OK
    with time_machine.travel(link.expires_at, tick=False):
        response = client.get(address)
    assert response.status_code == HTTPStatus.GONE
    assert "预览链接已过期" in response.content.decode()


def test_the_lifetime_is_read_from_the_settings(story, staff, settings):
    settings.NEWSROOM_PREVIEW_HOURS = 2
    with time_machine.travel(SHARED_AT, tick=False):
        link = preview.share(story, by=staff.writer)
    assert link.expires_at == SHARED_AT + timedelta(hours=2)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.replace(token.split(":")[0], token.split(":")[0][::-1]),
        lambda token: "x" + token,
        lambda token: "",
    ],
    ids=["signature", "payload", "prefix", "empty"],
)
def test_a_tampered_link_shows_nothing(client, shared, tamper):
    link, _address = shared
    address = "/preview/" + tamper(preview.token(link)) + "/"
    with time_machine.travel(SHARED_AT, tick=False):
        response = client.get(address)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "浦市古镇" not in response.content.decode()


def test_a_link_signed_for_another_purpose_shows_nothing(client, shared):
    link, _address = shared
    payload = {"l": link.pk, "a": link.article_id, "p": link.article_id, "r": link.revision}
    forged = signing.dumps(payload, salt="another-salt")
    with time_machine.travel(SHARED_AT, tick=False):
        response = client.get(reverse("desk:shared_preview", args=[forged]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_anonymous_readers_get_nothing_without_a_link(client, story):
    assert client.get(f"/preview/{story.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/preview/").status_code == HTTPStatus.NOT_FOUND


def test_a_revoked_link_stops_at_once_and_the_revocation_is_audited(client, shared, staff):
    link, address = shared
    with time_machine.travel(SHARED_AT + timedelta(minutes=5), tick=False):
        assert preview.revoke(link, by=staff.chief)
        response = client.get(address)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "预览链接已被收回" in response.content.decode()
    entry = Entry.objects.filter(action=Entry.Action.PREVIEW_REVOKED).get()
    assert entry.actor == staff.chief
    assert entry.details["link"] == link.pk
    assert not preview.revoke(link, by=staff.chief)  # once only


def test_sharing_is_audited(shared, staff, story):
    link, _address = shared
    entry = Entry.objects.filter(action=Entry.Action.PREVIEW_SHARED).get()
    assert (entry.actor, entry.object_id) == (staff.writer, str(story.pk))
    assert entry.details["revision"] == link.revision == preview.latest_revision(story)


def test_a_story_edited_past_the_shared_revision_asks_for_a_new_link(client, shared, story, staff):
    _link, address = shared
    edit(story, staff.writer, title="浦市古镇修缮工程正式开工")
    with time_machine.travel(SHARED_AT, tick=False):
        response = client.get(address)
    assert response.status_code == HTTPStatus.GONE
    page = response.content.decode()
    assert "稿件已修改，请向编辑索取新的预览链接" in page
    assert "正式开工" not in page


def test_a_new_link_shows_the_new_revision(client, shared, story, staff):
    edit(story, staff.writer, title="浦市古镇修缮工程正式开工")
    with time_machine.travel(SHARED_AT, tick=False):
        fresh = preview.share(story, by=staff.writer)
        response = client.get(preview.path(fresh))
    assert response.status_code == HTTPStatus.OK
    assert "正式开工" in response.content.decode()


def test_a_submitted_story_keeps_its_link_for_the_reviewers(client, shared, story, staff):
    _link, address = shared
    story.submit(by=staff.writer)
    with time_machine.travel(SHARED_AT, tick=False):
        response = client.get(address)
    assert response.status_code == HTTPStatus.OK
    assert "初审中" in response.content.decode()


def test_a_published_story_points_to_its_public_page(client, shared, story, staff):
    _link, address = shared
    live = publish(story, staff)
    response = client.get(address)
    assert response.status_code == HTTPStatus.GONE
    page = response.content.decode()
    assert "稿件已发布" in page
    assert f"http://testserver{live.get_absolute_url()}" in page
    assert 'class="preview-band"' not in page


def test_a_scheduled_story_is_still_previewed_until_its_time(client, shared, story, staff):
    _link, address = shared
    at = SHARED_AT + timedelta(hours=3)
    with time_machine.travel(SHARED_AT + timedelta(hours=1), tick=False):
        review_through_chain(story, [staff.editor, staff.managing, staff.chief])
        story.publish(by=staff.chief, at=at)
        response = client.get(address)
    assert response.status_code == HTTPStatus.OK
    assert "定时发布" in response.content.decode()
    with time_machine.travel(at, tick=False):
        assert client.get(address).status_code == HTTPStatus.GONE


def test_a_withdrawn_story_says_so(client, shared, story, staff):
    _link, address = shared
    publish(story, staff).withdraw(by=staff.chief, note="信息有误")
    response = client.get(address)
    assert response.status_code == HTTPStatus.GONE
    assert "稿件已撤下" in response.content.decode()


def test_a_working_copy_link_ends_when_the_copy_goes_live(client, staff, county_channel):
    live = publish(
        ArticleFactory(draft=True, created_by=staff.writer, channel=county_channel), staff
    )
    copy = live.start_revision(by=staff.writer)
    edit(copy, staff.writer, title="更正后的标题")
    link = preview.share(copy, by=staff.writer)
    response = client.get(preview.path(link))
    assert response.status_code == HTTPStatus.OK
    assert "更正后的标题" in response.content.decode()
    review_through_chain(copy, [staff.editor, staff.managing, staff.chief])
    copy.publish(by=staff.chief)
    response = client.get(preview.path(link))
    assert response.status_code == HTTPStatus.GONE
    assert live.get_absolute_url() in response.content.decode()


def test_a_preview_is_never_indexed_nor_stored(client, shared, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    _link, address = shared
    with time_machine.travel(SHARED_AT, tick=False):
        first = client.get(address)
        PreviewLink.objects.update(revoked_at=timezone.now())
        second = client.get(address)
    assert first.status_code == HTTPStatus.OK
    assert first["X-Robots-Tag"] == "noindex, nofollow"
    assert first["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in first.content.decode()
    assert {"private", "no-store"} <= set(first["Cache-Control"].replace(" ", "").split(","))
    assert "X-Page-Cache" not in first
    assert "public" not in first["Cache-Control"]
    # Nothing was kept: the revocation shows at once.
    assert second.status_code == HTTPStatus.FORBIDDEN
    assert second["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in second["Cache-Control"]


def test_a_refused_link_is_not_stored_either(client, db, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    response = client.get("/preview/nothing-signed/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "no-store" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_the_preview_page_makes_a_fixed_number_of_queries(
    client, shared, story, county_channel, django_assert_num_queries
):
    _link, address = shared
    # More around the story changes nothing: neighbours and links are read in fixed queries.
    for n in range(5):
        ArticleFactory(channel=county_channel, first_published_at=SHARED_AT - timedelta(days=n))
        story.links.create(title=f"链接{n}", url=f"https://www.example.com/{n}", position=n + 1)
    story.tags.set(["古镇", "文物保护", "浦市"])
    with time_machine.travel(SHARED_AT, tick=False), django_assert_num_queries(9):
        response = client.get(address)
    assert response.status_code == HTTPStatus.OK
