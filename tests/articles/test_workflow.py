"""The review chain: every role against every transition, separation of duties, scheduling,
live-versus-draft serving, corrections and withdrawal."""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from articles.models import Article, Correction, Transition
from desk import workflow
from desk.workflow import TransitionError
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ChannelFactory,
    EditorFactory,
    credit,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(staff):
    """The four roles, plus a second writer and spare reviewers for earlier levels."""
    return SimpleNamespace(
        **vars(staff),
        other_writer=member("通讯员/记者", "other_writer"),
        managing2=member("主编", "managing2"),
        chief2=member("总编辑", "chief2"),
    )


def draft_by(writer, **fields) -> Article:
    return ArticleFactory(draft=True, created_by=writer, **fields)


def in_review(desk, level: int) -> Article:
    """An article waiting at ``level``, earlier levels passed by the spare reviewers."""
    article = draft_by(desk.writer)
    article.submit(by=desk.writer)
    for reviewer in [desk.editor2, desk.managing2][: level - 1]:
        article.approve(by=reviewer)
    return article


def approved(desk) -> Article:
    article = in_review(desk, 3)
    article.approve(by=desk.chief2)
    return article


def published(desk) -> Article:
    article = approved(desk)
    article.publish(by=desk.chief2)
    return article


def scheduled(desk) -> Article:
    article = approved(desk)
    article.publish(by=desk.chief2, at=timezone.now() + timedelta(days=1))
    return article


def withdrawn(desk) -> Article:
    article = published(desk)
    article.withdraw(by=desk.chief2, note="事实有误")
    return article


ARRANGE = {
    "submit": lambda desk: draft_by(desk.writer),
    "approve level 1": lambda desk: in_review(desk, 1),
    "approve level 2": lambda desk: in_review(desk, 2),
    "approve level 3": lambda desk: in_review(desk, 3),
    "reject level 1": lambda desk: in_review(desk, 1),
    "publish": approved,
    "unschedule": scheduled,
    "withdraw": published,
    "reopen": withdrawn,
    "start_revision": published,
}
ACT = {
    "submit": lambda a, by: a.submit(by=by),
    "approve level 1": lambda a, by: a.approve(by=by, note="同意"),
    "approve level 2": lambda a, by: a.approve(by=by, note="同意"),
    "approve level 3": lambda a, by: a.approve(by=by, note="同意"),
    "reject level 1": lambda a, by: a.reject(by=by, note="导语需要重写"),
    "publish": lambda a, by: a.publish(by=by),
    "unschedule": lambda a, by: a.unschedule(by=by),
    "withdraw": lambda a, by: a.withdraw(by=by, note="当事人提出异议"),
    "reopen": lambda a, by: a.reopen(by=by),
    "start_revision": lambda a, by: a.start_revision(by=by),
}
OK = None
NOT_MINE = "只有作者本人或本栏目编辑"
# Who may do what, as the roles migration and desk/workflow.py implement it.
PERMISSION_TABLE = {
    #                   author       other writer         编辑            主编            总编辑
    "submit":          (OK,          NOT_MINE,            OK,             OK,             OK),
    "approve level 1": ("没有初审",  "没有初审",          OK,             OK,             OK),
    "approve level 2": ("没有复审",  "没有复审",          "没有复审",     OK,             OK),
    "approve level 3": ("没有终审",  "没有终审",          "没有终审",     "没有终审",     OK),
    "reject level 1":  ("没有初审",  "没有初审",          OK,             OK,             OK),
    "publish":         ("没有发布",  "没有发布",          "没有发布",     "没有发布",     OK),
    "unschedule":      ("没有发布",  "没有发布",          "没有发布",     "没有发布",     OK),
    "withdraw":        ("没有撤稿",  "没有撤稿",          "没有撤稿",     "没有撤稿",     OK),
    "reopen":          ("没有撤稿",  "没有撤稿",          "没有撤稿",     "没有撤稿",     OK),
    "start_revision":  (OK,          "只有作者本人或本栏目编辑", OK,      OK,             OK),
}  # fmt: skip
ROLES = ["writer", "other_writer", "editor", "managing", "chief"]
CASES = [
    pytest.param(transition, role, expected, id=f"{transition}-{role}")
    for transition, outcomes in PERMISSION_TABLE.items()
    for role, expected in zip(ROLES, outcomes, strict=True)
]


