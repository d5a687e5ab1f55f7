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

from articles.models import Article, GalleryPhoto, Revision
from desk import revisions
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ChannelFactory,
    EditorFactory,
    ImageFactory,
    credit,
    library_figure,
    review_through_chain,
)

pytestmark = pytest.mark.django_db


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def transition_url(article: Article, action: str) -> str:
    return reverse("admin:articles_article_transition", args=[article.pk, action])


def form_data(article: Article, **fields) -> dict:
    data = {"title": article.title, "channel": article.channel_id, "origin": "original"}
    for prefix in ("credits", "picks", "links", "gallery_items"):
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


def test_scheduling_says_when_the_article_will_go_live(client, staff):
    article = ArticleFactory(status="approved", first_published_at=None)
    client.force_login(staff.chief)
    moment = timezone.localtime() + timedelta(days=2)

    response = client.post(
        transition_url(article, "publish"), {"at": f"{moment:%Y-%m-%dT%H:%M}"}, follow=True
    )

    html = response.content.decode()
    assert f"已定时，将于 {moment:%Y-%m-%d %H:%M} 发布。" in html
    assert "稿件已发布。" not in html


@pytest.mark.parametrize(
    ("earlier", "reason"),
    [
        (timedelta(minutes=5), "已经过去，稿件没有发布"),
        (timedelta(days=2), "是过去的日期，稿件没有发布"),
    ],
)
def test_a_schedule_time_in_the_past_is_refused_with_the_reason(client, staff, earlier, reason):
    article = ArticleFactory(status="approved", first_published_at=None)
    client.force_login(staff.chief)
    with time_machine.travel(timezone.now().replace(hour=12), tick=False):
        moment = timezone.localtime() - earlier

        response = client.post(
            transition_url(article, "publish"), {"at": f"{moment:%Y-%m-%dT%H:%M}"}, follow=True
        )

    article.refresh_from_db()
    assert f"定时发布时间 {moment:%Y-%m-%d %H:%M} {reason}" in response.content.decode()
    assert article.status == Article.Status.APPROVED
    assert article.first_published_at is None


def test_a_schedule_date_years_ago_is_refused_not_replaced_by_now(client, staff):
    article = ArticleFactory(status="approved", first_published_at=None)
    client.force_login(staff.chief)

    response = client.post(
        transition_url(article, "publish"), {"at": "2022-05-01T08:30"}, follow=True
    )

    article.refresh_from_db()
    assert "定时发布时间 2022-05-01 08:30 是过去的日期" in response.content.decode()
    assert article.status == Article.Status.APPROVED
    assert article.first_published_at is None


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


def test_review_record_lists_each_level_by_name_with_reviewer_time_and_opinion(
    client, staff, reviewed
):
    client.force_login(staff.chief)

    html = client.get(
        reverse("admin:articles_article_review_record", args=[reviewed.pk])
    ).content.decode()

    for text in [
        "审稿单",
        "<td>初审</td>",
        "editor",
        "初审：同意",
        "<td>终审</td>",
        "终审：同意发布",
    ]:
        assert text in html
    assert "第 1 级" not in html


def test_review_record_shows_the_authors_and_the_word_count(client, staff):
    article = ArticleFactory(
        draft=True,
        created_by=staff.writer,
        # 8 characters, then "Hello" as one word and 3 characters; spaces never count
        body="<p>泸溪椪柑 丰收了。</p><p>Hello 世界&amp;</p>",
    )
    credit(article, AuthorFactory(name="杨丽芳", role="reporter"), 0)
    credit(article, AuthorFactory(name="张远"), 1)
    client.force_login(staff.editor)
    url = reverse("admin:articles_article_review_record", args=[article.pk])

    html = client.get(url).content.decode()
    data = json.loads(client.get(url, {"format": "json"}).content)

    assert "作者：记者 杨丽芳、通讯员 张远" in html
    assert "字数：12" in html
    assert data["article"]["characters"] == 12


def test_review_record_numbers_rounds_after_a_return_and_for_each_correction(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer, title="轮次测试稿")
    article.submit(by=staff.writer)
    article.reject(by=staff.editor, note="补充数据")
    review_through_chain(article, [staff.editor, staff.managing, staff.chief])
    live = article.publish(by=staff.chief)
    for _correction in range(2):
        copy = live.start_revision(by=staff.writer)
        review_through_chain(copy, [staff.editor2, staff.managing, staff.chief])
        copy.publish(by=staff.chief)
    client.force_login(staff.chief)
    url = reverse("admin:articles_article_review_record", args=[live.pk])

    steps = json.loads(client.get(url, {"format": "json"}).content)["steps"]

    submits = [step["round"] for step in steps if step["action"] == "送审"]
    final_approvals = [step["round"] for step in steps if step["stage"] == "终审"]
    assert submits == [1, 2, 3, 4]
    assert final_approvals == [2, 3, 4]


