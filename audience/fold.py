"""Folding the hour hashes out of Redis into HourlyReads, so that nothing counts twice.

Each hour's hash is first renamed (atomically) to a batch name of its own; reads arriving
meanwhile start a fresh hash. A batch is then added to the database together with a
FoldedBatch row naming it, in one transaction, and only then deleted from Redis. A run that
stops anywhere leaves batches that the next run either adds (not yet recorded) or just
deletes (recorded): a crashed fold-in run again counts nothing twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import redis
from django.conf import settings
from django.db import IntegrityError, transaction

from articles.models import Article
from audience.counter import client
from audience.models import FoldedBatch, HourlyReads

CHUNK = 2000


@dataclass
class Folded:
    batches: int = 0
    reads: int = 0
    stories: set[int] = field(default_factory=set)


def batch_pattern() -> str:
    return f"{settings.NEWSROOM_AUDIENCE_PREFIX}:batch:*"


def take_hours(connection: redis.Redis) -> None:
    """Rename every hour hash to a batch of its own."""
    prefix = settings.NEWSROOM_AUDIENCE_PREFIX
    for key in list(connection.scan_iter(f"{prefix}:hour:*", count=1000)):
        hour = key.decode().rsplit(":", 1)[1]
        try:
            connection.rename(key, f"{prefix}:batch:{hour}:{uuid.uuid4().hex}")
        except redis.ResponseError:
            continue  # expired or taken by another run since the scan


def fold() -> Folded:
    """Fold every hour counted so far (the current one included) into the database."""
    connection = client()
    done = Folded()
    if connection is None:
        return done
    take_hours(connection)
    for key in list(connection.scan_iter(batch_pattern(), count=1000)):
        name = key.decode()
        if not FoldedBatch.objects.filter(key=name).exists():
            counts = {int(story): int(n) for story, n in connection.hgetall(key).items()}
            hour = datetime.fromtimestamp(int(name.split(":")[-2]) * 3600, tz=UTC)
            if not add_batch(name, hour, counts):
                continue
            done.batches += 1
            done.reads += sum(counts.values())
            done.stories.update(counts)
        connection.delete(key)
    return done


def add_batch(name: str, hour: datetime, counts: dict[int, int]) -> bool:
    """Add one hour's counts and record the batch, together; False if another run did."""
    try:
        with transaction.atomic():
            FoldedBatch.objects.create(key=name, reads=sum(counts.values()))
            stories = list(counts)
            for start in range(0, len(stories), CHUNK):
                add_counts(hour, {pk: counts[pk] for pk in stories[start : start + CHUNK]})
    except IntegrityError:
        return False
    return True


def add_counts(hour: datetime, counts: dict[int, int]) -> None:
    """Add counts to the hour's rows, making the rows missing (unknown stories are dropped)."""
    channels = dict(Article.objects.filter(pk__in=counts).values_list("pk", "channel_id"))
    rows = HourlyReads.objects.select_for_update().filter(hour=hour, article_id__in=channels)
    existing = {row.article_id: row for row in rows}
    for row in existing.values():
        row.reads += counts[row.article_id]
    HourlyReads.objects.bulk_update(existing.values(), ["reads"])
    HourlyReads.objects.bulk_create(
        HourlyReads(article_id=pk, channel_id=channel, hour=hour, reads=counts[pk])
        for pk, channel in channels.items()
        if pk not in existing
    )
