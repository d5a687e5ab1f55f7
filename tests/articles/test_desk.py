"""The editorial desk in the admin: object-level rules on every way in, the workflow panel,
history with diff and restore, 审稿单 and its exports, the schedule and the dashboard."""

import csv
import io
import json
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, review_through_chain

pytestmark = pytest.mark.django_db


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def transition_url(article: Article, action: str) -> str:
    return reverse("admin:articles_article_transition", args=[article.pk, action])


def form_data(article: Article, **fields) -> dict:
    data = {"title": article.title, "channel": article.channel_id, "origin": "original"}
    for prefix in ("credits", "picks", "links"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | fields


# --- Object-level rules, by every way in --------------------------------------------------


def test_a_writer_cannot_change_another_writers_article_by_direct_url(client, staff):
    theirs = ArticleFactory(draft=True, created_by=staff.editor, title="别人的稿件")
    client.force_login(staff.writer)

    page = client.get(change_url(theirs))
    post = client.post(change_url(theirs), form_data(theirs, title="被篡改"))

    assert page.status_code == HTTPStatus.FOUND  # not in their list: sent away
    assert post.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    theirs.refresh_from_db()
    assert theirs.title == "别人的稿件"


def test_a_writer_cannot_change_their_own_article_once_submitted(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer, title="已送审")
    article.submit(by=staff.writer)
    client.force_login(staff.writer)

    page = client.get(change_url(article))
    post = client.post(change_url(article), form_data(article, title="送审后偷改"))

    assert page.status_code == HTTPStatus.OK
    assert 'name="_save"' not in page.content.decode()
    assert post.status_code == HTTPStatus.FORBIDDEN
    article.refresh_from_db()
    assert article.title == "已送审"


def test_a_published_article_is_read_only_and_offers_a_working_copy(client, staff):
    article = ArticleFactory(created_by=staff.writer)
    client.force_login(staff.writer)

    html = client.get(change_url(article)).content.decode()
    response = client.post(transition_url(article, "start_revision"))

    copy = Article.objects.get(revision_of=article)
    assert "修改已发布稿件" in html
    assert response["Location"] == change_url(copy)
    assert copy.can_be_edited_by(staff.writer)


def test_a_writer_cannot_approve_through_a_bulk_action(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.editor)
    article.submit(by=staff.editor)
    client.force_login(staff.writer)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "approve_selected", "_selected_action": [article.pk]},
    )

    article.refresh_from_db()
    assert article.review_level == 1


def test_a_writer_cannot_approve_by_posting_the_transition_url(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    article.submit(by=staff.writer)
    client.force_login(staff.writer)

    response = client.post(transition_url(article, "approve"), follow=True)

    assert "你没有初审的权限。" in response.content.decode()
    article.refresh_from_db()
    assert article.review_level == 1


def test_published_articles_cannot_be_deleted_even_in_bulk(client, staff):
    live = ArticleFactory(created_by=staff.chief)
    draft = ArticleFactory(draft=True, created_by=staff.chief)
    client.force_login(staff.chief)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [live.pk, draft.pk], "post": "yes"},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Article.objects.filter(pk__in=[live.pk, draft.pk]).count() == 2


def test_a_refused_transition_shows_why_and_changes_nothing(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    article.submit(by=staff.writer)
    client.force_login(staff.editor)

    response = client.post(transition_url(article, "reject"), {"note": ""}, follow=True)

    assert "退回稿件必须填写退回意见。" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_scheduling_from_the_admin_takes_a_beijing_time(client, staff):
    article = ArticleFactory(status="approved", first_published_at=None)
    client.force_login(staff.chief)

    client.post(transition_url(article, "publish"), {"at": "2031-05-01T08:30", "note": ""})

    article.refresh_from_db()
    assert article.get_absolute_url().startswith("/content/2031/05/01/")
    assert timezone.localtime(article.first_published_at).hour == 8


# --- The workflow panel -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("editor", ["审核通过", "退回"], ["撤稿"]),
        ("writer", [], ["审核通过", "退回"]),
    ],
)
def test_the_panel_offers_each_person_only_their_transitions(client, staff, role, shown, hidden):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    article.submit(by=staff.writer)
    client.force_login(getattr(staff, role))

    html = client.get(change_url(article)).content.decode()

    assert "初审中" in html
    for label in shown:
        assert f">{label}</button>" in html
    for label in hidden:
        assert f">{label}</button>" not in html


