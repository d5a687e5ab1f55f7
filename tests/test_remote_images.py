"""Remote images pasted into a story: fetched into the photo library in the background,
the body pointed at the library photo, failures listed with their reason, and no 送审 or
终审 while a picture still loads from another site.

A local HTTP server stands in for the remote site (WeChat's image host, a partner's CMS).
"""

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Article, Image, RemoteImage, Revision
from articles.remote import remote_image_urls
from articles.sanitize import clean_body
from desk import remote_images, workflow
from photos import remote
from tests.factories import ArticleFactory, ImageFactory, library_figure, review_through_chain
from tests.photo_files import camera_jpeg

pytestmark = pytest.mark.django_db


@dataclass
class RemoteSite:
    """What the stand-in site answers: path -> (status, headers, body)."""

    base: str
    pages: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.fixture
def site() -> Iterator[RemoteSite]:
    """A real HTTP server on the loopback address, in a thread."""
    state = RemoteSite(base="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            status, headers, body = state.pages.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            headers = {"Content-Length": str(len(body))} | headers
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    jpeg = camera_jpeg(size=(900, 600))
    state.pages.update(
        {
            "/mmbiz_jpg/photo.jpg": (200, {"Content-Type": "image/jpeg"}, jpeg),
            "/page.html": (200, {"Content-Type": "text/html; charset=utf-8"}, b"<p>hi</p>"),
            "/huge.jpg": (200, {"Content-Type": "image/jpeg"}, b"\xff" * (1024 * 1024 + 10)),
            "/broken.jpg": (200, {"Content-Type": "image/jpeg"}, b"\xff\xd8 not a jpeg"),
            "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
            "/to-photo": (302, {"Location": "/mmbiz_jpg/photo.jpg"}, b""),
        }
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def fetching(settings):
    """The loopback stand-in is allowed by name, as a closed network would allow a host."""
    settings.NEWSROOM_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.NEWSROOM_FETCH_MAX_MB = 1
    return settings


def article_form(channel, **fields) -> dict[str, str]:
    data = {"title": "椪柑丰收", "channel": str(channel.pk), "origin": "original"}
    for prefix in ("credits", "picks", "links", "gallery_items"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | fields


def save_as(client, user, article: Article, body: str, committed) -> None:
    """Save the story's body from its admin form, as the desk does, and commit."""
    client.force_login(user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form(article.channel, body=body, edit_version=str(article.edit_version))
    with committed(execute=True):
        response = client.post(url, data | {"_continue": "1"})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]


@pytest.fixture
def draft(staff, county_channel):
    return ArticleFactory(draft=True, created_by=staff.writer, channel=county_channel)


# --- The body keeps a remote image until it is fetched ---------------------------------


def test_the_sanitiser_keeps_a_pasted_remote_image_where_it_stands():
    pasted = (
        '<figure><img src="https://mmbiz.qpic.cn/mmbiz_jpg/a/640?wx_fmt=jpeg" '
        'style="width:100%" data-ratio="0.66"><figcaption>沅水两岸</figcaption></figure>'
        '<p>正文<img src="http://example.com/a.png" alt="图">续</p>'
    )

    cleaned = clean_body(pasted)

    assert '<figure><img src="https://mmbiz.qpic.cn/mmbiz_jpg/a/640?wx_fmt=jpeg">' in cleaned
    assert '<img src="http://example.com/a.png" alt="图">' in cleaned
    assert remote_image_urls(cleaned) == [
        "https://mmbiz.qpic.cn/mmbiz_jpg/a/640?wx_fmt=jpeg",
        "http://example.com/a.png",
    ]


def test_only_images_on_other_sites_count_as_remote(settings):
    settings.NEWSROOM_SITE_URL = "https://xiangxi.example.cn"
    photo = ImageFactory()
    body = (
        f"{library_figure(photo)}"
        '<p><img src="/media/photos/a.jpg"><img src="https://xiangxi.example.cn/media/b.jpg">'
        '<img src="data:image/png;base64,AAAA"><img src="//mmbiz.qpic.cn/c.jpg"></p>'
    )

    assert remote_image_urls(body) == ["https://mmbiz.qpic.cn/c.jpg"]


# --- Fetched into the library -----------------------------------------------------------


def test_a_saved_story_has_its_remote_image_fetched_into_the_library(
    client, staff, draft, site, fetching, django_capture_on_commit_callbacks
):
    url = site.url("/mmbiz_jpg/photo.jpg")
    body = (
        "<p>第一段。</p>"
        f'<figure><img src="{url}" alt="果农采摘椪柑"><figcaption>沅水两岸</figcaption></figure>'
        "<p>第二段。</p>"
    )

    save_as(client, staff.writer, draft, body, django_capture_on_commit_callbacks)

    draft.refresh_from_db()
    photo = Image.objects.get()
    assert photo.uploaded_by == staff.writer
    assert (photo.caption, photo.alt_text, photo.width) == ("沅水两岸", "果农采摘椪柑", 900)
    assert photo.is_ready
    assert url not in draft.body
    assert f'<figure data-photo="{photo.pk}"><img src="' in draft.body
    assert "<figcaption>沅水两岸</figcaption></figure><p>第二段。</p>" in draft.body
    assert "<picture>" in draft.body_html
    assert not RemoteImage.objects.exists()
    latest = draft.revisions.first()
    assert latest.reason == Revision.Reason.IMAGES_FETCHED
    assert f'data-photo="{photo.pk}"' in latest.content["body"]


def test_public_copies_of_a_fetched_image_carry_no_exif(
    client, staff, draft, site, fetching, django_capture_on_commit_callbacks
):
    body = f'<p><img src="{site.url("/mmbiz_jpg/photo.jpg")}"></p>'

    save_as(client, staff.writer, draft, body, django_capture_on_commit_callbacks)

    photo = Image.objects.get()
    with default_storage.open(photo.copies()[0]["name"]) as copy:
        assert not PILImage.open(copy).getexif()


def test_an_image_standing_in_a_paragraph_becomes_a_figure_between_its_halves(
    client, staff, draft, site, fetching, django_capture_on_commit_callbacks
):
    body = f'<p>图前文字<img src="{site.url("/mmbiz_jpg/photo.jpg")}">图后文字</p>'

    save_as(client, staff.writer, draft, body, django_capture_on_commit_callbacks)

    draft.refresh_from_db()
    photo = Image.objects.get()
    assert draft.body.startswith(f'<p>图前文字</p><figure data-photo="{photo.pk}">')
    assert draft.body.endswith("</figure><p>图后文字</p>")


def test_edits_made_while_the_image_was_fetched_are_kept(
    client, staff, draft, site, fetching, django_capture_on_commit_callbacks
):
    url = site.url("/mmbiz_jpg/photo.jpg")
    client.force_login(staff.writer)
    change = reverse("admin:articles_article_change", args=[draft.pk])
    first = f'<p>初稿。</p><figure><img src="{url}"></figure>'
    with django_capture_on_commit_callbacks() as queued:  # the worker has not run yet
        client.post(change, article_form(draft.channel, body=first, _continue="1"))
    draft.refresh_from_db()
    meanwhile = f'<p>改过的导语。</p><figure><img src="{url}"></figure><p>新增一段。</p>'
    with django_capture_on_commit_callbacks():
        client.post(change, article_form(draft.channel, body=meanwhile, _continue="1",
                                         edit_version=str(draft.edit_version)))  # fmt: skip

    for callback in queued:  # the worker now runs the task queued by the first save
        callback()

    draft.refresh_from_db()
    photo = Image.objects.get()
    assert draft.body.startswith(f'<p>改过的导语。</p><figure data-photo="{photo.pk}">')
    assert draft.body.endswith("<p>新增一段。</p>")


def test_a_form_opened_before_the_fetch_is_refused_rather_than_bringing_the_link_back(
    client, staff, draft, site, fetching, django_capture_on_commit_callbacks
):
    url = site.url("/mmbiz_jpg/photo.jpg")
    save_as(
        client,
        staff.writer,
        draft,
        f'<figure><img src="{url}"></figure>',
        django_capture_on_commit_callbacks,
    )
    draft.refresh_from_db()
    stale_version = draft.edit_version - 1  # the page the writer still has open

    response = client.post(
        reverse("admin:articles_article_change", args=[draft.pk]),
        article_form(draft.channel, body=f'<figure><img src="{url}"></figure><p>补充。</p>',
                     edit_version=str(stale_version), _continue="1"),
    )  # fmt: skip

    assert response.status_code == HTTPStatus.OK
    assert "这次保存没有生效" in response.content.decode()
    draft.refresh_from_db()
    assert url not in draft.body


# --- What could not be fetched ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing.jpg", "HTTP 404"),
        ("/page.html", "不是图片（内容类型：text/html）"),
        ("/huge.jpg", "图片超过 1 MB"),
        ("/broken.jpg", "图片没有通过图库检查"),
        ("/to-file", "只能获取 http 或 https 地址的图片"),
    ],
)
def test_an_image_that_cannot_be_fetched_is_listed_with_its_reason(
    client, staff, draft, site, fetching, django_capture_on_commit_callbacks, path, reason
):
    url = site.url(path)

    save_as(
        client,
        staff.writer,
        draft,
        f'<p><img src="{url}"></p>',
        django_capture_on_commit_callbacks,
    )
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()

    failed = RemoteImage.objects.get()
    assert (failed.url, failed.state) == (url, RemoteImage.State.FAILED)
    assert reason in failed.reason
    assert "外链图片" in page
    assert url in page
    assert reason in page
    assert not Image.objects.exists()
    draft.refresh_from_db()
    assert url in draft.body  # nothing the editor pasted is lost


def test_a_redirect_to_another_http_address_is_followed(
    client, staff, draft, site, fetching, django_capture_on_commit_callbacks
):
    body = f'<p><img src="{site.url("/to-photo")}"></p>'

    save_as(client, staff.writer, draft, body, django_capture_on_commit_callbacks)

    assert site.requests == ["/to-photo", "/mmbiz_jpg/photo.jpg"]
    assert Image.objects.count() == 1


def test_the_retry_button_fetches_what_failed_before(
    client, staff, draft, site, fetching, django_capture_on_commit_callbacks
):
    url = site.url("/later.jpg")
    save_as(
        client,
        staff.writer,
        draft,
        f'<p><img src="{url}"></p>',
        django_capture_on_commit_callbacks,
    )
    assert RemoteImage.objects.get().state == RemoteImage.State.FAILED
    site.pages["/later.jpg"] = site.pages["/mmbiz_jpg/photo.jpg"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_article_remote_images_retry", args=[draft.pk])
        )

    assert response.status_code == HTTPStatus.FOUND
    draft.refresh_from_db()
    assert f'data-photo="{Image.objects.get().pk}"' in draft.body
    assert not RemoteImage.objects.exists()
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert 'id="remote-images-title"' not in page


def test_only_those_who_may_edit_the_story_may_retry(
    client, staff, draft, site, fetching, django_capture_on_commit_callbacks
):
    save_as(client, staff.writer, draft, f'<p><img src="{site.url("/missing.jpg")}"></p>',
            django_capture_on_commit_callbacks)  # fmt: skip
    other = ArticleFactory(draft=True, channel=draft.channel)  # someone else's draft
    client.force_login(staff.writer)

    response = client.post(reverse("admin:articles_article_remote_images_retry", args=[other.pk]))

    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)


