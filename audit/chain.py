"""Writing, checking and pruning the audit chain.

Each entry's digest is SHA-256 over the previous entry's digest and the entry's own
canonical content. Appending locks the single chain-head row, so concurrent writers (many
processes on PostgreSQL) queue up and the chain never forks. Pruning removes the oldest
entries and keeps the digest of the last one removed as the chain's new anchor.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.addresses import client_address
from audit.middleware import current_request
from audit.models import ChainHead, Entry


def canonical(entry: Entry) -> str:
    """The entry's content as one stable string: sorted keys, UTC time, no spacing."""
    return json.dumps(
        {
            "sequence": entry.sequence,
            "at": entry.at.astimezone(UTC).isoformat(),
            "actor": entry.actor_id,
            "actor_name": entry.actor_name,
            "address": entry.address,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "details": entry.details,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def seal(previous_digest: str, entry: Entry) -> str:
    return hashlib.sha256((previous_digest + canonical(entry)).encode()).hexdigest()


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # a fresh database: the first writer makes the row, the others wait
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def record(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    details: dict | None = None,
    request: HttpRequest | None = None,
) -> Entry:
    """Append one entry; the actor and address default to those of the current request."""
    request = request or current_request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    entry = Entry(
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        address=client_address(request) if request is not None else None,
        action=action,
        details=details or {},
    )
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    with transaction.atomic():
        head = _locked_head()
        entry.sequence = head.last_sequence + 1
        entry.at = timezone.now()
        entry.digest = seal(head.last_digest, entry)
        entry.save(force_insert=True)
        head.last_sequence, head.last_digest = entry.sequence, entry.digest
        head.save(update_fields=["last_sequence", "last_digest"])
    return entry


@dataclass(frozen=True)
class Break:
    """Where the chain stops adding up, and how."""

    sequence: int
    reason: str


@dataclass(frozen=True)
class Walk:
    checked: int
    last_digest: str
    broken: Break | None


def verify() -> Walk:
    """Walk the chain from its anchor; report the first entry that does not add up."""
    head = ChainHead.objects.filter(pk=1).first() or ChainHead()
    previous, expected = head.anchor_digest, head.anchor_sequence + 1
    entries = Entry.objects.order_by("sequence")
    checked = 0
    for entry in entries.iterator(chunk_size=2000):
        if entry.sequence != expected:
            reason = _("应为第 %(expected)d 条，却是第 %(found)d 条：其间的记录被删除或改号。")
            broken = Break(
                entry.sequence, reason % {"expected": expected, "found": entry.sequence}
            )
            return Walk(checked, previous, broken)
        if entry.digest != seal(previous, entry):
            reason = _("摘要不符：这条记录的内容或摘要被改动过。")
            return Walk(checked, previous, Break(entry.sequence, reason))
        previous, expected, checked = entry.digest, expected + 1, checked + 1
    if head.last_sequence != expected - 1 or head.last_digest != previous:
        reason = _("链尾应为第 %(last)d 条，实际只到第 %(found)d 条：最新的记录被删除。")
        broken = Break(expected, reason % {"last": head.last_sequence, "found": expected - 1})
        return Walk(checked, previous, broken)
    return Walk(checked, previous, None)


class PruneRefused(Exception):
    """The chain must add up before old entries are removed from it."""


def prune(before: datetime) -> int:
    """Remove entries older than ``before``; the last one removed becomes the anchor."""
    with transaction.atomic():
        head = _locked_head()
        walk = verify()
        if walk.broken is not None:
            raise PruneRefused(
                _("审计链在第 %(sequence)d 条处不完整，先查明原因，不能清理。")
                % {"sequence": walk.broken.sequence}
            )
        last = Entry.objects.filter(at__lt=before).order_by("sequence").last()
        if last is None:
            return 0
        doomed = Entry.objects.filter(sequence__lte=last.sequence)
        # The one sanctioned delete: bypasses the append-only guard on purpose.
        removed, _counts = models.QuerySet.delete(doomed)
        head.anchor_sequence, head.anchor_digest = last.sequence, last.digest
        head.save(update_fields=["anchor_sequence", "anchor_digest"])
    return removed
