"""The desk's permission table (desk/roles.py), role by role, through the admin.

Each row is one thing a desk member does in the browser; the table says which roles may
do it. A POST counts as allowed only if it had its effect; each row runs in a savepoint
that is rolled back, so every row starts from the same scene.
"""

import json
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author, Editor, Image, Revision
from audit.models import Entry
from desk import revisions
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EditorFactory,
    ImageFactory,
    library_figure,
    member,
)

pytestmark = pytest.mark.django_db

WRITER, EDITOR, MANAGING, CHIEF = "writer", "editor", "managing", "chief"
ROLES = [WRITER, EDITOR, MANAGING, CHIEF]
DESK = set(ROLES)
EDITORS_UP = {EDITOR, MANAGING, CHIEF}
MANAGING_UP = {MANAGING, CHIEF}


@dataclass
class Row:
    what: str
    method: str
    url: object  # (scene, person) -> path
    allowed: set[str]
    data: object = None  # (scene, person) -> POST data
    done: object = None  # (scene, person) -> bool: did it take effect? / did the page show it?


def own_draft_form(scene, person, **fields) -> dict:
    """The change form of the person's own draft, with empty inlines unless given."""
    draft = scene.own_drafts[person.username]
    data = {"title": draft.title, "channel": draft.channel_id, "origin": "original"}
    for prefix in ("credits", "picks", "links", "gallery_items"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | fields


def own_draft_url(scene, person) -> str:
    return reverse("admin:articles_article_change", args=[scene.own_drafts[person.username].pk])


def inline(prefix: str, **fields) -> dict:
    return {f"{prefix}-TOTAL_FORMS": "1"} | {f"{prefix}-0-{k}": v for k, v in fields.items()}


def own_draft(scene, person) -> Article:
    return scene.own_drafts[person.username]


def image_url(key: str):
    return lambda s, p: reverse("admin:articles_image_change", args=[photo(s, key, p).pk])


def photo(scene, key: str, person) -> Image:
    """A scene photo; "own_*" photos are the person's own."""
    found = getattr(scene, key)
    return found[person.username] if isinstance(found, dict) else found


def caption_form(**fields) -> dict:
    return {"caption": "新的说明", "credit": "向建国", "alt_text": "橘园"} | fields


def caption_is(key: str, caption: str = "新的说明"):
    return lambda s, p: Image.objects.get(pk=photo(s, key, p).pk).caption == caption


def autocomplete(model: str, field: str, term: str = "") -> str:
    """The admin's search behind a picker: ``field`` of ``model``'s form."""
    query = f"?app_label=articles&model_name={model}&field_name={field}&term={term}"
    return reverse("admin:autocomplete") + query


def shows(text: str):
    """The page (or the picker's JSON answer) contains ``text``."""

    def check(scene, person, response) -> bool:
        if response["Content-Type"].startswith("application/json"):
            return text in json.dumps(response.json(), ensure_ascii=False)
        return text in response.content.decode()

    return check


TABLE = [
    # --- Authors and credits ----------------------------------------------------------------
    Row(
        "新建作者（无账号）",
        "POST",
        lambda s, p: reverse("admin:articles_author_add"),
        DESK,
        data=lambda s, p: {"name": "杨丽芳", "role": "correspondent", "outlet": ""},
        done=lambda s, p: Author.objects.filter(name="杨丽芳", user=None).exists(),
    ),
    Row(
        "新建作者，关联自己的账号",
        "POST",
        lambda s, p: reverse("admin:articles_author_add"),
        DESK,
        data=lambda s, p: {"name": "本人", "role": "reporter", "user": p.pk},
        done=lambda s, p: Author.objects.filter(name="本人", user=p).exists(),
    ),
    Row(
        "新建作者，关联他人的账号",
        "POST",
        lambda s, p: reverse("admin:articles_author_add"),
        {CHIEF},
        data=lambda s, p: {"name": "冒名", "role": "reporter", "user": s.other.pk},
        done=lambda s, p: Author.objects.filter(name="冒名", user=s.other).exists(),
    ),
    Row(
        "修改作者资料",
        "POST",
        lambda s, p: reverse("admin:articles_author_change", args=[s.author.pk]),
        EDITORS_UP,
        data=lambda s, p: {"name": "改过的名字", "role": "reporter", "outlet": ""},
        done=lambda s, p: Author.objects.get(pk=s.author.pk).name == "改过的名字",
    ),
    Row(
        "给自己的草稿署作者",
        "POST",
        own_draft_url,
        DESK,
        data=lambda s, p: own_draft_form(
            s, p, **inline("credits", author=s.author.pk, position="0", role="")
        ),
        done=lambda s, p: own_draft(s, p).credits.filter(author=s.author).exists(),
    ),
    Row(
        "作者选择框",
        "GET",
        lambda s, p: autocomplete("articleauthor", "author", "张"),
        DESK,
        done=shows("张远"),
    ),
    # --- 责任编辑 ------------------------------------------------------------------------------
    Row(
        "责任编辑选择框",
        "GET",
        lambda s, p: autocomplete("article", "editor"),
        DESK,
        done=shows("沈佳"),
    ),
    Row(
        "给自己的草稿选责任编辑",
        "POST",
        own_draft_url,
        DESK,
        data=lambda s, p: own_draft_form(s, p, editor=s.desk_editor.pk),
        done=lambda s, p: Article.objects.get(pk=own_draft(s, p).pk).editor == s.desk_editor,
    ),
    Row(
        "新建责任编辑（不需要账号）",
        "POST",
        lambda s, p: reverse("admin:articles_editor_add"),
        EDITORS_UP,
        data=lambda s, p: {"display_name": "龙晓燕"},
        done=lambda s, p: Editor.objects.filter(display_name="龙晓燕", user=None).exists(),
    ),
    Row(
        "指定编辑的账号",
        "POST",
        lambda s, p: reverse("admin:articles_editor_change", args=[s.desk_editor.pk]),
        {CHIEF},
        data=lambda s, p: {"display_name": "沈佳", "user": s.other.pk},
        done=lambda s, p: Editor.objects.get(pk=s.desk_editor.pk).user == s.other,
    ),
    Row(
        "指定编辑的负责栏目",
        "POST",
        lambda s, p: reverse("admin:articles_editor_change", args=[s.scoped_editor.pk]),
        {CHIEF},
        data=lambda s, p: {
            "display_name": "田晓宇",
            "user": s.scoped_editor.user_id,
            "channels": [s.spare_channel.pk],
        },
        done=lambda s, p: list(s.scoped_editor.channels.all()) == [s.spare_channel],
    ),
    # --- 相关稿件, 相关链接, 组图 ----------------------------------------------------------------
    Row(
        "给自己的草稿加相关稿件",
        "POST",
        own_draft_url,
        DESK,
        data=lambda s, p: own_draft_form(
            s, p, **inline("picks", to_article=s.published.pk, position="0")
        ),
        done=lambda s, p: own_draft(s, p).picks.filter(to_article=s.published).exists(),
    ),
    Row(
        "给自己的草稿加相关链接",
        "POST",
        own_draft_url,
        DESK,
        data=lambda s, p: own_draft_form(
            s, p, **inline("links", title="县政府网", url="https://www.example.cn/", position="0")
        ),
        done=lambda s, p: own_draft(s, p).links.filter(title="县政府网").exists(),
    ),
    Row(
        "给自己的草稿加组图照片",
        "POST",
        own_draft_url,
        DESK,
        data=lambda s, p: own_draft_form(
            s, p, **inline("gallery_items", image=s.others_photo.pk, position="0", caption="")
        ),
        done=lambda s, p: own_draft(s, p).gallery_items.filter(image=s.others_photo).exists(),
    ),
    Row(
        "给别人已发布的稿件加相关链接",
        "POST",
        lambda s, p: reverse("admin:articles_article_change", args=[s.published.pk]),
        set(),
        data=lambda s, p: {
            "title": s.published.title,
            "channel": s.published.channel_id,
            "origin": "original",
            "credits-TOTAL_FORMS": "0",
            "credits-INITIAL_FORMS": "0",
            "picks-TOTAL_FORMS": "0",
            "picks-INITIAL_FORMS": "0",
            "gallery_items-TOTAL_FORMS": "0",
            "gallery_items-INITIAL_FORMS": "0",
            **inline("links", title="偷加", url="https://www.example.cn/", position="0"),
            "links-INITIAL_FORMS": "0",
        },
        done=lambda s, p: s.published.links.filter(title="偷加").exists(),
    ),
    Row(
        "相关稿件选择框不给出别人的定时稿件",
        "GET",
        lambda s, p: autocomplete("relatedpick", "to_article", "定时"),
        EDITORS_UP,
        done=shows("别人的定时稿件"),
    ),
    # --- Tags --------------------------------------------------------------------------------
    Row(
        "新建标签",
        "POST",
        lambda s, p: reverse("admin:taggit_tag_add"),
        DESK,
        data=lambda s, p: {"name": "椪柑", "slug": "ponkan"},
        done=lambda s, p: Tag.objects.filter(name="椪柑").exists(),
    ),
    Row(
        "标签改名",
        "POST",
        lambda s, p: reverse("admin:taggit_tag_change", args=[s.tag.pk]),
        MANAGING_UP,
        data=lambda s, p: {"name": "乡村振兴", "slug": s.tag.slug},
        done=lambda s, p: Tag.objects.get(pk=s.tag.pk).name == "乡村振兴",
    ),
    # --- Photos --------------------------------------------------------------------------------
    Row(
        "改自己上传、未用于已发布稿件的图片",
        "POST",
        image_url("own_photos"),
        DESK,
        data=lambda s, p: caption_form(),
        done=caption_is("own_photos"),
    ),
    Row(
        "改自己上传、已用于已发布稿件的图片",
        "POST",
        image_url("own_live_photos"),
        EDITORS_UP,
        data=lambda s, p: caption_form(),
        done=caption_is("own_live_photos"),
    ),
    Row(
        "改别人上传的图片",
        "POST",
        image_url("others_photo"),
        EDITORS_UP,
        data=lambda s, p: caption_form(),
        done=caption_is("others_photo"),
    ),
    Row(
        "批量填写说明：已用于已发布稿件的图片",
        "POST",
        lambda s, p: (
            reverse("admin:articles_image_describe") + f"?ids={photo(s, 'own_live_photos', p).pk}"
        ),
        EDITORS_UP,
        data=lambda s, p: {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": photo(s, "own_live_photos", p).pk,
            "form-0-caption": "新的说明",
            "form-0-credit": "向建国",
            "form-0-alt_text": "橘园",
            "form-0-watermark": "on",
        },
        done=caption_is("own_live_photos"),
    ),
    # --- What each role sees -------------------------------------------------------------------
    Row(
        "稿件列表里别人的定时稿件",
        "GET",
        lambda s, p: reverse("admin:articles_article_changelist"),
        EDITORS_UP,
        done=shows("别人的定时稿件"),
    ),
    Row(
        "排期里别人的定时稿件",
        "GET",
        lambda s, p: reverse("admin:articles_article_schedule"),
        EDITORS_UP,
        done=shows("别人的定时稿件"),
    ),
    Row(
        "别人的稿件：修订历史",
        "GET",
        lambda s, p: reverse("admin:articles_article_revisions", args=[s.published.pk]),
        EDITORS_UP,
    ),
    Row(
        "别人的稿件：版本对比",
        "GET",
        lambda s, p: (
            reverse("admin:articles_article_compare", args=[s.published.pk])
            + f"?a={s.old_revision.pk}&b={s.new_revision.pk}"
        ),
        EDITORS_UP,
    ),
    Row(
        "别人的稿件：审稿单里的审核意见",
        "GET",
        lambda s, p: reverse("admin:articles_article_review_record", args=[s.published.pk]),
        EDITORS_UP,
        done=shows("内部意见：来源待核"),
    ),
    Row(
        "别人的稿件：页面上的审稿单链接",
        "GET",
        lambda s, p: reverse("admin:articles_article_change", args=[s.published.pk]),
        EDITORS_UP,
        done=lambda s, p, response: (
            reverse("admin:articles_article_review_record", args=[s.published.pk])
            in response.content.decode()
        ),
    ),
    Row(
        "自己的稿件：审稿单",
        "GET",
        lambda s, p: reverse(
            "admin:articles_article_review_record", args=[s.own_published[p.username].pk]
        ),
        DESK,
    ),
    Row(
        "自己的稿件：修订历史",
        "GET",
        lambda s, p: reverse(
            "admin:articles_article_revisions", args=[s.own_published[p.username].pk]
        ),
        DESK,
    ),
]


@pytest.fixture
def scene(staff) -> SimpleNamespace:
    """Each role's own drafts and photos, and another contributor's stories in every state."""
    people = {WRITER: staff.writer, EDITOR: staff.editor, MANAGING: staff.managing,
              CHIEF: staff.chief}  # fmt: skip
    other = member("通讯员/记者", "other")
    published = ArticleFactory(created_by=other, title="别人的稿件")
    old_revision = revisions.store(published, other, Revision.Reason.SAVED)
    new_revision = revisions.store(published, other, Revision.Reason.SAVED)
    published.transitions.create(
        action="approve", from_status="in_review", to_status="in_review", level=1,
        actor=staff.editor2, actor_name="editor2", note="内部意见：来源待核",
    )  # fmt: skip
    own_live_photos = {}
    for person in people.values():
        live_photo = ImageFactory(uploaded_by=person)
        ArticleFactory(created_by=other, body=library_figure(live_photo))
        own_live_photos[person.username] = live_photo
    scoped_user = member("编辑", "scoped")
    scoped_editor = EditorFactory(user=scoped_user, display_name="田晓宇")
    scoped_editor.channels.add(published.channel)
    return SimpleNamespace(
        people=people,
        other=other,
        published=published,
        old_revision=old_revision,
        new_revision=new_revision,
        scheduled=ArticleFactory(
            created_by=other,
            title="别人的定时稿件",
            first_published_at=timezone.now() + timedelta(days=1),
        ),
        own_drafts={p.username: ArticleFactory(created_by=p, draft=True) for p in people.values()},
        own_published={p.username: ArticleFactory(created_by=p) for p in people.values()},
        own_photos={p.username: ImageFactory(uploaded_by=p) for p in people.values()},
        own_live_photos=own_live_photos,
        others_photo=ImageFactory(uploaded_by=other),
        author=AuthorFactory(name="张远"),
        desk_editor=EditorFactory(user=None, display_name="沈佳"),
        scoped_editor=scoped_editor,
        spare_channel=ArticleFactory(draft=True).channel,
        tag=Tag.objects.create(name="乡村", slug="xiangcun"),
    )


def attempt(client, scene, person, row: Row) -> str:
    """'allowed' or 'refused', judged by status and the row's effect or page content."""
    with transaction.atomic():
        url = row.url(scene, person)
        if row.method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, row.data(scene, person))
        status = response.status_code
        if status not in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.FORBIDDEN,
                          HTTPStatus.NOT_FOUND):  # fmt: skip
            outcome = f"status {status}"
        elif row.method == "POST":
            outcome = "allowed" if row.done(scene, person) else "refused"
        elif status != HTTPStatus.OK:
            outcome = "refused"
        elif row.done is not None:
            outcome = "allowed" if row.done(scene, person, response) else "refused"
        else:
            outcome = "allowed"
        transaction.set_rollback(True)
    return outcome


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_what_the_permission_table_says(client, scene, role):
    person = scene.people[role]
    client.force_login(person)

    wrong = []
    for row in TABLE:
        expected = "allowed" if role in row.allowed else "refused"
        outcome = attempt(client, scene, person, row)
        if outcome != expected:
            wrong.append(f"{row.what} ({row.method}): expected {expected}, got {outcome}")

    assert wrong == []


