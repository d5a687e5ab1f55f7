"""Photo files dropped or pasted into the body editor: they join the library first, checked
as any upload is, and come back described as the picker describes photos."""

import html as html_module
import json
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import Article, Image
from articles.sanitize import clean_body
from articles.storage import originals_storage
from photos import photos
from tests import photo_files
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

EDITOR_CONFIG = re.compile(r'data-django-prose-editor-configurable="([^"]*)"')
UPLOAD = "admin:articles_image_from_editor"
PICKER = "admin:articles_image_picker"


def test_an_editor_drops_a_photo_into_the_library(client, staff):
    client.force_login(staff.editor)

    response = client.post(
        reverse(UPLOAD), {"file": photo_files.upload(photo_files.camera_jpeg(), "码头.jpg")}
    )

    assert response.status_code == HTTPStatus.CREATED
    image = Image.objects.get()
    assert image.uploaded_by == staff.editor
    assert image.is_ready
    assert image.camera == photo_files.CAMERA_MODEL
    photo = response.json()["photo"]
    assert photo["id"] == image.pk
    assert photo["src"].startswith("/media/photos/")
    assert (photo["width"], photo["height"]) == (960, 640)
    assert photo["caption"] == ""
    assert photo["missingAlt"] is True


def test_a_contributor_may_drop_photos_too(client, staff):
    client.force_login(staff.writer)
    photo = photo_files.upload(photo_files.camera_jpeg())

    response = client.post(reverse(UPLOAD), {"file": photo})

    assert response.status_code == HTTPStatus.CREATED
    assert Image.objects.get().uploaded_by == staff.writer


def test_a_photo_drawn_by_a_worker_is_listed_by_id_once_drawn(client, staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    client.force_login(staff.editor)

    photo = client.post(
        reverse(UPLOAD), {"file": photo_files.upload(photo_files.camera_jpeg(size=(800, 600)))}
    ).json()["photo"]
    before = client.get(reverse(PICKER), {"id": photo["id"]}).json()["photos"]
    photos.draw_copies(photo["id"])
    after = client.get(reverse(PICKER), {"id": photo["id"]}).json()["photos"]

    assert photo["src"] == ""
    assert (photo["width"], photo["height"]) == (800, 600)
    assert before == []
    assert [found["id"] for found in after] == [photo["id"]]
    assert after[0]["src"].startswith("/media/photos/")


def test_a_refused_file_is_named_and_nothing_is_kept(client, staff):
    client.force_login(staff.editor)

    response = client.post(reverse(UPLOAD), {"file": photo_files.upload(b"not a photo", "坏.jpg")})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"].startswith("“坏.jpg”：")
    assert not Image.objects.exists()
    assert not any(Path(originals_storage.location).rglob("*"))


def test_a_post_without_a_file_is_refused(client, staff):
    client.force_login(staff.editor)

    response = client.post(reverse(UPLOAD))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"error": "请选择要上传的图片文件。"}


def test_only_a_post_uploads(client, staff):
    client.force_login(staff.editor)

    assert client.get(reverse(UPLOAD)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_staff_who_may_not_add_photos_cannot_upload(client):
    client.force_login(UserFactory(username="visitor"))
    photo = photo_files.upload(photo_files.camera_jpeg())

    response = client.post(reverse(UPLOAD), {"file": photo})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Image.objects.exists()


def test_the_body_editor_gets_the_upload_address_paste_and_word_count(client, staff):
    client.force_login(staff.editor)
    article = ArticleFactory(draft=True, created_by=staff.editor)

    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))

    config = json.loads(html_module.unescape(EDITOR_CONFIG.search(page.content.decode())[1]))
    assert "/static/articles/admin/desk-editor.js" in config["js_modules"]
    assert config["extensions"]["PhotoPicker"]["uploadUrl"] == reverse(UPLOAD)
    assert config["extensions"]["WordCount"]["label"] == "字数：%(count)s"
    assert config["extensions"]["DeskLabels"] is True
    assert config["extensions"]["DeskPaste"]["labels"]["remote"]


def test_a_pasted_remote_image_is_kept_as_pasted_until_the_library_takes_it_in():
    pasted = '<p>正文。</p><img src="https://mmbiz.qpic.cn/mmbiz_jpg/a/640?wx_fmt=jpeg">'

    assert clean_body(pasted) == pasted
    article = ArticleFactory(body=pasted, draft=True)
    assert Article.objects.get(pk=article.pk).body == pasted