def test_review_record_csv_has_chinese_headers_and_a_byte_order_mark(client, staff, reviewed):
    client.force_login(staff.chief)
    url = reverse("admin:articles_article_review_record", args=[reviewed.pk])

    content = client.get(url, {"format": "csv"}).content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))

    assert content.startswith("\ufeff".encode())
    assert list(rows[0]) == [
        "轮次", "审核级", "审核环节", "操作", "原状态", "新状态",
        "操作人", "时间", "意见", "针对修订稿",
    ]  # fmt: skip
    assert [row["审核环节"] for row in rows] == ["", "初审", "复审", "终审"]
    assert rows[3]["操作人"] == "chief"
    assert rows[3]["新状态"] == "待发布"
    assert rows[1]["轮次"] == "1"


def test_review_record_exports_json(client, staff, reviewed):
    client.force_login(staff.chief)
    url = reverse("admin:articles_article_review_record", args=[reviewed.pk])

    data = json.loads(client.get(url, {"format": "json"}).content)

    assert data["article"]["title"] == "审稿单测试稿"
    assert data["steps"][1]["note"] == "初审：同意"
    assert data["steps"][1]["stage"] == "初审"


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
    review_through_chain(article, [staff.editor, staff.managing, staff.chief])
    client.force_login(staff.chief)  # an approved story is read-only: a form per button

    html = client.get(change_url(article)).content.decode()

    panel = html[html.index('class="module workflow-panel"') :]
    panel = panel[: panel.index("</section>")]
    forms = panel.count("<form")
    assert forms >= 2
    assert panel.count('name="csrfmiddlewaretoken" value="') == forms
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


# --- Deleting drafts and the bulk actions each role is offered -----------------------------


def delete_url(article: Article) -> str:
    return reverse("admin:articles_article_delete", args=[article.pk])


def test_a_writer_can_delete_his_own_unsubmitted_draft(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer, title="写坏了的草稿")
    client.force_login(staff.writer)
    client.post(change_url(article), form_data(article))  # saved once: it has a revision

    page = client.get(change_url(article)).content.decode()
    confirm = client.get(delete_url(article))
    response = client.post(delete_url(article), {"post": "yes"})

    assert delete_url(article) in page
    assert confirm.status_code == HTTPStatus.OK
    assert response.status_code == HTTPStatus.FOUND
    assert not Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize("state", ["others_draft", "in_review", "published"])
def test_a_writer_cannot_delete_others_drafts_or_articles_past_the_draft(client, staff, state):
    if state == "others_draft":
        article = ArticleFactory(draft=True, created_by=staff.editor)
    elif state == "in_review":
        article = ArticleFactory(draft=True, created_by=staff.writer)
        article.submit(by=staff.writer)
    else:
        article = ArticleFactory(created_by=staff.writer)
    client.force_login(staff.writer)

    response = client.post(delete_url(article), {"post": "yes"})

    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
    assert Article.objects.filter(pk=article.pk).exists()