def test_the_author_sees_the_return_note_on_the_article(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    article.submit(by=staff.writer)
    article.reject(by=staff.editor, note="请补充采访对象的全名")
    client.force_login(staff.writer)

    html = client.get(change_url(article)).content.decode()

    assert "退回意见：请补充采访对象的全名" in html


# --- History, diff and restore ----------------------------------------------------------


def saved_twice(client, staff) -> Article:
    client.force_login(staff.writer)
    article = ArticleFactory(draft=True, created_by=staff.writer, title="初稿标题")
    client.post(change_url(article), form_data(article, body="<p>第一版正文。</p>"))
    client.post(
        change_url(article), form_data(article, title="二稿标题", body="<p>第二版正文。</p>")
    )
    return article


def test_every_save_stores_a_revision(client, staff):
    article = saved_twice(client, staff)

    titles = [r.content["title"] for r in article.revisions.order_by("created_at", "id")]

    assert titles == ["初稿标题", "二稿标题"]


def test_history_compares_two_revisions_side_by_side(client, staff):
    article = saved_twice(client, staff)
    older, newer = article.revisions.order_by("created_at", "id")

    history = client.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    diff = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"a": older.pk, "b": newer.pk},
    ).content.decode()

    assert history.status_code == HTTPStatus.OK
    assert "<del>初</del>" in diff
    assert "<ins>二</ins>" in diff
    assert "第<del>一</del>版正文。" in diff


def test_restoring_an_old_revision_brings_it_back_as_the_draft(client, staff):
    article = saved_twice(client, staff)
    first = article.revisions.order_by("created_at", "id").first()

    client.post(reverse("admin:articles_article_restore", args=[article.pk, first.pk]))

    article.refresh_from_db()
    assert article.title == "初稿标题"
    assert article.revisions.first().reason == "restored"


def test_restoring_on_a_live_article_makes_a_working_copy_not_a_live_change(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer, title="原标题")
    review_through_chain(article, [staff.editor, staff.managing, staff.chief])
    live = article.publish(by=staff.chief)
    copy = live.start_revision(by=staff.writer)
    copy.title = "新标题"
    copy.save()
    review_through_chain(copy, [staff.editor2, staff.managing, staff.chief])
    copy.publish(by=staff.chief)
    original = live.revisions.order_by("created_at", "id").first()
    client.force_login(staff.writer)

    client.post(reverse("admin:articles_article_restore", args=[live.pk, original.pk]))

    live.refresh_from_db()
    assert live.title == "新标题"
    assert Article.objects.get(revision_of=live).title == "原标题"


def test_a_writer_cannot_restore_on_another_writers_article(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.editor, title="编辑的稿件")
    client.force_login(staff.editor)
    client.post(change_url(article), form_data(article))
    revision = article.revisions.get()
    client.force_login(staff.writer)

    client.post(reverse("admin:articles_article_restore", args=[article.pk, revision.pk]))

    assert article.revisions.count() == 1


# --- 审稿单 -----------------------------------------------------------------------------


@pytest.fixture
def reviewed(staff) -> Article:
    article = ArticleFactory(draft=True, created_by=staff.writer, title="审稿单测试稿")
    article.submit(by=staff.writer)
    article.approve(by=staff.editor, note="初审：同意")
    article.approve(by=staff.managing, note="复审：同意")
    article.approve(by=staff.chief, note="终审：同意发布")
    return article