# --- Safety: the server's own network is out of reach -----------------------------------


def test_loopback_addresses_are_refused_unless_the_site_allows_the_host(
    client, staff, draft, site, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_FETCH_ALLOW_HOSTS = []

    save_as(client, staff.writer, draft, f'<p><img src="{site.url("/mmbiz_jpg/photo.jpg")}"></p>',
            django_capture_on_commit_callbacks)  # fmt: skip

    failed = RemoteImage.objects.get()
    assert failed.state == RemoteImage.State.FAILED
    assert "内部网络地址（127.0.0.1）" in failed.reason
    assert site.requests == []  # not even asked
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("::1", False),
        ("fd00::1", False),
        ("fe80::1%eth0", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
        ("101.91.0.1", True),
        ("2400:da00::6666", True),
    ],
)
def test_only_public_addresses_are_fetched(address, public):
    assert remote.is_public(address) is public


def test_a_redirect_to_the_servers_own_network_is_refused(site, settings):
    settings.NEWSROOM_FETCH_ALLOW_HOSTS = ["127.0.0.1"]  # the first hop's host only
    photo = site.url("/mmbiz_jpg/photo.jpg").replace("127.0.0.1", "localhost")
    site.pages["/hop"] = (302, {"Location": photo}, b"")

    with pytest.raises(remote.FetchFailed, match="内部网络地址"):
        remote.fetch(site.url("/hop"))

    assert site.requests == ["/hop"]


