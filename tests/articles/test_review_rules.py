"""The review engine's rules for a desk that runs without a superuser: who authors a
correction, what a senior may sign at a lower level, channel limits that never strand a
story, validation at the door, edit in review, return one level down, hold and kill."""

from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.urls import reverse

from articles.models import Article, Revision, Transition
from desk import workflow
from desk.workflow import TransitionError
from tests.articles.test_admin import article_form
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ChannelFactory,
    EditorFactory,
    ImageFactory,
    credit,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(staff):
    """The demo desk's shape: one of each role (and a second 编辑, unlimited)."""
    return SimpleNamespace(**vars(staff), channel=ChannelFactory(name="民生", review_levels=3))


def draft(desk, by=None, **fields) -> Article:
    fields.setdefault("channel", desk.channel)
    return ArticleFactory(draft=True, created_by=by or desk.writer, **fields)


def approved(desk) -> Article:
    article = draft(desk)
    article.submit(by=desk.writer)
    for reviewer in (desk.editor, desk.managing, desk.chief):
        article.approve(by=reviewer)
    return article


def live(desk) -> Article:
    article = approved(desk)
    article.publish(by=desk.chief)
    return article


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


# --- Who wrote a correction ---------------------------------------------------------------


def test_a_correction_opened_by_the_chief_gets_his_final_review(desk):
    story = live(desk)
    copy = story.start_revision(by=desk.chief)

    copy.submit(by=desk.chief)
    copy.approve(by=desk.editor)
    copy.approve(by=desk.managing)
    copy.approve(by=desk.chief)
    copy.publish(by=desk.chief, note="更正了一处笔误")

    assert not Article.objects.filter(pk=copy.pk).exists()
    assert story.corrections.get().text == "更正了一处笔误"


def test_the_opener_who_also_wrote_the_story_cannot_review_its_correction(desk):
    story = draft(desk, by=desk.editor2)
    story.submit(by=desk.editor2)
    for reviewer in (desk.editor, desk.managing, desk.chief):
        story.approve(by=reviewer)
    story.publish(by=desk.chief)
    copy = story.start_revision(by=desk.editor2)
    copy.submit(by=desk.editor2)

    with pytest.raises(TransitionError, match="不能审核自己撰写的稿件"):
        copy.approve(by=desk.editor2)


def test_a_stuck_correction_is_discarded_by_its_opener_and_a_new_one_starts(desk):
    story = live(desk)
    copy = story.start_revision(by=desk.chief)
    copy.submit(by=desk.chief)

    copy.discard(by=desk.chief)

    assert not Article.objects.filter(pk=copy.pk).exists()
    assert story.transitions.filter(action=Transition.Action.DISCARD).exists()
    assert story.start_revision(by=desk.writer).revision_of == story


def test_a_channel_editor_may_discard_a_correction_but_another_writer_may_not(desk):
    story = live(desk)
    copy = story.start_revision(by=desk.writer)
    other = member("通讯员/记者", "other_writer")

    with pytest.raises(TransitionError, match="只有修订稿的创建者或本栏目编辑"):
        copy.discard(by=other)
    copy.discard(by=desk.editor)
    assert not Article.objects.filter(pk=copy.pk).exists()


def test_one_person_one_level_counts_only_the_current_correction(desk):
    chief2 = member("总编辑", "chief2")
    story = live(desk)
    first = story.start_revision(by=desk.writer)
    first.submit(by=desk.writer)
    first.approve(by=desk.editor)
    first.approve(by=desk.chief)  # 复审 by a 总编辑: chief2 is left for 终审
    first.approve(by=chief2)
    first.publish(by=chief2)

    second = story.start_revision(by=desk.writer)
    second.submit(by=desk.writer)
    second.approve(by=desk.editor)
    second.approve(by=desk.managing)
    second.approve(by=desk.chief)

    assert second.status == Article.Status.APPROVED
    submitted = story.transitions.filter(action=Transition.Action.SUBMIT, on_working_copy=True)
    assert len(set(submitted.values_list("round", flat=True))) == 2


# --- Seniors at a lower level -----------------------------------------------------------------


def test_seniors_cannot_sign_first_review_when_nobody_would_be_left_above(desk):
    article = draft(desk)
    article.submit(by=desk.writer)

    with pytest.raises(TransitionError, match="终审将没有其他人可以审核"):
        article.approve(by=desk.chief)
    with pytest.raises(TransitionError, match="将没有其他人可以审核"):
        article.approve(by=desk.managing)
    assert not workflow.allowed("approve", article, desk.chief)
    assert workflow.allowed("reject", article, desk.chief)
    article.approve(by=desk.editor)
    assert article.review_level == 2