# --- Photos on published articles ---------------------------------------------------------


def test_editor_changing_a_photo_on_a_live_article_is_written_to_the_audit_log(client, scene):
    live_photo = scene.own_live_photos["writer"]
    client.force_login(scene.people[EDITOR])

    client.post(
        reverse("admin:articles_image_change", args=[live_photo.pk]),
        caption_form(caption="更正后的说明"),
    )

    entry = Entry.objects.get(action=Entry.Action.LIVE_PHOTO_CHANGED)
    assert entry.actor == scene.people[EDITOR]
    assert entry.object_id == str(live_photo.pk)
    assert entry.details["changed"]["caption"] == ["沅水两岸的椪柑进入采摘期", "更正后的说明"]
    assert entry.details["articles"] == list(live_photo.uses().values_list("pk", flat=True))


def test_changing_a_photo_no_published_article_shows_writes_no_audit_entry(client, scene):
    client.force_login(scene.people[WRITER])

    client.post(
        reverse("admin:articles_image_change", args=[scene.own_photos["writer"].pk]),
        caption_form(caption="新说明"),
    )

    assert Image.objects.get(pk=scene.own_photos["writer"].pk).caption == "新说明"
    assert not Entry.objects.filter(action=Entry.Action.LIVE_PHOTO_CHANGED).exists()


