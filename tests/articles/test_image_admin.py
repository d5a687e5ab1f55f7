"""The media library on the editors' desk: uploads, search, where used, delete, replace."""

import html as html_module
import json
import re
from http import HTTPStatus

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from articles.models import Article, GalleryPhoto, Image
from articles.storage import originals_storage
from tests import photo_files
from tests.factories import ArticleFactory, ImageFactory, UserFactory
from tests.factories import library_figure as figure

pytestmark = pytest.mark.django_db

EDITOR_CONFIG = re.compile(r'data-django-prose-editor-configurable="([^"]*)"')


@pytest.fixture
def desk(client):
    client.force_login(UserFactory(username="chief", is_superuser=True))
    return client


def change_form(image: Image, **fields) -> dict:
    data = {
        "caption": image.caption,
        "credit": image.credit,
        "alt_text": image.alt_text,
        "watermark": "on" if image.watermark else "",
        "focal_x": image.focal_x,
        "focal_y": image.focal_y,
    }
    return {key: value for key, value in (data | fields).items() if value != ""}


# --- Uploading ---------------------------------------------------------------------------


def test_single_upload_draws_the_public_copies(desk):
    desk.post(
        reverse("admin:articles_image_add"),
        {
            "file": photo_files.upload(photo_files.camera_jpeg(size=(2000, 1333))),
            "caption": "矮寨大桥",
            "credit": "石磊",
            "alt_text": "云雾中的悬索桥",
            "watermark": "on",
        },
    )

    image = Image.objects.get(caption="矮寨大桥")
    assert image.is_ready
    assert {c["width"] for c in image.copies()} == {480, 960, 1600}
    assert image.uploaded_by.username == "chief"


def test_upload_page_offers_a_drop_zone_for_many_files(desk):
    listing = desk.get(reverse("admin:articles_image_changelist")).content.decode()
    page = desk.get(reverse("admin:articles_image_upload")).content.decode()

    assert reverse("admin:articles_image_upload") in listing
    assert "批量上传" in listing
    assert 'type="file" name="files" multiple' in page
    assert "data-drop-zone" in page
    assert "photo-upload.js" in page


def test_batch_upload_asks_for_each_photos_caption_credit_and_alt_text(desk):
    files = [
        photo_files.upload(photo_files.camera_jpeg(colour="#335577"), "a.jpg"),
        photo_files.upload(photo_files.heic(), "b.heic"),
        photo_files.upload(photo_files.SVG_WITH_SCRIPT, "c.jpg"),
    ]

    response = desk.post(
        reverse("admin:articles_image_upload"), {"files": files, "credit": "彭雪"}
    )

    first, second = Image.objects.order_by("id")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith(f"?ids={first.pk},{second.pk}")
    assert (first.credit, second.credit) == ("彭雪", "彭雪")
    describe = desk.get(response["Location"])
    html = describe.content.decode()
    assert "“c.jpg”：这是网页或 SVG 代码" in html
    assert html.count('name="form-') >= 8
    form = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": first.pk,
        "form-0-caption": "凤凰古城的清晨",
        "form-0-credit": "彭雪",
        "form-0-alt_text": "沱江边的吊脚楼",
        "form-0-watermark": "on",
        "form-1-id": second.pk,
        "form-1-caption": "合作方供图",
        "form-1-credit": "湘西州文旅局",
        "form-1-alt_text": "古城夜景",
    }
    desk.post(response["Location"], form)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.caption, first.alt_text) == ("凤凰古城的清晨", "沱江边的吊脚楼")
    assert (second.credit, second.watermark) == ("湘西州文旅局", False)
    assert not any(c["marked"] for c in second.renditions)


def test_batch_upload_of_only_bad_files_stores_nothing(desk):
    response = desk.post(
        reverse("admin:articles_image_upload"),
        {"files": [photo_files.upload(b"", "empty.jpg")]},
        follow=True,
    )

    assert "“empty.jpg”：文件是空的。" in response.content.decode()
    assert not Image.objects.exists()


# --- Finding photos ----------------------------------------------------------------------