# --- No 送审 or 终审 while an image is still remote ---------------------------------------


def test_a_story_with_a_remote_image_cannot_be_submitted(staff, draft, site, settings):
    settings.NEWSROOM_FETCH_ALLOW_HOSTS = []
    url = site.url("/mmbiz_jpg/photo.jpg")
    Article.objects.filter(pk=draft.pk).update(body=f'<p>正文。</p><p><img src="{url}"></p>')
    draft.refresh_from_db()

    with pytest.raises(workflow.TransitionError) as refused:
        draft.submit(by=staff.writer)

    message = str(refused.value)
    assert "稿件还不能送审" in message
    assert url in message
    assert "存入图库" in message
    assert "重新获取" in message
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_final_approval_is_refused_while_an_image_is_remote(staff, draft):
    review_through_chain(draft, [staff.editor, staff.managing])  # now at 终审
    Article.objects.filter(pk=draft.pk).update(
        body='<p>正文。</p><figure><img src="https://mmbiz.qpic.cn/a.jpg"></figure>'
    )
    draft.refresh_from_db()

    with pytest.raises(workflow.TransitionError, match=r"通过审核.*mmbiz\.qpic\.cn/a\.jpg"):
        draft.approve(by=staff.chief)

    draft.refresh_from_db()
    assert (draft.status, draft.review_level) == (Article.Status.IN_REVIEW, 3)


