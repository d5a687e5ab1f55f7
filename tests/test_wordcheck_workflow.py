"""禁用 words stop 送审 and 终审 until a 主编 or 总编辑 lets them through with a reason
(audited, and in the story's history); 慎用 words and 错别字 only warn."""

from http import HTTPStatus

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.models import Article
from audit.models import Entry
from desk.workflow import TransitionError
from proofing import check, wordlist
from proofing.models import Release, Word
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def word_list(db):
    Word.objects.create(text="赌球", category=Word.Category.BANNED, note="违法内容")
    Word.objects.create(text="最高级", category=Word.Category.CAUTION)
    # One of the starter typos (a flushed test database has none of them).
    Word.objects.update_or_create(
        text="再接再励", defaults={"category": Word.Category.TYPO, "correction": "再接再厉"}
    )
    wordlist.changed()


def draft(staff, body: str = "<p>正文。</p>") -> Article:
    return ArticleFactory(draft=True, created_by=staff.writer, body=body)


def at_final_review(staff, body: str = "<p>正文。</p>") -> Article:
    article = draft(staff, body)
    article.submit(by=staff.writer)
    article.approve(by=staff.editor)
    article.approve(by=staff.managing)
    return article


def test_a_banned_word_stops_the_writer_submitting(staff):
    article = draft(staff, "<p>警方打掉一个赌球团伙。</p>")
    with pytest.raises(TransitionError, match="禁用词“赌球”，不能送审"):
        article.submit(by=staff.writer)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_banned_word_in_the_byline_stops_it_too(staff):
    article = draft(staff)
    article.byline_override = "赌球记者"
    article.save()
    with pytest.raises(TransitionError, match="赌球"):
        article.submit(by=staff.writer)


def test_words_to_use_with_care_and_typos_only_warn(staff):
    article = draft(staff, "<p>最高级的服务，队员再接再励。</p>")
    article.submit(by=staff.writer)
    assert article.status == Article.Status.IN_REVIEW
    categories = [f.category for f in check.findings(check.fields_of_article(article))]
    assert categories == ["caution", "typo"]


def test_a_banned_word_stops_the_final_review_but_not_the_levels_below(staff):
    article = draft(staff)
    article.submit(by=staff.writer)
    Article.objects.filter(pk=article.pk).update(title="严打赌球")
    article.refresh_from_db()
    article.approve(by=staff.editor)
    article.approve(by=staff.managing)
    with pytest.raises(TransitionError, match="不能通过终审"):
        article.approve(by=staff.chief)
    article.refresh_from_db()
    assert (article.status, article.review_level) == (Article.Status.IN_REVIEW, 3)


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_only_managing_editors_and_above_let_banned_words_through(staff, role):
    article = draft(staff, "<p>赌球</p>")
    with pytest.raises(check.ReleaseRefused, match="只有主编或总编辑"):
        check.release(article, by=getattr(staff, role), reason="报道警方破案，须保留")
    assert not Release.objects.exists()


def test_letting_banned_words_through_needs_a_reason(staff):
    article = draft(staff, "<p>赌球</p>")
    with pytest.raises(check.ReleaseRefused, match="必须填写理由"):
        check.release(article, by=staff.managing, reason="  ")
    with pytest.raises(TransitionError):
        article.submit(by=staff.writer)


@pytest.mark.parametrize("role", ["managing", "chief"])
def test_words_let_through_no_longer_stop_the_story_and_are_audited(staff, role):
    article = draft(staff, "<p>警方打掉一个赌球团伙。</p>")
    releaser = getattr(staff, role)
    check.release(article, by=releaser, reason="报道警方破案，须保留原词")
    article.submit(by=staff.writer)
    assert article.status == Article.Status.IN_REVIEW
    entry = Entry.objects.get(action=Entry.Action.WORDS_RELEASED)
    assert (entry.actor, entry.object_id) == (releaser, str(article.pk))
    assert entry.details["words"] == ["赌球"]
    assert entry.details["reason"] == "报道警方破案，须保留原词"


def test_a_banned_word_added_after_the_release_stops_the_story_again(staff):
    article = draft(staff, "<p>赌球</p>")
    check.release(article, by=staff.managing, reason="报道警方破案")
    Word.objects.create(text="六合彩", category=Word.Category.BANNED)
    wordlist.changed()
    Article.objects.filter(pk=article.pk).update(summary="还有六合彩")
    article.refresh_from_db()
    with pytest.raises(TransitionError, match="禁用词“六合彩”，不能送审"):
        article.submit(by=staff.writer)


def test_the_final_review_passes_once_the_words_are_let_through(staff):
    article = at_final_review(staff)
    Article.objects.filter(pk=article.pk).update(title="严打赌球")
    article.refresh_from_db()
    check.release(article, by=staff.managing, reason="标题引用警方通报")
    article.approve(by=staff.chief)
    assert article.status == Article.Status.APPROVED


# --- On the desk's pages --------------------------------------------------------------------


def test_the_form_lists_the_findings_and_offers_a_release_to_a_managing_editor(staff, client):
    article = draft(staff, "<p>最高级赌球</p>")
    client.force_login(staff.managing)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert '<mark class="wordcheck__mark">赌球</mark>' in html
    assert '<mark class="wordcheck__mark">最高级</mark>' in html
    assert reverse("admin:articles_article_release_words", args=[article.pk]) in html
    assert reverse("admin:proofing_word_check") in html


def test_the_writer_sees_the_findings_but_is_offered_no_release(staff, client):
    article = draft(staff, "<p>赌球</p>")
    client.force_login(staff.writer)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert "稿件含有禁用词（赌球）".encode() in html
    assert reverse("admin:articles_article_release_words", args=[article.pk]).encode() not in html


def test_a_release_through_the_desk_is_written_to_the_story_history(staff, client):
    article = draft(staff, "<p>赌球</p>")
    client.force_login(staff.managing)
    url = reverse("admin:articles_article_release_words", args=[article.pk])
    response = client.post(url, {"reason": "引用法院判决书原文"})
    assert response.status_code == HTTPStatus.FOUND
    change = LogEntry.objects.get(object_id=str(article.pk))
    assert change.get_change_message() == "放行禁用词：赌球；理由：引用法院判决书原文"
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "引用法院判决书原文" in history.content.decode()
    record = client.get(reverse("admin:articles_article_review_record", args=[article.pk]))
    assert "放行禁用词：赌球；理由：引用法院判决书原文" in record.content.decode()


def test_an_editor_posting_a_release_is_refused_with_the_reason(staff, client):
    article = draft(staff, "<p>赌球</p>")
    client.force_login(staff.editor)
    url = reverse("admin:articles_article_release_words", args=[article.pk])
    response = client.post(url, {"reason": "我觉得可以"}, follow=True)
    assert "只有主编或总编辑可以放行禁用词" in response.content.decode()
    assert not Release.objects.exists()
    assert not Entry.objects.filter(action=Entry.Action.WORDS_RELEASED).exists()


def test_the_review_record_lists_the_words_found(staff, client):
    article = draft(staff, "<p>服务最高级。</p>")
    client.force_login(staff.writer)
    record = client.get(reverse("admin:articles_article_review_record", args=[article.pk]))
    assert '<mark class="wordcheck__mark">最高级</mark>' in record.content.decode()