def test_library_is_searched_by_caption_and_credit(desk):
    ImageFactory(caption="矮寨大桥云海", credit="石磊")
    ImageFactory(caption="吉首大学开学", credit="田雨桐")

    by_caption = desk.get(reverse("admin:articles_image_changelist"), {"q": "矮寨"})
    by_credit = desk.get(reverse("admin:articles_image_changelist"), {"q": "田雨桐"})

    assert "矮寨大桥云海" in by_caption.content.decode()
    assert "吉首大学开学" not in by_caption.content.decode()
    assert "吉首大学开学" in by_credit.content.decode()


def test_library_is_browsed_by_upload_date(desk):
    ImageFactory(caption="今年的照片")

    html = desk.get(reverse("admin:articles_image_changelist")).content.decode()

    assert "uploaded_at__year=" in html


def test_change_page_says_where_the_photo_is_used(desk):
    photo = ImageFactory()
    as_cover = ArticleFactory(title="封面用了它", cover_image=photo)
    in_body = ArticleFactory(title="正文用了它", body=figure(photo), draft=True)
    in_set = ArticleFactory(title="组图用了它")
    GalleryPhoto.objects.create(article=in_set, image=photo)
    ArticleFactory(title="没用它")

    html = desk.get(reverse("admin:articles_image_change", args=[photo.pk])).content.decode()

    for article in (as_cover, in_body, in_set):
        assert reverse("admin:articles_article_change", args=[article.pk]) in html
        assert article.title in html
    assert "没用它" not in html
    assert "（草稿）" in html


# --- Deleting and replacing --------------------------------------------------------------


def test_photo_used_by_a_published_article_cannot_be_deleted(desk):
    photo = ImageFactory()
    ArticleFactory(title="已发布的稿件", body=figure(photo))

    response = desk.post(reverse("admin:articles_image_delete", args=[photo.pk]), {"post": "yes"})

    assert "已发布稿件《已发布的稿件》正在使用" in response.content.decode()
    assert Image.objects.filter(pk=photo.pk).exists()


def test_bulk_delete_refuses_photos_used_by_published_articles(desk):
    used, unused = ImageFactory(), ImageFactory()
    ArticleFactory(cover_image=used)

    desk.post(
        reverse("admin:articles_image_changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"},
    )

    assert Image.objects.filter(pk=used.pk).exists()
    assert Image.objects.filter(pk=unused.pk).exists()


