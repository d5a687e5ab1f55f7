"""Publishing announces what changed once it is committed; search and pages follow."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from articles import signals
from articles.models import Article, SearchEntry
from tests.factories import ArticleFactory, review_through_chain

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    """Raised to undo the transaction the test wraps around a transition."""


@contextmanager
def heard(signal: Signal) -> Iterator[list[dict]]:
    """Every sending of ``signal`` while the block runs, as its keyword arguments."""
    sent: list[dict] = []

    def receiver(sender, **kwargs) -> None:
        sent.append({"sender": sender, **kwargs})

    signal.connect(receiver, weak=False)
    try:
        yield sent
    finally:
        signal.disconnect(receiver)


@pytest.fixture
def approved(staff) -> Article:
    article = ArticleFactory(title="椪柑丰收", draft=True, created_by=staff.writer)
    review_through_chain(article, [staff.editor, staff.managing, staff.chief])
    return article


def test_publishing_is_announced_only_once_committed(
    staff, approved, django_capture_on_commit_callbacks
):
    with heard(signals.article_published) as sent:
        with django_capture_on_commit_callbacks() as waiting:
            approved.publish(by=staff.chief)
        assert sent == []
        assert not SearchEntry.objects.filter(article=approved).exists()

        for callback in waiting:
            callback()

    assert sent == [{"sender": Article, "signal": signals.article_published,
                     "article": approved, "scheduled": False}]  # fmt: skip
    assert SearchEntry.objects.filter(article=approved).exists()


def withdraw_then_fail(article: Article, by) -> None:
    """Withdraw the article, then fail before the transaction commits."""
    with transaction.atomic():
        article.withdraw(by=by, note="事实有误")
        raise RolledBack


def test_a_rolled_back_withdrawal_announces_nothing(
    staff, approved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved.publish(by=staff.chief)

    with (
        heard(signals.article_withdrawn) as sent,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RolledBack),
    ):
        withdraw_then_fail(approved, staff.chief)

    assert sent == []
    approved.refresh_from_db()
    assert approved.status == Article.Status.PUBLISHED
    assert SearchEntry.objects.filter(article=approved).exists()


def test_a_withdrawal_is_announced_with_its_reason_and_leaves_search(
    staff, approved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved.publish(by=staff.chief)

    with (
        heard(signals.article_withdrawn) as sent,
        django_capture_on_commit_callbacks(execute=True),
    ):
        approved.withdraw(by=staff.chief, note="事实有误")

    assert [(s["article"], s["reason"]) for s in sent] == [(approved, "事实有误")]
    assert not SearchEntry.objects.filter(article=approved).exists()


def test_a_revised_live_article_is_announced_after_commit_with_its_new_words(
    staff, approved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved.publish(by=staff.chief)
    copy = approved.start_revision(by=staff.writer)
    copy.title = "猕猴桃丰收"
    copy.save()
    review_through_chain(copy, [staff.editor2, staff.managing, staff.chief])

    with heard(signals.article_revised) as sent:
        with django_capture_on_commit_callbacks() as waiting:
            copy.publish(by=staff.chief)
        assert sent == []
        for callback in waiting:
            callback()

    assert [s["article"] for s in sent] == [approved]
    assert "猕猴桃" in SearchEntry.objects.get(article=approved).title_words.split()


def test_a_scheduled_article_taken_back_is_announced_and_leaves_search(
    staff, approved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved.publish(by=staff.chief, at=timezone.now() + timedelta(days=1))

    with (
        heard(signals.article_unscheduled) as sent,
        django_capture_on_commit_callbacks(execute=True),
    ):
        approved.unschedule(by=staff.chief)

    assert [s["article"] for s in sent] == [approved]
    assert not SearchEntry.objects.filter(article=approved).exists()