def describe(client, images: list[Image], **fields):
    """Post the batch-describe page for ``images`` with the same fields for each."""
    data = {"form-TOTAL_FORMS": str(len(images)), "form-INITIAL_FORMS": str(len(images))}
    for i, image in enumerate(images):
        data |= {f"form-{i}-id": image.pk, f"form-{i}-watermark": "on"}
        data |= {f"form-{i}-{k}": v for k, v in caption_form(**fields).items()}
    ids = ",".join(str(image.pk) for image in images)
    return client.post(reverse("admin:articles_image_describe") + f"?ids={ids}", data)


def test_describe_page_refuses_invisible_characters_as_the_photo_form_does(client, scene):
    own = scene.own_photos["writer"]
    client.force_login(scene.people[WRITER])

    response = describe(client, [own], caption="说明\u202e倒着读")

    assert response.status_code == HTTPStatus.OK
    assert "含有不可见的控制字符（U+202E）" in response.content.decode()
    assert Image.objects.get(pk=own.pk).caption == "沅水两岸的椪柑进入采摘期"


def test_describe_page_lists_only_the_photos_a_contributor_may_change(client, scene):
    own, live = scene.own_photos["writer"], scene.own_live_photos["writer"]
    client.force_login(scene.people[WRITER])
    ids = f"{own.pk},{live.pk},{scene.others_photo.pk}"

    response = client.get(reverse("admin:articles_image_describe") + f"?ids={ids}")

    assert [form.instance for form in response.context["formset"].forms] == [own]
    assert "有 2 张图片你无权修改" in response.content.decode()