def test_review_record_lists_each_level_reviewer_time_and_opinion(client, staff, reviewed):
    client.force_login(staff.chief)

    html = client.get(
        reverse("admin:articles_article_review_record", args=[reviewed.pk])
    ).content.decode()

    for text in ["审稿单", "第 1 级", "editor", "初审：同意", "第 3 级", "终审：同意发布"]:
        assert text in html


def test_review_record_exports_csv_and_json(client, staff, reviewed):
    client.force_login(staff.chief)
    url = reverse("admin:articles_article_review_record", args=[reviewed.pk])

    rows = list(
        csv.DictReader(io.StringIO(client.get(url, {"format": "csv"}).content.decode("utf-8-sig")))
    )
    data = json.loads(client.get(url, {"format": "json"}).content)

    assert [row["stage"] for row in rows] == ["", "初审", "复审", "终审"]
    assert rows[3]["actor_name"] == "chief"
    assert data["article"]["title"] == "审稿单测试稿"
    assert data["steps"][1]["note"] == "初审：同意"


# --- Schedule and dashboard ---------------------------------------------------------------


def test_schedule_lists_scheduled_and_expiring_items_and_flags_overdue_ones(client, staff):
    ArticleFactory(title="明早推送", first_published_at=timezone.now() + timedelta(hours=10))
    ArticleFactory(title="公示七天", expire_at=timezone.now() + timedelta(days=7))
    stuck = ArticleFactory(draft=True, created_by=staff.writer, title="压了两天的稿件")
    with time_machine.travel(timezone.now() - timedelta(days=2), tick=False):
        stuck.submit(by=staff.writer)
    client.force_login(staff.chief)

    html = client.get(reverse("admin:articles_article_schedule")).content.decode()

    assert "等待超时" in html
    assert "24 小时" in html
    for title in ["明早推送", "公示七天", "压了两天的稿件"]:
        assert title in html


def test_dashboard_shows_each_person_what_waits_for_them(client, staff):
    returned = ArticleFactory(draft=True, created_by=staff.writer, title="被退回的稿件")
    returned.submit(by=staff.writer)
    returned.reject(by=staff.editor, note="请核实数字")
    waiting = ArticleFactory(draft=True, created_by=staff.writer, title="等初审的稿件")
    waiting.submit(by=staff.writer)

    client.force_login(staff.writer)
    writer_home = client.get(reverse("admin:index")).content.decode()
    client.force_login(staff.editor)
    editor_home = client.get(reverse("admin:index")).content.decode()

    assert "被退回的稿件" in writer_home
    assert "请核实数字" in writer_home
    assert "等初审的稿件" in editor_home
    assert "等我处理" in editor_home
    assert "初审（1）" in editor_home


def test_every_panel_form_carries_a_csrf_token(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    article.submit(by=staff.writer)
    client.force_login(staff.editor)

    html = client.get(change_url(article)).content.decode()

    panel = html[html.index('class="module workflow-panel"') :]
    panel = panel[: panel.index("</section>")]
    assert panel.count('name="csrfmiddlewaretoken" value="') == panel.count("<form") == 2
    assert 'name="csrfmiddlewaretoken" value=""' not in panel


def test_a_read_only_article_shows_its_body_as_readers_see_it(client, staff):
    article = ArticleFactory(created_by=staff.writer, body="<p>矮寨大桥<strong>夜景</strong></p>")
    client.force_login(staff.writer)

    html = client.get(change_url(article)).content.decode()

    assert "<p>矮寨大桥<strong>夜景</strong></p>" in html
    assert "&lt;p&gt;矮寨大桥" not in html


def test_publishing_a_working_copy_prints_its_update_note_on_the_live_page(client, staff):
    live = ArticleFactory(created_by=staff.writer, title="沅水大桥合龙")
    copy = live.start_revision(by=staff.writer)
    review_through_chain(copy, [staff.editor, staff.managing, staff.chief])
    client.force_login(staff.chief)

    client.post(transition_url(copy, "publish"), {"note": "补充了通车时间", "kind": "update"})

    html = client.get(live.get_absolute_url()).content.decode()
    assert "更新：补充了通车时间" in html
