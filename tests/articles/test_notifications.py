"""Who hears of what: review mail to those whose turn it is, every decision to the author,
in mail and in the inbox, with absolute links."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from articles.models import Notification
from desk.notifications import notify_authors, notify_reviewers
from desk.workflow import TransitionError
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ChannelFactory,
    EditorFactory,
    UserFactory,
    credit,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(staff):
    """The staff with addresses, and a superuser who should rarely hear anything."""
    admin = UserFactory(username="admin", is_superuser=True)
    people = [*vars(staff).values(), admin]
    for user in people:
        user.email = f"{user.username}@example.com"
        user.save()
    staff.admin = admin
    return staff


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Take one step with its after-commit tasks run; return who got mail, by address."""

    def run(step) -> dict[str, list]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            step()
        got: dict[str, list] = {}
        for message in mail.outbox:
            for address in message.to:
                got.setdefault(address.split("@")[0], []).append(message)
        return got

    return run


def story(desk, **fields):
    fields = {"title": "浦市古镇修缮启动", **fields}
    return ArticleFactory(draft=True, created_by=desk.writer, **fields)


# --- Review mail ----------------------------------------------------------------------------


def test_first_review_mail_goes_to_editors_only(desk, act):
    article = story(desk)

    got = act(lambda: article.submit(by=desk.writer))

    assert set(got) == {"editor", "editor2"}
    assert "浦市古镇修缮启动" in got["editor"][0].subject


def test_each_level_is_mailed_to_the_role_whose_level_it_is(desk, act):
    article = story(desk)
    article.submit(by=desk.writer)

    second = act(lambda: article.approve(by=desk.editor))
    final = act(lambda: article.approve(by=desk.managing))
    publish = act(lambda: article.approve(by=desk.chief))

    assert set(second) - {"writer"} == {"managing"}
    assert set(final) - {"writer"} == {"chief"}
    assert set(publish) - {"writer"} == {"chief"}
    assert "等待你发布" in publish["chief"][0].body


def test_a_channel_no_limited_editor_covers_is_mailed_to_every_editor(desk, act):
    tourism, news = ChannelFactory(name="旅游"), ChannelFactory(name="要闻")
    for editor in (desk.editor, desk.editor2):
        EditorFactory(user=editor).channels.add(news)
    article = story(desk, channel=tourism)

    got = act(lambda: article.submit(by=desk.writer))

    assert set(got) == {"editor", "editor2"}


def test_someone_who_acted_at_another_level_is_not_mailed_for_the_next(desk, act):
    desk.managing2 = member("主编", "managing2", email="managing2@example.com")
    article = story(desk)
    article.submit(by=desk.writer)

    # A 主编 may sign 初审 here: another 主编 and the 总编辑 remain for the levels above.
    got = act(lambda: article.approve(by=desk.managing))

    assert set(got) - {"writer"} == {"managing2"}


def test_the_superuser_is_mailed_only_when_nobody_else_can_act(desk, act):
    article = story(desk)
    article.submit(by=desk.writer)
    article.approve(by=desk.editor)
    at_final_review = act(lambda: article.approve(by=desk.managing))
    desk.chief.is_active = False  # the only 总编辑 leaves while the story waits for him
    desk.chief.save()

    nobody_else = act(lambda: notify_reviewers.call(article.pk))

    assert set(at_final_review) - {"writer"} == {"chief"}
    assert set(nobody_else) == {"admin"}


def test_inactive_people_get_no_mail(desk, act):
    desk.editor2.is_active = False
    desk.editor2.save()
    article = story(desk)

    got = act(lambda: article.submit(by=desk.writer))

    assert set(got) == {"editor"}


def test_review_notifications_land_in_the_inbox_of_each_reviewer(desk, act):
    article = story(desk)

    act(lambda: article.submit(by=desk.writer))

    inbox = Notification.objects.filter(article=article, kind=Notification.Kind.TO_REVIEW)
    assert sorted(inbox.values_list("user__username", flat=True)) == ["editor", "editor2"]


def test_review_notice_run_again_tells_nobody_twice(desk, act):
    article = story(desk)
    act(lambda: article.submit(by=desk.writer))

    # The task runs again: its worker died before the row could say it was done.
    again = act(lambda: notify_reviewers.call(article.pk))

    assert again == {}
    inbox = Notification.objects.filter(article=article, kind=Notification.Kind.TO_REVIEW)
    assert inbox.count() == 2  # editor and editor2, once each


def test_a_second_submission_is_told_again(desk, act):
    article = story(desk)
    article.submit(by=desk.writer)
    article.reject(by=desk.editor, note="请补充采访")

    got = act(lambda: article.submit(by=desk.writer))

    assert set(got) == {"editor", "editor2"}


# --- The author hears of every decision -----------------------------------------------------


def test_the_author_hears_of_each_approval_with_its_level_and_opinion(desk, act):
    article = story(desk)
    article.submit(by=desk.writer)

    first = act(lambda: article.approve(by=desk.editor, note="导语再精炼"))
    second = act(lambda: article.approve(by=desk.managing))
    final = act(lambda: article.approve(by=desk.chief))

    assert "通过初审" in first["writer"][0].body
    assert "导语再精炼" in first["writer"][0].body
    assert "通过复审" in second["writer"][0].body
    assert "通过终审" in final["writer"][0].body
    kinds = Notification.objects.filter(user=desk.writer).values_list("kind", flat=True)
    assert list(kinds) == [Notification.Kind.APPROVED] * 3