@pytest.mark.parametrize(("transition", "role", "expected"), CASES)
def test_every_role_against_every_transition(desk, transition, role, expected):
    article = ARRANGE[transition](desk)
    before = (article.status, article.review_level, Transition.objects.count())

    if expected is OK:
        ACT[transition](article, getattr(desk, role))
        assert Transition.objects.count() == before[2] + 1
    else:
        with pytest.raises(TransitionError, match=expected):
            ACT[transition](article, getattr(desk, role))
        article.refresh_from_db()
        assert (article.status, article.review_level, Transition.objects.count()) == before


# --- The chain --------------------------------------------------------------------------


def test_three_reviews_then_publication_make_the_article_public(desk):
    article = draft_by(desk.writer)

    article.submit(by=desk.writer)
    article.approve(by=desk.editor, note="初审同意")
    article.approve(by=desk.managing, note="复审同意")
    article.approve(by=desk.chief, note="终审同意")
    assert article.status == Article.Status.APPROVED
    assert not Article.objects.published().filter(pk=article.pk).exists()
    article.publish(by=desk.chief)

    assert Article.objects.published().filter(pk=article.pk).exists()
    steps = list(article.transitions.values_list("action", "level", "actor_name", "note"))
    assert steps == [
        ("submit", 0, "writer", ""),
        ("approve", 1, "editor", "初审同意"),
        ("approve", 2, "managing", "复审同意"),
        ("approve", 3, "chief", "终审同意"),
        ("publish", 0, "chief", ""),
    ]


def test_publish_permission_never_bypasses_the_chain(desk):
    article = draft_by(desk.chief)

    with pytest.raises(TransitionError, match="不能进行此操作"):
        article.publish(by=desk.chief)
    article.submit(by=desk.chief)
    with pytest.raises(TransitionError, match="不能进行此操作"):
        article.publish(by=desk.chief)


def test_rejection_returns_the_article_to_its_author_with_the_reason(desk):
    article = in_review(desk, 2)

    article.reject(by=desk.managing, note="数据来源不清，请补充")

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.return_note == "数据来源不清，请补充"
    assert article.state_label() == "已退回"
    assert article.can_be_edited_by(desk.writer)


def test_rejection_needs_a_reason(desk):
    article = in_review(desk, 1)

    with pytest.raises(TransitionError, match="必须填写退回意见"):
        article.reject(by=desk.editor, note="   ")


def test_resubmitting_clears_the_return_note_and_starts_a_new_round(desk):
    article = in_review(desk, 1)
    article.reject(by=desk.editor, note="请补充图片")

    article.submit(by=desk.writer)

    assert (article.status, article.review_level, article.review_round) == ("in_review", 1, 2)
    assert article.return_note == ""


def test_a_submitted_article_is_edited_only_by_the_reviewer_who_holds_it(desk):
    article = in_review(desk, 2)

    assert not article.can_be_edited_by(desk.writer)
    assert not article.can_be_edited_by(desk.editor)
    assert article.can_be_edited_by(desk.managing)


def test_a_writer_edits_only_their_own_drafts(desk):
    article = draft_by(desk.writer)

    assert article.can_be_edited_by(desk.writer)
    assert not article.can_be_edited_by(desk.other_writer)
    assert article.can_be_edited_by(desk.editor)


# --- Separation of duties ----------------------------------------------------------------


def test_the_author_never_reviews_their_own_article(desk):
    article = draft_by(desk.editor)
    article.submit(by=desk.editor)

    with pytest.raises(TransitionError, match="不能审核自己撰写的稿件"):
        article.approve(by=desk.editor)


def test_a_credited_author_with_an_account_cannot_review_the_article(desk):
    article = draft_by(desk.writer)
    credit(article, AuthorFactory(name="沈佳", user=desk.editor), 0)
    article.submit(by=desk.writer)

    with pytest.raises(TransitionError, match="不能审核自己撰写的稿件"):
        article.approve(by=desk.editor)


def test_nobody_acts_at_two_levels_of_the_same_chain(desk):
    article = draft_by(desk.writer)
    article.submit(by=desk.writer)
    article.approve(by=desk.chief)
    article.approve(by=desk.managing)

    with pytest.raises(TransitionError, match="同一人不能审核两级"):
        article.approve(by=desk.chief)


def test_superusers_are_held_to_separation_unless_the_site_allows_it(desk, settings):
    boss = member("总编辑", "boss", is_superuser=True)
    article = draft_by(desk.writer)
    article.submit(by=desk.writer)
    article.approve(by=boss)

    with pytest.raises(TransitionError, match="同一人不能审核两级"):
        article.approve(by=boss)
    settings.NEWSROOM_SUPERUSERS_MAY_REVIEW_TWICE = True
    article.approve(by=boss)
    assert article.review_level == 3