def test_photo_used_only_by_drafts_can_be_deleted_with_its_files(
    desk, django_capture_on_commit_callbacks
):
    photo = ImageFactory()
    draft = ArticleFactory(body=figure(photo), draft=True)
    files = [c["name"] for c in photo.renditions]

    with django_capture_on_commit_callbacks(execute=True):  # files go once the row has
        desk.post(reverse("admin:articles_image_delete", args=[photo.pk]), {"post": "yes"})

    assert not Image.objects.filter(pk=photo.pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert not originals_storage.exists(photo.file.name)
    draft.save()
    assert "<figure" not in draft.body_html


def test_replacing_the_file_keeps_every_use_and_shows_the_new_photo(
    desk, client, django_capture_on_commit_callbacks
):
    photo = ImageFactory()
    article = ArticleFactory(body=figure(photo), cover_image=photo)
    old_original, old_copies = photo.file.name, {c["name"] for c in photo.renditions}

    with django_capture_on_commit_callbacks(execute=True):  # old files go once committed
        desk.post(
            reverse("admin:articles_image_change", args=[photo.pk]),
            change_form(
                photo, file=photo_files.upload(photo_files.camera_jpeg(size=(1600, 1200)))
            ),
        )

    photo.refresh_from_db()
    article.refresh_from_db()
    new_copies = {c["name"] for c in photo.renditions}
    assert (photo.width, photo.height) == (1600, 1200)
    assert article.cover_image == photo
    assert new_copies.isdisjoint(old_copies)
    page = client.get(article.get_absolute_url()).content.decode()
    assert all(name not in page for name in old_copies)
    assert any(name in page for name in new_copies)
    assert not originals_storage.exists(old_original)
    assert not any(default_storage.exists(name) for name in old_copies)
    assert any(name in article.body for name in new_copies), "the editor previews the new file"


def test_replacing_one_of_two_identical_photos_leaves_the_others_files(desk):
    same = photo_files.camera_jpeg(colour="#446688")
    kept = ImageFactory(file=photo_files.upload(same), caption="留下的")
    replaced = ImageFactory(file=photo_files.upload(same), caption="被替换的")

    desk.post(
        reverse("admin:articles_image_change", args=[replaced.pk]),
        change_form(replaced, file=photo_files.upload(photo_files.camera_jpeg(size=(900, 600)))),
    )

    assert all(default_storage.exists(copy["name"]) for copy in kept.renditions)
    assert originals_storage.exists(kept.file.name)


def test_staff_without_permissions_cannot_batch_upload(client):
    client.force_login(UserFactory(username="intern", is_staff=True))

    response = client.get(reverse("admin:articles_image_upload"))

    assert response.status_code == HTTPStatus.FORBIDDEN


# --- Describing --------------------------------------------------------------------------


def test_focal_point_is_chosen_on_the_photo_and_redraws_the_cover(desk):
    portrait = photo_files.halves_jpeg(orientation=6)  # red above, blue below
    photo = ImageFactory(file=photo_files.upload(portrait))
    cover = photo.copies("cover")[0]["name"]

    page = desk.get(reverse("admin:articles_image_change", args=[photo.pk])).content.decode()
    desk.post(
        reverse("admin:articles_image_change", args=[photo.pk]),
        change_form(photo, focal_x="0.1", focal_y="0.9"),
    )

    photo.refresh_from_db()
    assert 'class="focal-picker"' in page
    assert "focal-point.js" in page
    assert (photo.focal_x, photo.focal_y) == (0.1, 0.9)
    assert photo.copies("cover")[0]["name"] != cover


def test_new_library_caption_reaches_uses_that_kept_it_but_not_overrides(desk, client):
    photo = ImageFactory(caption="旧说明", credit="石磊")
    kept = ArticleFactory(body=figure(photo, "旧说明（摄影：石磊）"))
    overridden = ArticleFactory(body=figure(photo, "本稿专用的说明"))

    desk.post(
        reverse("admin:articles_image_change", args=[photo.pk]),
        change_form(photo, caption="新说明"),
    )

    kept_page = client.get(kept.get_absolute_url()).content.decode()
    overridden_page = client.get(overridden.get_absolute_url()).content.decode()
    assert "<figcaption>新说明（摄影：石磊）</figcaption>" in kept_page
    assert "<figcaption>本稿专用的说明</figcaption>" in overridden_page
    kept.refresh_from_db()
    assert "新说明（摄影：石磊）" in kept.body


# --- The body editor's picker and publishing ---------------------------------------------


def test_picker_lists_drawn_photos_with_what_the_editor_inserts(desk):
    ready = ImageFactory(caption="浦市古镇", credit="向明辉", alt_text="")

    found = desk.get(reverse("admin:articles_image_picker"), {"q": "浦市"}).json()["photos"]
    missing = desk.get(reverse("admin:articles_image_picker"), {"q": "没有这张"}).json()

    assert [p["id"] for p in found] == [ready.pk]
    assert found[0]["caption"] == "浦市古镇（摄影：向明辉）"
    assert found[0]["missingAlt"] is True
    assert found[0]["src"].startswith("/media/photos/")
    assert missing == {"photos": []}


def test_picker_is_for_staff_only(client):
    response = client.get(reverse("admin:articles_image_picker"))

    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


def test_article_form_loads_the_photo_picker_into_the_body_editor(desk):
    article = ArticleFactory(draft=True)

    html = desk.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    config = json.loads(html_module.unescape(EDITOR_CONFIG.search(html)[1]))
    assert "/static/articles/admin/photo-editor.js" in config["js_modules"]
    picker = config["extensions"]["PhotoPicker"]
    assert picker["url"] == reverse("admin:articles_image_picker")
    assert picker["labels"]["open"] == "插入图库照片"


def test_article_showing_a_photo_without_alt_text_cannot_be_published(desk):
    photo = ImageFactory(caption="缺替代文字的照片", alt_text="")
    article = ArticleFactory(body=figure(photo), status="approved", first_published_at=None)

    response = desk.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
        follow=True,
    )

    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert "缺替代文字的照片" in response.content.decode()
    assert "缺少替代文字" in response.content.decode()
    photo.alt_text = "石板街上的行人"
    photo.save()
    article.publish(by=UserFactory(username="boss", is_superuser=True))
    assert article.status == Article.Status.PUBLISHED