def test_a_senior_may_sign_a_lower_level_when_others_remain_above(desk):
    member("总编辑", "chief2")
    article = draft(desk)
    article.submit(by=desk.writer)

    article.approve(by=desk.chief)

    assert article.review_level == 2
    assert workflow.allowed("approve", article, desk.managing)


def test_a_story_nobody_could_finish_is_refused_at_submission(desk):
    article = draft(desk, by=desk.managing)

    with pytest.raises(TransitionError, match="没有可以对这篇稿件进行"):
        article.submit(by=desk.managing)
    assert article.status == Article.Status.DRAFT


# --- Channel limits ---------------------------------------------------------------------------


def test_a_channel_no_limited_editor_reaches_is_open_to_them(desk):
    politics, tourism = ChannelFactory(name="时政"), ChannelFactory(name="旅游")
    for editor in (desk.editor, desk.editor2):
        EditorFactory(user=editor).channels.set([politics])
    article = draft(desk, channel=tourism)
    article.submit(by=desk.writer)

    article.approve(by=desk.editor)

    assert article.review_level == 2


def test_a_limited_editor_stays_out_of_a_channel_another_editor_covers(desk):
    politics, tourism = ChannelFactory(name="时政"), ChannelFactory(name="旅游")
    EditorFactory(user=desk.editor).channels.set([politics])
    EditorFactory(user=desk.editor2).channels.set([tourism])
    article = draft(desk, channel=tourism)
    article.submit(by=desk.writer)

    with pytest.raises(TransitionError, match="不在你负责的栏目内"):
        article.approve(by=desk.editor)
    article.approve(by=desk.editor2)


# --- Validation at the door -------------------------------------------------------------------


def test_a_photo_without_alt_text_is_refused_at_submission_with_the_reason(desk):
    article = draft(desk, cover_image=ImageFactory(alt_text="", caption="浦市古镇"))

    with pytest.raises(TransitionError, match="缺少替代文字：浦市古镇"):
        article.submit(by=desk.writer)
    assert article.status == Article.Status.DRAFT


def test_the_author_sees_what_blocks_the_story_before_pressing_submit(desk, client):
    photo = ImageFactory(alt_text="", caption="浦市古镇")
    article = draft(desk, cover_image=photo)
    client.force_login(desk.writer)

    html = client.get(change_url(article)).content.decode()

    photo_page = reverse("admin:articles_image_change", args=[photo.pk])
    assert "以下问题解决之前" in html
    assert "以下图片缺少替代文字：浦市古镇" in html
    assert f'补写替代文字：<a href="{photo_page}">浦市古镇</a>' in html
    assert ">送审</button>" not in html


def test_alt_text_removed_during_review_stops_approval_but_not_return(desk):
    photo = ImageFactory(caption="浦市古镇")
    article = draft(desk, cover_image=photo)
    article.submit(by=desk.writer)
    photo.alt_text = ""
    photo.save()

    with pytest.raises(TransitionError, match="还不能通过审核"):
        article.approve(by=desk.editor)
    article.reject(by=desk.editor, note="请补替代文字")
    assert article.status == Article.Status.DRAFT


def test_a_site_that_requires_a_byline_refuses_a_story_without_one(desk, settings):
    settings.NEWSROOM_REQUIRE_BYLINE = True
    article = draft(desk)

    with pytest.raises(TransitionError, match="稿件没有署名"):
        article.submit(by=desk.writer)
    credit(article, AuthorFactory(name="向明辉"), 0)
    article.submit(by=desk.writer)
    assert article.status == Article.Status.IN_REVIEW


# --- Edit in review ---------------------------------------------------------------------------


def test_the_reviewer_holding_a_story_corrects_it_and_it_stays_at_their_level(desk, client):
    article = draft(desk, title="泸溪椪柑丰收")
    article.submit(by=desk.writer)
    article.approve(by=desk.editor)
    client.force_login(desk.managing)

    response = client.post(
        change_url(article),
        article_form(desk.channel, title="泸溪椪柑喜获丰收", edit_version=article.edit_version),
    )

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert (article.title, article.status, article.review_level) == (
        "泸溪椪柑喜获丰收",
        "in_review",
        2,
    )
    revision = article.revisions.get()
    assert (revision.reason, revision.created_by) == (
        Revision.Reason.EDITED_IN_REVIEW,
        desk.managing,
    )
    step = article.transitions.get(action=Transition.Action.EDIT)
    assert (step.level, step.actor) == (2, desk.managing)


def test_nobody_but_the_current_reviewer_may_change_a_story_in_review(desk, client):
    article = draft(desk, title="泸溪椪柑丰收")
    article.submit(by=desk.writer)
    article.approve(by=desk.editor)

    for person in (desk.writer, desk.editor, desk.chief):
        client.force_login(person)
        client.post(
            change_url(article),
            article_form(desk.channel, title="被改了", edit_version=article.edit_version),
        )
        article.refresh_from_db()
        assert article.title == "泸溪椪柑丰收"