def test_a_new_round_after_rejection_is_a_new_chain(desk):
    article = draft_by(desk.writer)
    article.submit(by=desk.writer)
    article.approve(by=desk.chief)
    article.reject(by=desk.managing, note="标题不准确")
    article.submit(by=desk.writer)
    article.approve(by=desk.editor)
    article.approve(by=desk.managing)

    article.approve(by=desk.chief)

    assert article.status == Article.Status.APPROVED


def test_editors_limited_to_channels_review_only_those(desk):
    politics, tourism = ChannelFactory(name="时政"), ChannelFactory(name="旅游")
    EditorFactory(user=desk.editor).channels.set([politics])
    article = draft_by(desk.writer, channel=tourism)
    article.submit(by=desk.writer)

    with pytest.raises(TransitionError, match="不在你负责的栏目内"):
        article.approve(by=desk.editor)
    mine = draft_by(desk.writer, channel=politics)
    mine.submit(by=desk.writer)
    mine.approve(by=desk.editor)
    assert mine.review_level == 2


# --- Levels per channel -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "reviewers"),
    [(1, ["chief"]), (2, ["editor", "chief"]), (3, ["editor", "managing", "chief"])],
)
def test_channels_set_how_many_reviews_an_article_needs(desk, levels, reviewers):
    article = draft_by(desk.writer, channel=ChannelFactory(review_levels=levels))
    article.submit(by=desk.writer)

    for role in reviewers:
        assert article.status == Article.Status.IN_REVIEW
        article.approve(by=getattr(desk, role))

    assert article.status == Article.Status.APPROVED


def test_the_last_level_is_always_the_final_review(desk):
    tourism = ChannelFactory(name="旅游", review_levels=1)
    article = draft_by(desk.writer, channel=tourism)
    article.submit(by=desk.writer)

    with pytest.raises(TransitionError, match="没有终审"):
        article.approve(by=desk.editor)


def test_a_sub_channel_follows_its_parent_and_the_site_default_applies_otherwise(desk, settings):
    settings.NEWSROOM_REVIEW_LEVELS = 2
    county = ChannelFactory(parent=ChannelFactory(review_levels=1))
    elsewhere = draft_by(desk.writer)
    in_county = draft_by(desk.writer, channel=county)
    for article in (elsewhere, in_county):
        article.submit(by=desk.writer)
        article.approve(by=desk.chief)

    assert in_county.status == Article.Status.APPROVED
    assert elsewhere.status == Article.Status.IN_REVIEW


# --- Reprints ---------------------------------------------------------------------------


def test_a_reprint_is_refused_at_submission_until_its_attribution_is_complete(desk):
    article = draft_by(
        desk.writer, origin=Article.Origin.REPRINT, original_outlet="团结报", original_title=""
    )

    with pytest.raises(TransitionError, match="缺少：原作者、原标题、原文链接"):
        article.submit(by=desk.writer)
    assert article.status == Article.Status.DRAFT
    Article.objects.filter(pk=article.pk).update(
        original_author="石开明",
        original_title="原标题",
        original_url="https://www.example.com/1.html",
    )
    article.refresh_from_db()
    article.submit(by=desk.writer)
    assert article.review_level == 1


def test_a_reprint_whose_attribution_is_emptied_in_review_cannot_be_approved(desk):
    article = draft_by(
        desk.writer,
        origin=Article.Origin.REPRINT,
        original_outlet="团结报",
        original_author="石开明",
        original_title="原标题",
        original_url="https://www.example.com/1.html",
    )
    article.submit(by=desk.writer)
    Article.objects.filter(pk=article.pk).update(original_url="")
    article.refresh_from_db()

    with pytest.raises(TransitionError, match="缺少：原文链接"):
        article.approve(by=desk.editor)
    assert not workflow.allowed("approve", article, desk.editor)
    assert workflow.allowed("reject", article, desk.editor)


# --- Scheduling and expiry ----------------------------------------------------------------


def test_a_scheduled_article_becomes_visible_at_its_exact_time(desk):
    article = approved(desk)
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    article.publish(by=desk.chief, at=moment)

    with time_machine.travel(moment - timedelta(seconds=1), tick=False):
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert article.state_label() == "定时发布"
    with time_machine.travel(moment, tick=False):
        assert Article.objects.published().filter(pk=article.pk).exists()
    assert article.transitions.last().action == "schedule"