def test_the_submit_button_says_why_a_story_with_a_remote_image_waits(
    client, staff, draft, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_FETCH_ALLOW_HOSTS = []
    client.force_login(staff.writer)
    body = '<p><img src="http://127.0.0.1:9/x.jpg"></p>'
    data = article_form(draft.channel, body=body, _submit="1")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_article_change", args=[draft.pk]), data, follow=True
        )

    html = response.content.decode()
    assert "稿件还不能送审" in html
    assert "http://127.0.0.1:9/x.jpg" in html
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_the_task_does_nothing_for_an_image_already_gone_from_the_body(
    staff, draft, site, fetching
):
    url = site.url("/mmbiz_jpg/photo.jpg")
    RemoteImage.objects.create(article=draft, url=url)

    put_in = remote_images.fetch_remote_images.call(draft.pk, [url], staff.writer.pk)

    assert put_in == 0
    assert site.requests == []
    assert not RemoteImage.objects.exists()


def test_a_fetch_cut_short_and_run_again_adds_the_photo_once(
    staff, draft, site, fetching, monkeypatch
):
    url = site.url("/mmbiz_jpg/photo.jpg")
    draft.body = f'<figure><img src="{url}" alt="椪柑"></figure>'
    draft.save()
    RemoteImage.objects.create(article=draft, url=url)
    put_in_place = remote_images.put_in_place

    def killed(*args: object) -> bool:
        raise SystemExit("the worker was killed")  # after the photo went in, before its place

    monkeypatch.setattr(remote_images, "put_in_place", killed)
    with pytest.raises(SystemExit):
        remote_images.fetch_remote_images.call(draft.pk, [url], staff.writer.pk)
    monkeypatch.setattr(remote_images, "put_in_place", put_in_place)

    put_in = remote_images.fetch_remote_images.call(draft.pk, [url], staff.writer.pk)

    draft.refresh_from_db()
    assert put_in == 1
    assert f'data-photo="{Image.objects.get().pk}"' in draft.body