def test_an_edit_in_review_binds_the_editor_to_that_level(desk):
    article = draft(desk)
    article.submit(by=desk.writer)
    member("总编辑", "chief2")
    article.title = "改过的标题"
    article.save()
    workflow.saved(article, by=desk.chief)  # 总编辑 fixes a typo at 初审

    article.approve(by=desk.editor)
    article.approve(by=desk.managing)

    with pytest.raises(TransitionError, match="同一人不能审核两级"):
        article.approve(by=desk.chief)


# --- Return one level down --------------------------------------------------------------------


def test_a_reviewer_returns_the_story_one_level_down_with_a_note(desk):
    article = draft(desk)
    article.submit(by=desk.writer)
    article.approve(by=desk.editor)

    article.return_down(by=desk.managing, note="导语请再压缩")

    article.refresh_from_db()
    assert (article.status, article.review_level) == ("in_review", 1)
    step = article.transitions.get(action=Transition.Action.RETURN)
    assert (step.level, step.note) == (2, "导语请再压缩")
    article.approve(by=desk.editor)
    article.approve(by=desk.managing)
    assert article.review_level == 3


def test_the_only_final_reviewer_cannot_return_a_story_from_second_review(desk):
    # Returning is acting at 复审: the 总编辑 would then be barred from 终审, and nobody else
    # could give it (found by the no-stuck-story test). He may still return it to the author.
    article = draft(desk)
    article.submit(by=desk.writer)
    article.approve(by=desk.editor)

    with pytest.raises(TransitionError, match="终审将没有其他人"):
        article.return_down(by=desk.chief, note="导语请再压缩")
    article.reject(by=desk.chief, note="导语请再压缩")

    article.refresh_from_db()
    assert article.status == "draft"


def test_first_review_returns_only_to_the_author(desk):
    article = draft(desk)
    article.submit(by=desk.writer)

    with pytest.raises(TransitionError, match="只能退回作者"):
        article.return_down(by=desk.editor, note="请修改")


def test_returning_down_needs_a_note(desk):
    article = draft(desk)
    article.submit(by=desk.writer)
    article.approve(by=desk.editor)

    with pytest.raises(TransitionError, match="必须填写意见"):
        article.return_down(by=desk.managing, note=" ")


def test_an_approved_story_goes_back_to_its_final_review(desk):
    article = approved(desk)

    article.return_down(by=desk.chief, note="等待核实")

    assert (article.status, article.review_level) == ("in_review", 3)
    article.approve(by=desk.chief)
    assert article.status == Article.Status.APPROVED


# --- Hold and kill after 终审 -----------------------------------------------------------------


def test_a_held_story_cannot_be_published_until_released(desk):
    article = approved(desk)

    article.hold(by=desk.chief, note="等待官方通报")

    assert (article.status, article.state_label()) == ("approved", "暂缓发布")
    with pytest.raises(TransitionError, match="暂缓发布"):
        article.publish(by=desk.chief)
    article.release(by=desk.chief)
    article.publish(by=desk.chief)
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_a_killed_story_ends_unpublished_with_its_reason_in_the_review_record(desk, client):
    article = approved(desk)

    article.kill(by=desk.chief, note="当事人撤回授权")

    article.refresh_from_db()
    assert (article.status, article.kill_reason) == ("killed", "当事人撤回授权")
    assert not Article.objects.published().filter(pk=article.pk).exists()
    with pytest.raises(TransitionError, match="不能进行此操作"):
        article.publish(by=desk.chief)
    client.force_login(desk.chief)
    record = reverse("admin:articles_article_review_record", args=[article.pk])
    assert "当事人撤回授权" in client.get(record).content.decode()


def test_killing_needs_a_reason(desk):
    article = approved(desk)

    with pytest.raises(TransitionError, match="必须填写原因"):
        article.kill(by=desk.chief, note="")


@pytest.mark.parametrize("role", ["writer", "editor", "managing"])
def test_only_the_chief_holds_or_kills(desk, role):
    article = approved(desk)

    for action in ("hold", "kill"):
        with pytest.raises(TransitionError, match="你没有"):
            getattr(article, action)(by=getattr(desk, role), note="不发")
    assert article.status == Article.Status.APPROVED


def test_the_panel_offers_the_chief_hold_kill_and_return_on_an_approved_story(desk, client):
    article = approved(desk)
    client.force_login(desk.chief)

    html = client.get(change_url(article)).content.decode()

    for label in ("发布", "暂缓发布", "撤销稿件（不再发布）", "退回上一级"):
        assert f">{label}</button>" in html
