"""Folding Redis into the database: every read counted once, even after a crash."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from audience import counter, fold
from audience.models import FoldedBatch, HourlyReads
from tests import factories
from tests.audience.conftest import BROWSER, hours

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 4, 0, 30, tzinfo=UTC)  # 12:00:30 in Beijing


def read(story: int, times: int, *, at: datetime, first_reader: int = 0) -> None:
    with time_machine.travel(at, tick=False):
        for reader in range(first_reader, first_reader + times):
            assert counter.record(story, f"10.0.{reader // 250}.{reader % 250}", BROWSER)


def table() -> dict[tuple[int, datetime], tuple[int, int]]:
    return {
        (row.article_id, row.hour): (row.channel_id, row.reads)
        for row in HourlyReads.objects.all()
    }


def test_each_hour_becomes_one_row_per_story_with_its_channel(reads_redis, settings):
    one, two = factories.ArticleFactory(), factories.ArticleFactory()
    read(one.pk, 3, at=NOON)
    read(one.pk, 2, at=NOON + timedelta(hours=1))
    read(two.pk, 4, at=NOON)

    done = fold.fold()

    hour = NOON.replace(minute=0, second=0)
    assert table() == {
        (one.pk, hour): (one.channel_id, 3),
        (one.pk, hour + timedelta(hours=1)): (one.channel_id, 2),
        (two.pk, hour): (two.channel_id, 4),
    }
    assert (done.batches, done.reads, done.stories) == (2, 9, {one.pk, two.pk})
    assert hours(reads_redis, settings.NEWSROOM_AUDIENCE_PREFIX) == {}
    assert list(reads_redis.scan_iter(fold.batch_pattern())) == []


def test_folding_again_adds_to_the_same_hour(reads_redis):
    story = factories.ArticleFactory()
    read(story.pk, 3, at=NOON)
    fold.fold()
    read(story.pk, 2, at=NOON + timedelta(minutes=10), first_reader=100)
    fold.fold()
    assert [row.reads for row in HourlyReads.objects.all()] == [5]


def test_a_fold_run_again_with_nothing_new_adds_nothing(reads_redis):
    story = factories.ArticleFactory()
    read(story.pk, 3, at=NOON)
    fold.fold()
    assert fold.fold().reads == 0
    assert [row.reads for row in HourlyReads.objects.all()] == [3]


def test_a_run_that_crashed_after_the_database_counts_nothing_twice(reads_redis, monkeypatch):
    story = factories.ArticleFactory()
    read(story.pk, 3, at=NOON)
    # The crash: the batch is added and recorded, but the run dies before deleting it.
    monkeypatch.setattr(type(reads_redis), "delete", crash, raising=True)
    with pytest.raises(ConnectionError):
        fold.fold()
    monkeypatch.undo()
    assert FoldedBatch.objects.count() == 1

    again = fold.fold()

    assert again.reads == 0
    assert [row.reads for row in HourlyReads.objects.all()] == [3]
    assert list(reads_redis.scan_iter(fold.batch_pattern())) == []


def test_a_run_that_crashed_before_the_database_loses_nothing(reads_redis, monkeypatch):
    story = factories.ArticleFactory()
    read(story.pk, 3, at=NOON)
    monkeypatch.setattr(fold, "add_counts", crash)
    with pytest.raises(ConnectionError):
        fold.fold()
    monkeypatch.undo()
    assert HourlyReads.objects.count() == 0
    assert FoldedBatch.objects.count() == 0

    assert fold.fold().reads == 3
    assert [row.reads for row in HourlyReads.objects.all()] == [3]


def test_reads_of_stories_that_do_not_exist_are_dropped(reads_redis):
    story = factories.ArticleFactory()
    read(story.pk, 1, at=NOON)
    read(story.pk + 1000, 5, at=NOON)
    fold.fold()
    assert [(row.article_id, row.reads) for row in HourlyReads.objects.all()] == [(story.pk, 1)]


def test_without_redis_folding_does_nothing(settings):
    assert settings.NEWSROOM_AUDIENCE_REDIS_URL == ""
    assert fold.fold().reads == 0


def crash(*args, **kwargs):
    raise ConnectionError("the worker died here")