def test_describe_page_ignores_a_posted_photo_it_did_not_list(client, scene):
    client.force_login(scene.people[WRITER])
    before = Image.objects.count()

    describe(client, [scene.others_photo], caption="偷改")

    assert Image.objects.get(pk=scene.others_photo.pk).caption == "沅水两岸的椪柑进入采摘期"
    assert Image.objects.count() == before


def test_contributor_sees_a_photo_on_a_live_article_read_only(client, scene):
    client.force_login(scene.people[WRITER])
    live = scene.own_live_photos["writer"]

    response = client.get(reverse("admin:articles_image_change", args=[live.pk]))

    assert response.status_code == HTTPStatus.OK
    assert 'name="caption"' not in response.content.decode()


# --- Author records and review ------------------------------------------------------------


def test_contributor_cannot_bar_the_chief_from_review_by_linking_an_author(client, staff):
    client.force_login(staff.writer)

    response = client.post(
        reverse("admin:articles_author_add"),
        {"name": "总编辑的马甲", "role": "reporter", "user": staff.chief.pk},
    )

    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert not Author.objects.filter(user=staff.chief).exists()
    assert "user" in response.context["adminform"].form.errors


def test_the_chief_may_link_an_author_to_a_reporters_account(client, staff):
    client.force_login(staff.chief)

    client.post(
        reverse("admin:articles_author_add"),
        {"name": "记者本人", "role": "reporter", "user": staff.writer.pk},
    )

    assert Author.objects.get(name="记者本人").user == staff.writer


# --- Titles on one line ---------------------------------------------------------------------


def test_a_title_with_a_line_break_is_refused_and_the_draft_keeps_its_title(client, scene):
    person = scene.people[WRITER]
    client.force_login(person)

    response = client.post(
        own_draft_url(scene, person), own_draft_form(scene, person, title="第一行\n第二行")
    )

    assert response.status_code == HTTPStatus.OK
    assert "这一栏只能填一行文字" in response.content.decode()
    assert (
        Article.objects.get(pk=own_draft(scene, person).pk).title == own_draft(scene, person).title
    )