def test_the_url_date_of_a_scheduled_article_is_its_publication_day(desk):
    article = approved(desk)
    moment = timezone.now() + timedelta(days=3)

    article.publish(by=desk.chief, at=moment)

    assert article.get_absolute_url().startswith(
        f"/content/{timezone.localtime(moment):%Y/%m/%d}/"
    )


def test_cancelling_a_schedule_returns_the_article_to_approved(desk):
    article = scheduled(desk)

    article.unschedule(by=desk.chief)

    assert article.status == Article.Status.APPROVED
    assert not Article.objects.scheduled().exists()


def test_an_expiring_notice_disappears_at_its_exact_time(desk, client):
    article = approved(desk)
    Article.objects.filter(pk=article.pk).update(expire_at=timezone.now() + timedelta(days=7))
    article.refresh_from_db()
    article.publish(by=desk.chief)

    with time_machine.travel(article.expire_at - timedelta(seconds=1), tick=False):
        assert Article.objects.published().filter(pk=article.pk).exists()
    with time_machine.travel(article.expire_at, tick=False):
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert client.get(article.get_absolute_url()).status_code == 410


def test_publication_is_refused_when_the_notice_would_already_have_expired(desk):
    article = approved(desk)
    Article.objects.filter(pk=article.pk).update(expire_at=timezone.now() + timedelta(hours=1))

    with pytest.raises(TransitionError, match="下线时间早于发布时间"):
        article.publish(by=desk.chief, at=timezone.now() + timedelta(hours=2))


# --- Live versus draft ------------------------------------------------------------------


def test_the_public_keeps_the_live_version_while_an_edit_is_reviewed(desk, client):
    article = published(desk)
    url = article.get_absolute_url()
    copy = article.start_revision(by=desk.writer)
    copy.title = "修改后的标题"
    copy.save()
    copy.submit(by=desk.writer)
    copy.approve(by=desk.editor)

    assert "修改后的标题" not in client.get(url).content.decode()
    copy.approve(by=desk.managing)
    copy.approve(by=desk.chief)
    live = copy.publish(by=desk.chief, note="修正标题表述")

    assert live.pk == article.pk
    assert live.get_absolute_url() == url
    html = client.get(url).content.decode()
    assert "修改后的标题" in html
    assert "修正标题表述" in html
    assert not Article.objects.filter(revision_of=article).exists()


def test_a_working_copy_is_never_public(desk, client):
    article = published(desk)
    copy = article.start_revision(by=desk.writer)

    assert not Article.objects.published().filter(pk=copy.pk).exists()
    assert copy.pk != article.pk
    assert client.get(f"/content/2022/01/01/{copy.pk}.html").status_code == 404


def test_only_one_working_copy_at_a_time(desk):
    article = published(desk)
    article.start_revision(by=desk.writer)

    with pytest.raises(TransitionError, match="已有一份修订稿"):
        article.start_revision(by=desk.editor)


def test_a_working_copy_cannot_be_scheduled(desk):
    article = published(desk)
    copy = article.start_revision(by=desk.writer)
    copy.submit(by=desk.writer)
    for reviewer in (desk.editor, desk.managing, desk.chief):
        copy.approve(by=reviewer)

    with pytest.raises(TransitionError, match="只能立即发布"):
        copy.publish(by=desk.chief, at=timezone.now() + timedelta(days=1))


def test_small_corrections_go_live_directly_only_where_the_site_allows(desk, settings, client):
    article = published(desk)
    copy = article.start_revision(by=desk.chief)
    copy.title = "更正后的标题"
    copy.save()

    with pytest.raises(TransitionError, match="不允许跳过审核"):
        copy.correct_directly(by=desk.chief, note="更正错字")
    settings.NEWSROOM_DIRECT_CORRECTIONS = True
    with pytest.raises(TransitionError, match="没有终审"):
        copy.correct_directly(by=desk.managing, note="更正错字")
    live = copy.correct_directly(by=desk.chief, note="更正错字")

    assert live.title == "更正后的标题"
    assert Correction.objects.get(article=live).text == "更正错字"
    assert "更正错字" in client.get(live.get_absolute_url()).content.decode()


# --- Withdrawal -------------------------------------------------------------------------


