"""Who reaches what in the admin: every page, custom view, action and transition, for every
role, as a table of allowed and refused.

The objects acted on belong to ANOTHER contributor (writer2), so the table also states the
object-level rules: a 通讯员/记者 may read published work but never change someone else's.
A POST counts as allowed only if it had its effect; each row runs in a savepoint that is
rolled back, so every row starts from the same scene.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Channel, Image, Revision
from desk import revisions
from tests.factories import ArticleFactory, ImageFactory, UserFactory, member
from videos.models import Video

pytestmark = pytest.mark.django_db

# Signed out; 通讯员/记者, 编辑, 主编, 总编辑; a superuser; a staff account in no role group.
ROLES = ["anonymous", "writer", "editor", "managing", "chief", "superuser", "no_group"]
WRITER, EDITOR, MANAGING, CHIEF, SUPER = "writer", "editor", "managing", "chief", "superuser"
REVIEWERS = {EDITOR, MANAGING, CHIEF, SUPER}
DESK = {WRITER} | REVIEWERS
PUBLISHERS = {CHIEF, SUPER}
NOBODY: set[str] = set()


@dataclass
class Row:
    what: str
    method: str
    url: object  # scene -> path
    allowed: set[str]
    data: object = None  # scene -> POST data
    done: object = None  # scene -> bool: did the POST take effect?
    settings: dict = field(default_factory=dict)


def article_url(name: str, key: str, *extra):
    return lambda s: reverse(f"admin:articles_article_{name}", args=[getattr(s, key).pk, *extra])


def transition(what: str, key: str, action: str, allowed: set[str], done, **extra) -> Row:
    """A review-chain step posted to its URL, as the buttons above the article form do."""
    return Row(
        what,
        "POST",
        lambda s: reverse("admin:articles_article_transition", args=[getattr(s, key).pk, action]),
        allowed,
        data=lambda s: {"note": extra.get("note", "")},
        done=done,
        settings=extra.get("settings", {}),
    )


def fresh(article: Article) -> Article | None:
    return Article.objects.filter(pk=article.pk).first()


def article_form(article: Article, **fields) -> dict:
    data = {"title": article.title, "channel": article.channel_id, "origin": "original"}
    for prefix in ("credits", "picks", "links", "gallery_items"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | fields


def user_form(user, **fields) -> dict:
    return {
        "username": user.username,
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    } | fields


CHANGELIST = reverse("admin:articles_article_changelist")


def bulk_row(what: str, action: str, key: str, allowed: set[str], done) -> Row:
    return Row(
        what,
        "POST",
        lambda s: CHANGELIST,
        allowed,
        data=lambda s: {"action": action, "_selected_action": [getattr(s, key).pk], "post": "yes"},
        done=done,
    )


TABLE = [
    Row("后台首页", "GET", lambda s: reverse("admin:index"), DESK | {"no_group"}),
    # --- Articles: pages -------------------------------------------------------------------
    Row("稿件列表", "GET", lambda s: CHANGELIST, DESK),
    Row("新建稿件页", "GET", lambda s: reverse("admin:articles_article_add"), DESK),
    Row(
        "新建稿件",
        "POST",
        lambda s: reverse("admin:articles_article_add"),
        DESK,
        data=lambda s: article_form(s.draft, title="表格新建的稿件"),
        done=lambda s: Article.objects.filter(title="表格新建的稿件").exists(),
    ),
    Row("别人的草稿：打开", "GET", article_url("change", "draft"), REVIEWERS),
    Row(
        "别人的草稿：修改",
        "POST",
        article_url("change", "draft"),
        REVIEWERS,
        data=lambda s: article_form(s.draft, title="被改的标题"),
        done=lambda s: fresh(s.draft).title == "被改的标题",
    ),
    Row("别人已发布的稿件：查看", "GET", article_url("change", "published"), DESK),
    Row("别人的定时稿件：查看", "GET", article_url("change", "scheduled"), REVIEWERS),
    Row("别人的修订稿：查看", "GET", article_url("change", "working_copy"), REVIEWERS),
    Row("别人已发布的稿件：修订历史", "GET", article_url("revisions", "published"), REVIEWERS),
    Row("别人已发布的稿件：操作记录", "GET", article_url("history", "published"), REVIEWERS),
    Row(
        "已发布的稿件：原地修改",
        "POST",
        article_url("change", "published"),
        NOBODY,
        data=lambda s: article_form(s.published, title="被改的标题"),
        done=lambda s: fresh(s.published).title == "被改的标题",
    ),
    Row("别人的草稿：删除页", "GET", article_url("delete", "draft"), PUBLISHERS),
    Row(
        "别人的草稿：删除",
        "POST",
        article_url("delete", "draft"),
        PUBLISHERS,
        data=lambda s: {"post": "yes"},
        done=lambda s: fresh(s.draft) is None,
    ),
    Row(
        "已发布的稿件：删除",
        "POST",
        article_url("delete", "published"),
        NOBODY,
        data=lambda s: {"post": "yes"},
        done=lambda s: fresh(s.published) is None,
    ),
    Row("别人的草稿：操作记录", "GET", article_url("history", "draft"), REVIEWERS),
    Row("排期", "GET", lambda s: reverse("admin:articles_article_schedule"), DESK),
    Row("别人的草稿：修订历史", "GET", article_url("revisions", "draft"), REVIEWERS),
    Row(
        "别人的草稿：版本对比",
        "GET",
        lambda s: (
            reverse("admin:articles_article_compare", args=[s.draft.pk])
            + f"?a={s.first_revision.pk}&b={s.second_revision.pk}"
        ),
        REVIEWERS,
    ),
    Row(
        "别人的草稿：恢复旧版本",
        "POST",
        lambda s: reverse(
            "admin:articles_article_restore", args=[s.draft.pk, s.first_revision.pk]
        ),
        REVIEWERS,
        data=lambda s: {},
        done=lambda s: fresh(s.draft).title == "初稿标题",
    ),
    Row("别人的草稿：审稿单", "GET", article_url("review_record", "draft"), REVIEWERS),
    Row("别人已发布稿件：审稿单", "GET", article_url("review_record", "published"), REVIEWERS),
    Row(
        "别人已发布稿件：审稿单 CSV",
        "GET",
        lambda s: article_url("review_record", "published")(s) + "?format=csv",
        REVIEWERS,
    ),
    Row(
        "别人已发布稿件：审稿单 JSON",
        "GET",
        lambda s: article_url("review_record", "published")(s) + "?format=json",
        REVIEWERS,
    ),
    # --- Articles: transitions, by their URLs ------------------------------------------------
    transition(
        "送审别人的草稿",
        "draft",
        "submit",
        REVIEWERS,
        done=lambda s: fresh(s.draft).status == "in_review",
    ),
    transition(
        "初审通过",
        "in_review",
        "approve",
        REVIEWERS,
        done=lambda s: fresh(s.in_review).review_level == 2,
    ),
    transition(
        "初审退回",
        "in_review",
        "reject",
        REVIEWERS,
        note="请补充",
        done=lambda s: fresh(s.in_review).status == "draft",
    ),
    transition(
        "终审通过",
        "at_final",
        "approve",
        PUBLISHERS,
        done=lambda s: fresh(s.at_final).status == "approved",
    ),
    transition(
        "发布",
        "approved",
        "publish",
        PUBLISHERS,
        done=lambda s: fresh(s.approved).status == "published",
    ),
    transition(
        "取消定时",
        "scheduled",
        "unschedule",
        PUBLISHERS,
        done=lambda s: fresh(s.scheduled).status == "approved",
    ),
    transition(
        "撤稿",
        "published",
        "withdraw",
        PUBLISHERS,
        note="失实",
        done=lambda s: fresh(s.published).status == "withdrawn",
    ),
    transition(
        "恢复为草稿",
        "withdrawn",
        "reopen",
        PUBLISHERS,
        done=lambda s: fresh(s.withdrawn).status == "draft",
    ),
    transition(
        "修改别人已发布的稿件",
        "published",
        "start_revision",
        REVIEWERS,
        done=lambda s: s.published.working_copies.exists(),
    ),
    transition(
        "直接更正上线",
        "working_copy",
        "correct_directly",
        PUBLISHERS,
        note="更正错字",
        done=lambda s: fresh(s.working_copy) is None,
        settings={"NEWSROOM_DIRECT_CORRECTIONS": True},
    ),
    # --- Articles: bulk actions ---------------------------------------------------------------
    bulk_row(
        "批量送审",
        "submit_selected",
        "draft",
        REVIEWERS,
        lambda s: fresh(s.draft).status == "in_review",
    ),
    bulk_row(
        "批量审核通过",
        "approve_selected",
        "in_review",
        REVIEWERS,
        lambda s: fresh(s.in_review).review_level == 2,
    ),
    bulk_row(
        "批量发布",
        "publish_selected",
        "approved",
        PUBLISHERS,
        lambda s: fresh(s.approved).status == "published",
    ),
    bulk_row(
        "批量删除别人的草稿",
        "delete_selected",
        "draft",
        PUBLISHERS,
        lambda s: fresh(s.draft) is None,
    ),
    bulk_row(
        "批量删除已发布稿件",
        "delete_selected",
        "published",
        NOBODY,
        lambda s: fresh(s.published) is None,
    ),
    # --- Photos --------------------------------------------------------------------------------
    Row("图片库", "GET", lambda s: reverse("admin:articles_image_changelist"), DESK),
    Row("上传图片页", "GET", lambda s: reverse("admin:articles_image_add"), DESK),
    Row("批量上传页", "GET", lambda s: reverse("admin:articles_image_upload"), DESK),
    Row(
        "填写图片说明页",
        "GET",
        lambda s: reverse("admin:articles_image_describe") + f"?ids={s.image.pk}",
        DESK,
    ),
    Row("正文图片选择器", "GET", lambda s: reverse("admin:articles_image_picker"), DESK),
    Row("正文视频选择器", "GET", lambda s: reverse("admin:videos_video_picker"), DESK),
    Row(
        "正文中粘贴的视频链接转为嵌入视频",
        "POST",
        lambda s: reverse("admin:videos_video_from_link"),
        DESK,
        data=lambda s: {
            "share_url": "https://www.bilibili.com/video/BV1xx411c7mD",
            "title": "粘贴的视频",
        },
        done=lambda s: Video.objects.filter(title="粘贴的视频").exists(),
    ),
    Row(
        "修改别人上传的图片的说明",
        "POST",
        lambda s: reverse("admin:articles_image_change", args=[s.image.pk]),
        REVIEWERS,
        data=lambda s: {"caption": "新的说明", "credit": "向建国", "alt_text": "橘园"},
        done=lambda s: Image.objects.get(pk=s.image.pk).caption == "新的说明",
    ),
    Row(
        "删除图片",
        "POST",
        lambda s: reverse("admin:articles_image_delete", args=[s.image.pk]),
        PUBLISHERS,
        data=lambda s: {"post": "yes"},
        done=lambda s: not Image.objects.filter(pk=s.image.pk).exists(),
    ),
    # --- Channels, people, arrangement, tags -----------------------------------------------------
    Row("栏目列表", "GET", lambda s: reverse("admin:articles_channel_changelist"), DESK),
    Row("新建栏目页", "GET", lambda s: reverse("admin:articles_channel_add"), PUBLISHERS),
    Row(
        "栏目改名",
        "POST",
        lambda s: reverse("admin:articles_channel_change", args=[s.channel.pk]),
        {MANAGING, CHIEF, SUPER},
        data=lambda s: {
            "name": "改名栏目",
            "slug": s.channel.slug,
            "position": "0",
            "kind": s.channel.kind,
            "in_navigation": "on",
        },
        done=lambda s: Channel.objects.get(pk=s.channel.pk).name == "改名栏目",
    ),
    Row(
        "删除栏目",
        "POST",
        lambda s: reverse("admin:articles_channel_delete", args=[s.spare_channel.pk]),
        {SUPER},
        data=lambda s: {"post": "yes"},
        done=lambda s: not Channel.objects.filter(pk=s.spare_channel.pk).exists(),
    ),
    Row("作者列表", "GET", lambda s: reverse("admin:articles_author_changelist"), DESK),
    Row("编辑列表", "GET", lambda s: reverse("admin:articles_editor_changelist"), DESK),
    Row("编排列表", "GET", lambda s: reverse("admin:articles_placement_changelist"), REVIEWERS),
    Row("专题列表", "GET", lambda s: reverse("admin:articles_topic_changelist"), REVIEWERS),
    Row("标签列表", "GET", lambda s: reverse("admin:taggit_tag_changelist"), DESK),
    # --- Accounts, roles, the audit log, lockouts ------------------------------------------------
    Row("账号列表", "GET", lambda s: reverse("admin:auth_user_changelist"), {SUPER}),
    Row("新建账号页", "GET", lambda s: reverse("admin:auth_user_add"), {SUPER}),
    Row(
        "账号详情",
        "GET",
        lambda s: reverse("admin:auth_user_change", args=[s.writer2.pk]),
        {SUPER},
    ),
    Row(
        "把账号设为超级用户",
        "POST",
        lambda s: reverse("admin:auth_user_change", args=[s.writer2.pk]),
        {SUPER},
        data=lambda s: user_form(s.writer2, is_superuser="on"),
        done=lambda s: get_user_model().objects.get(pk=s.writer2.pk).is_superuser,
    ),
    Row(
        "重设密码页",
        "GET",
        lambda s: reverse("admin:auth_user_password_change", args=[s.writer2.pk]),
        {SUPER},
    ),
    Row(
        "删除账号",
        "POST",
        lambda s: reverse("admin:auth_user_delete", args=[s.leaver.pk]),
        {SUPER},
        data=lambda s: {"post": "yes"},
        done=lambda s: not get_user_model().objects.filter(pk=s.leaver.pk).exists(),
    ),
    Row("角色列表", "GET", lambda s: reverse("admin:auth_group_changelist"), {SUPER}),
    Row(
        "给通讯员加发布权限",
        "POST",
        lambda s: reverse("admin:auth_group_change", args=[s.writers.pk]),
        {SUPER},
        data=lambda s: {
            "name": s.writers.name,
            "permissions": [*s.writers.permissions.values_list("pk", flat=True), s.publish.pk],
        },
        done=lambda s: s.writers.permissions.filter(pk=s.publish.pk).exists(),
    ),
    Row("审计日志", "GET", lambda s: reverse("admin:audit_entry_changelist"), {SUPER}),
    Row("导出审计日志", "GET", lambda s: reverse("admin:audit_entry_export"), {SUPER}),
    Row("新增审计记录页", "GET", lambda s: reverse("admin:audit_entry_add"), NOBODY),
    Row("登录失败记录", "GET", lambda s: reverse("admin:axes_accessattempt_changelist"), {SUPER}),
]


@pytest.fixture
def scene(staff, settings) -> SimpleNamespace:
    """Everyone's accounts, and another contributor's articles in every state."""
    writer2 = member("通讯员/记者", "writer2")
    people = {
        WRITER: staff.writer,
        EDITOR: staff.editor,
        MANAGING: staff.managing,
        CHIEF: staff.chief,
        SUPER: UserFactory(username="root", is_superuser=True),
        "no_group": UserFactory(username="nobody"),
        "anonymous": None,
    }

    def theirs(**fields) -> Article:
        return ArticleFactory(created_by=writer2, **fields)

    draft = theirs(draft=True, title="初稿标题")
    first_revision = revisions.store(draft, writer2, Revision.Reason.SAVED)
    draft.title = "二稿标题"
    draft.save()
    second_revision = revisions.store(draft, writer2, Revision.Reason.SAVED)
    in_review = theirs(draft=True)
    in_review.submit(by=writer2)
    at_final = theirs(draft=True)
    at_final.submit(by=writer2)
    at_final.approve(by=staff.editor2)
    at_final.approve(by=member("主编", "managing2"))
    approved = theirs(draft=True)
    approved.submit(by=writer2)
    approved.approve(by=staff.editor2)
    approved.approve(by=Group.objects.get(name="主编").user_set.get(username="managing2"))
    approved.approve(by=member("总编辑", "chief2"))
    published = theirs()
    working_live = theirs()
    working_copy = working_live.start_revision(by=writer2)
    working_copy.title = "修订稿"
    working_copy.save()
    return SimpleNamespace(
        people=people,
        writer2=writer2,
        leaver=UserFactory(username="leaver"),
        writers=Group.objects.get(name="通讯员/记者"),
        publish=Permission.objects.get(codename="publish_article"),
        draft=draft,
        first_revision=first_revision,
        second_revision=second_revision,
        in_review=in_review,
        at_final=at_final,
        approved=approved,
        published=published,
        scheduled=theirs(first_published_at=timezone.now() + timedelta(days=1)),
        withdrawn=theirs(status=Article.Status.WITHDRAWN),
        working_copy=working_copy,
        image=ImageFactory(),
        channel=draft.channel,
        spare_channel=Channel.objects.create(name="备用栏目", slug="spare"),
    )


def attempt(client, scene, row: Row, settings) -> str:
    """'allowed' or 'refused' for one row, judged by status and (for a POST) its effect."""
    for name, value in row.settings.items():
        setattr(settings, name, value)
    with transaction.atomic():
        url = row.url(scene)
        get = row.method == "GET"
        response = client.get(url) if get else client.post(url, row.data(scene))
        status = response.status_code
        if status not in (HTTPStatus.OK, HTTPStatus.CREATED, HTTPStatus.FOUND,
                          HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND):  # fmt: skip
            outcome = f"status {status}"
        elif row.method == "GET":
            outcome = "allowed" if status == HTTPStatus.OK else "refused"
        else:
            outcome = "allowed" if row.done(scene) else "refused"
        transaction.set_rollback(True)
    return outcome


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_what_the_table_allows(client, scene, settings, role):
    person = scene.people[role]
    if person is not None:
        client.force_login(person)

    wrong = []
    for row in TABLE:
        expected = "allowed" if role in row.allowed else "refused"
        outcome = attempt(client, scene, row, settings)
        if outcome != expected:
            wrong.append(f"{row.what} ({row.method}): expected {expected}, got {outcome}")

    assert wrong == []


# --- Another contributor's article, by every way in ----------------------------------------


def row_state(article: Article) -> dict:
    """Everything a refused attempt must leave as it was."""
    row = Article.objects.filter(pk=article.pk).values().first()
    return {
        "row": row,
        "revisions": article.revisions.count(),
        "transitions": article.transitions.count(),
        "working_copies": article.working_copies.count(),
    }


WAYS_IN = {
    "change page": lambda c, a, s: c.get(reverse("admin:articles_article_change", args=[a.pk])),
    "change post": lambda c, a, s: c.post(
        reverse("admin:articles_article_change", args=[a.pk]), article_form(a, title="偷改")
    ),
    "bulk submit": lambda c, a, s: c.post(
        CHANGELIST, {"action": "submit_selected", "_selected_action": [a.pk]}
    ),
    "bulk delete": lambda c, a, s: c.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [a.pk], "post": "yes"}
    ),
    "history": lambda c, a, s: c.get(reverse("admin:articles_article_history", args=[a.pk])),
    "restore": lambda c, a, s: c.post(
        reverse("admin:articles_article_restore", args=[a.pk, s.first_revision.pk])
    ),
    "submit": lambda c, a, s: c.post(
        reverse("admin:articles_article_transition", args=[a.pk, "submit"])
    ),
    "start revision": lambda c, a, s: c.post(
        reverse("admin:articles_article_transition", args=[a.pk, "start_revision"])
    ),
}


@pytest.mark.parametrize("target", ["draft", "published"])
def test_a_contributor_changes_nothing_of_another_contributors_article(client, scene, target):
    article = getattr(scene, target)
    scene.first_revision = revisions.store(article, scene.writer2, Revision.Reason.SAVED)
    before = row_state(article)
    client.force_login(scene.people[WRITER])

    changed = []
    for way, attempt_it in WAYS_IN.items():
        response = attempt_it(client, article, scene)
        if response.status_code not in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.FORBIDDEN,
                                        HTTPStatus.NOT_FOUND):  # fmt: skip
            changed.append(f"{way}: status {response.status_code}")
        if row_state(article) != before:
            changed.append(way)

    assert changed == []