def test_an_editor_cannot_delete_a_writers_draft_he_may_edit(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    client.force_login(staff.editor)

    response = client.post(delete_url(article), {"post": "yes"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize(
    ("role", "offered", "not_offered"),
    [
        ("writer", ["submit_selected"], ["approve_selected", "publish_selected"]),
        ("editor", ["submit_selected", "approve_selected"], ["publish_selected"]),
        ("chief", ["submit_selected", "approve_selected", "publish_selected"], []),
    ],
)
def test_bulk_actions_are_offered_only_to_those_who_may_take_them(
    client, staff, role, offered, not_offered
):
    ArticleFactory(draft=True, created_by=getattr(staff, role))
    client.force_login(getattr(staff, role))

    html = client.get(reverse("admin:articles_article_changelist")).content.decode()

    for action in offered:
        assert f'value="{action}"' in html
    for action in not_offered:
        assert f'value="{action}"' not in html


# --- Earlier opinions on the review page, and the 稿签 -----------------------------------


def test_a_reviewer_sees_every_earlier_opinion_grouped_by_round(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    article.submit(by=staff.writer)
    article.approve(by=staff.editor, note="初审：导语可再精炼")
    article.reject(by=staff.managing, note="复审：数据来源需注明")
    article.submit(by=staff.writer)
    article.approve(by=staff.editor, note="初审：已补来源")
    client.force_login(staff.managing)

    html = client.get(change_url(article)).content.decode()

    opinions = html[html.index("历次审核意见") :]
    first, second = opinions.split("第 2 轮")
    assert "第 1 轮" in first
    for text in ["初审：导语可再精炼", "复审：数据来源需注明", "managing", "<td>复审</td>"]:
        assert text in first
    assert "初审：已补来源" in second
    assert "初审：导语可再精炼" not in second


def slip_url(article: Article) -> str:
    return reverse("admin:articles_article_slip", args=[article.pk])


def test_the_slip_prints_the_story_facts_and_each_levels_signature(client, staff):
    editor = EditorFactory(display_name="沈佳")
    article = ArticleFactory(
        draft=True,
        created_by=staff.writer,
        title="泸溪椪柑丰收",
        body="<p>椪柑 丰收。</p>",
        source="泸溪县融媒体中心",
        editor=editor,
    )
    credit(article, AuthorFactory(name="向明辉", role="reporter"), 0)
    review_through_chain(article, [staff.editor, staff.managing, staff.chief])
    live = article.publish(by=staff.chief)
    published = timezone.localtime(live.first_published_at)
    client.force_login(staff.editor)

    html = client.get(change_url(live)).content.decode()
    slip = client.get(slip_url(live)).content.decode()

    assert slip_url(live) in html
    for text in [
        "红岭网湘西站稿签",
        "泸溪椪柑丰收",
        "记者 向明辉",
        "<td>5</td>",
        "原创（泸溪县融媒体中心）",
        "沈佳",
        "签名：editor",
        "签名：managing",
        "签名：chief",
        f"{published:%Y-%m-%d %H:%M}",
    ]:
        assert text in slip
    assert slip.count("同意") == 3


def test_the_slip_of_a_correction_is_signed_by_its_own_round(client, staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    review_through_chain(article, [staff.editor, staff.managing, staff.chief])
    live = article.publish(by=staff.chief)
    copy = live.start_revision(by=staff.writer)
    copy.submit(by=staff.writer)
    copy.approve(by=staff.editor2, note="更正：已核对")
    client.force_login(staff.chief)

    slip = client.get(slip_url(copy)).content.decode()
    live_slip = client.get(slip_url(live)).content.decode()

    assert "签名：editor2" in slip
    assert "签名：managing" not in slip
    assert "签名：managing" in live_slip
    assert "签名：editor2" not in live_slip


# --- The diff in words and pictures -------------------------------------------------------


def compare_page(client, article: Article) -> str:
    older, newer = article.revisions.order_by("created_at", "id")
    return client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"a": older.pk, "b": newer.pk},
    ).content.decode()


def diff_row(html: str, label: str) -> str:
    """The compare table's row for one field."""
    start = html.index(f'<th scope="row">{label}</th>')
    return html[start : html.index("</tr>", start)]


def test_the_diff_names_channels_origins_editors_and_credits(client, staff):
    minsheng, shizheng = ChannelFactory(name="民生"), ChannelFactory(name="时政")
    article = ArticleFactory(draft=True, created_by=staff.writer, channel=minsheng)
    revisions.store(article, staff.writer, Revision.Reason.SAVED)
    article.channel = shizheng
    article.origin = Article.Origin.REPRINT
    article.original_outlet = "湖南日报"
    article.editor = EditorFactory(display_name="沈佳")
    article.save()
    credit(article, AuthorFactory(name="向明辉"), 0, role="reporter")
    revisions.store(article, staff.writer, Revision.Reason.SAVED)
    client.force_login(staff.editor)

    html = compare_page(client, article)

    assert "民生" in diff_row(html, "栏目")
    assert "时政" in diff_row(html, "栏目")
    assert "原创" in diff_row(html, "原创/转载")
    assert "转载" in diff_row(html, "原创/转载")
    assert "沈佳" in diff_row(html, "责任编辑")
    assert "记者 向明辉" in diff_row(html, "作者")
    assert f"<td>{minsheng.pk}</td>" not in html
    assert "original" not in diff_row(html, "原创/转载")


def test_the_diff_shows_photos_added_and_removed_and_their_caption_and_alt_changes(client, staff):
    kept, dropped, added, grouped = (ImageFactory(caption=f"照片{n}") for n in range(4))
    article = ArticleFactory(
        draft=True,
        created_by=staff.writer,
        body=library_figure(kept, "原来的图片说明") + library_figure(dropped, "被删的图"),
    )
    revisions.store(article, staff.writer, Revision.Reason.SAVED)
    article.body = library_figure(kept, "改过的图片说明") + library_figure(added, "新加的图")
    article.body = article.body.replace(f'alt="{kept.alt_text}"', 'alt="沅水岸边"', 1)
    article.save()
    GalleryPhoto.objects.create(article=article, image=grouped, caption="组图第一张")
    revisions.store(article, staff.writer, Revision.Reason.SAVED)
    client.force_login(staff.editor)

    html = compare_page(client, article)

    photos = diff_row(html, "正文图片")
    old_photos, new_photos = photos.split("</td><td>")
    assert f"移除：#{dropped.pk}" in old_photos
    assert "diff-photo--removed" in old_photos
    assert f"新增：#{added.pk}" in new_photos
    assert "diff-photo--added" in new_photos
    assert f"移除：#{kept.pk}" not in photos
    assert f"新增：#{kept.pk}" not in photos
    assert "<img" in new_photos
    assert "<del>原来</del>" in diff_row(html, "正文图片说明")
    assert "<ins>改过</ins>" in diff_row(html, "正文图片说明")
    assert "<ins>沅水岸边</ins>" in diff_row(html, "正文图片替代文字")
    assert f"新增：#{grouped.pk}" in diff_row(html, "组图照片")