def test_withdrawing_needs_a_reason_and_answers_410_at_once(desk, client):
    article = published(desk)

    with pytest.raises(TransitionError, match="撤稿必须填写原因"):
        article.withdraw(by=desk.chief, note="")
    article.withdraw(by=desk.chief, note="报道对象信息有误")

    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert article.title not in response.content.decode()
    assert article.withdrawal_reason == "报道对象信息有误"


def test_a_withdrawn_article_leaves_every_public_surface(desk, client):
    article = published(desk)
    channel = article.channel
    neighbour = ArticleFactory(
        channel=channel, first_published_at=article.first_published_at + timedelta(minutes=5)
    )
    neighbour.tags.set(["共同标签"])
    article.tags.set(["共同标签"])
    neighbour.picks.create(to_article=article)

    article.withdraw(by=desk.chief, note="撤稿")

    for path in ["/", channel.get_absolute_url(), neighbour.get_absolute_url()]:
        assert article.title not in client.get(path).content.decode(), path


def test_a_withdrawn_article_comes_back_only_through_the_whole_chain(desk):
    article = withdrawn(desk)
    url = article.get_absolute_url()

    article.reopen(by=desk.chief)
    assert article.status == Article.Status.DRAFT
    with pytest.raises(TransitionError):
        article.publish(by=desk.chief)
    article.submit(by=desk.writer)
    for reviewer in (desk.editor, desk.managing, desk.chief):
        article.approve(by=reviewer)
    article.publish(by=desk.chief)

    assert article.get_absolute_url() == url


# --- Notifications ----------------------------------------------------------------------


def test_the_next_reviewers_are_emailed_when_an_article_reaches_them(
    desk, django_capture_on_commit_callbacks
):
    for user in (desk.editor, desk.editor2, desk.managing, desk.chief):
        user.email = f"{user.username}@example.com"
        user.save()
    article = draft_by(desk.writer, title="浦市古镇修缮启动")

    with django_capture_on_commit_callbacks(execute=True):
        article.submit(by=desk.writer)

    first = {address for message in mail.outbox for address in message.to}
    assert {"editor@example.com", "editor2@example.com"} <= first
    assert "浦市古镇修缮启动" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.approve(by=desk.editor)
    second = {address for message in mail.outbox for address in message.to}
    assert "managing@example.com" in second
    assert "editor2@example.com" not in second


# --- Concurrency --------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are PostgreSQL's; SQLite serialises writers with one database lock",
)
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_move_the_article_one_level(staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    article.submit(by=staff.writer)
    start = threading.Barrier(2)
    outcomes = []

    def approve(reviewer) -> None:
        copy = Article.objects.get(pk=article.pk)
        start.wait()
        try:
            copy.approve(by=reviewer, note="同意")
            outcomes.append("approved")
        except TransitionError as refusal:
            outcomes.append(str(refusal))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r,)) for r in (staff.editor, staff.editor2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    article.refresh_from_db()
    assert sorted(outcomes) == ["approved", "你没有复审的权限。"]
    assert article.review_level == 2
    assert article.transitions.filter(action="approve").count() == 1


@pytest.mark.parametrize("action", ["unschedule", "reopen", "correct_directly"])
def test_a_chief_limited_to_channels_takes_no_step_outside_them(desk, settings, action):
    settings.NEWSROOM_DIRECT_CORRECTIONS = True
    politics, tourism = ChannelFactory(name="时政"), ChannelFactory(name="旅游")
    EditorFactory(user=desk.chief).channels.set([politics])
    elsewhere = {
        "unschedule": lambda: ArticleFactory(
            channel=tourism, first_published_at=timezone.now() + timedelta(days=1)
        ),
        "reopen": lambda: ArticleFactory(channel=tourism, status=Article.Status.WITHDRAWN),
        "correct_directly": lambda: ArticleFactory(channel=tourism).start_revision(by=desk.chief2),
    }[action]()
    status = elsewhere.status
    notes = {"correct_directly": {"note": "更正错字"}}.get(action, {})

    with pytest.raises(TransitionError, match="不在你负责的栏目内"):
        getattr(elsewhere, action)(by=desk.chief, **notes)

    elsewhere.refresh_from_db()
    assert elsewhere.status == status


def test_publishing_at_a_past_time_is_refused_not_moved_to_now(desk):
    article = approved(desk)

    with pytest.raises(TransitionError, match="定时发布时间已经过去"):
        article.publish(by=desk.chief, at=timezone.now() - timedelta(days=400))

    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert article.first_published_at is None