def test_decision_notice_run_again_tells_the_author_once(desk, act):
    article = story(desk)
    article.submit(by=desk.writer)
    act(lambda: article.approve(by=desk.editor))
    step = article.transitions.last()

    again = act(lambda: notify_authors.call(step.pk))

    assert again == {}
    assert Notification.objects.filter(user=desk.writer).count() == 1


def test_the_author_hears_of_a_return_with_the_reason(desk, act):
    article = story(desk)
    article.submit(by=desk.writer)

    got = act(lambda: article.reject(by=desk.editor, note="请核实修缮资金数字"))

    assert "在初审被退回" in got["writer"][0].body
    assert "请核实修缮资金数字" in got["writer"][0].body
    assert "editor" not in got
    assert Notification.objects.get(user=desk.writer).kind == Notification.Kind.RETURNED


def test_the_author_hears_of_publication_now_or_at_a_time(desk, act):
    now_story, later_story = story(desk), story(desk, title="端午龙舟赛预告")
    for article in (now_story, later_story):
        article.submit(by=desk.writer)
        for reviewer in (desk.editor, desk.managing, desk.chief):
            article.approve(by=reviewer)
    at = timezone.now() + timedelta(days=1)

    now_mail = act(lambda: now_story.publish(by=desk.chief))
    later_mail = act(lambda: later_story.publish(by=desk.chief, at=at))

    assert "已发布" in now_mail["writer"][0].body
    written = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    assert f"将于 {written} 定时发布" in later_mail["writer"][0].body


def test_the_author_hears_of_a_withdrawal_with_the_reason(desk, act):
    article = ArticleFactory(created_by=desk.writer, title="已上线的稿件")

    got = act(lambda: article.withdraw(by=desk.chief, note="当事人要求更正"))

    assert "已撤稿" in got["writer"][0].body
    assert "当事人要求更正" in got["writer"][0].body
    assert set(got) == {"writer"}


def test_the_author_and_who_opened_the_correction_hear_when_it_is_published(desk, act):
    live = ArticleFactory(created_by=desk.writer, title="已上线的稿件")
    copy = live.start_revision(by=desk.editor2)
    copy.submit(by=desk.editor2)
    for reviewer in (desk.editor, desk.managing, desk.chief):
        copy.approve(by=reviewer)

    got = act(lambda: copy.publish(by=desk.chief, note="第二段人名有误，已更正。"))

    assert "的更正已发布" in got["writer"][0].body
    assert "第二段人名有误" in got["writer"][0].body
    assert "的更正已发布" in got["editor2"][0].body
    assert Notification.objects.get(user=desk.writer, article=live).kind == "corrected"


def test_a_credited_author_with_an_account_hears_too(desk, act):
    reporter = UserFactory(username="reporter", email="reporter@example.com")
    article = story(desk)
    credit(article, AuthorFactory(name="彭记者", user=reporter), position=1)
    article.submit(by=desk.writer)

    got = act(lambda: article.reject(by=desk.editor, note="补充采访"))

    assert {"writer", "reporter"} <= set(got)


def test_nobody_is_told_of_their_own_step(desk, act):
    article = ArticleFactory(created_by=desk.chief, title="总编辑的稿件")

    got = act(lambda: article.withdraw(by=desk.chief, note="重复发布"))

    assert "chief" not in got
    assert not Notification.objects.filter(user=desk.chief).exists()


def test_a_refused_step_tells_nobody(desk, act):
    article = story(desk)
    article.submit(by=desk.writer)

    with pytest.raises(TransitionError):
        act(lambda: article.approve(by=desk.writer))

    assert mail.outbox == []
    assert not Notification.objects.filter(user=desk.writer).exists()


def test_a_title_with_a_line_break_still_makes_a_one_line_subject(desk, act):
    article = story(desk, title="浦市古镇\n修缮启动")

    got = act(lambda: article.submit(by=desk.writer))

    assert got["editor"][0].subject == "【待审核】浦市古镇 修缮启动"


# --- Links ----------------------------------------------------------------------------------


def test_mail_links_to_the_absolute_admin_url_on_the_site_url(desk, act, settings):
    settings.NEWSROOM_SITE_URL = "https://xiangxi.example.cn"
    article = story(desk)

    got = act(lambda: article.submit(by=desk.writer))

    link = f"https://xiangxi.example.cn/admin/articles/article/{article.pk}/change/"
    assert link in got["editor"][0].body


def test_mail_links_are_absolute_even_without_a_site_url(desk, act, settings):
    settings.NEWSROOM_SITE_URL = ""
    settings.ALLOWED_HOSTS = ["xiangxi.example.cn"]
    article = story(desk)

    got = act(lambda: article.submit(by=desk.writer))

    assert f"http://xiangxi.example.cn/admin/articles/article/{article.pk}/change/" in (
        got["editor"][0].body
    )
