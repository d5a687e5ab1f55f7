"""Error reports, recorded by the failing request in its own memory and nothing else.

A request that fails only adds one to a counter of its process, grouped by exception type
and the place it was raised: it never waits on the database, Redis or SMTP, and recording
never raises. A thread of the process folds the counts into the database a moment later
(ops/errormail.py), from where the task worker mails them, grouped and rate-limited.
"""

import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256

from django.conf import settings
from django.db import connections
from django.utils import timezone

logger = logging.getLogger("newsroom.errorreports")

# Groups kept in memory between two writes; a burst of new kinds beyond this is counted
# under one overflow group, so memory stays bounded whatever fails.
MAX_GROUPS = 100
OVERFLOW = ("overflow", "-")
# After a failed write (database down), wait this long before trying again.
RETRY_SECONDS = 10.0


@dataclass
class Pending:
    kind: str
    location: str
    message: str
    detail: str
    count: int
    first_seen: datetime
    last_seen: datetime


_lock = threading.Lock()
_pending: dict[str, Pending] = {}
_wake = threading.Event()
_writer: threading.Thread | None = None
_writer_pid = 0


def group_of(record: logging.LogRecord) -> tuple[str, str]:
    """Exception type and the innermost place it was raised; or the logging call's place."""
    error = record.exc_info[1] if record.exc_info else None
    if error is None:
        return f"log:{record.name}", f"{record.pathname}:{record.lineno}"
    kind = f"{type(error).__module__}.{type(error).__qualname__}"
    trace = error.__traceback__
    if trace is None:
        return kind, f"{record.pathname}:{record.lineno}"
    while trace.tb_next is not None:
        trace = trace.tb_next
    code = trace.tb_frame.f_code
    return kind, f"{code.co_filename}:{trace.tb_lineno} ({code.co_name})"


def group_key(kind: str, location: str) -> str:
    return sha256(f"{kind}\n{location}".encode()).hexdigest()


def note(record: logging.LogRecord, formatter: logging.Formatter) -> None:
    """Count the record under its group; only a group's first record is formatted in full."""
    kind, location = group_of(record)
    now = timezone.now()
    with _lock:
        if group_key(kind, location) not in _pending and len(_pending) >= MAX_GROUPS:
            kind, location = OVERFLOW
        key = group_key(kind, location)
        if (pending := _pending.get(key)) is not None:
            pending.count += 1
            pending.last_seen = now
            return
    # Formatting (the traceback) happens outside the lock; a twin racing here is merged.
    entry = Pending(
        kind, location, record.getMessage()[:500], detail(record, formatter), 1, now, now
    )
    with _lock:
        merge(key, entry)


def detail(record: logging.LogRecord, formatter: logging.Formatter) -> str:
    """The record as the log shows it, traceback included, with the request's path."""
    request = getattr(record, "request", None)
    where = f"{getattr(request, 'method', '')} {getattr(request, 'path', '')}".strip()
    text = formatter.format(record)
    return (f"{where}\n\n{text}" if where else text)[:20_000]


def merge(key: str, entry: Pending) -> None:
    """Add a pending group to the buffer (caller holds the lock)."""
    if (known := _pending.get(key)) is None:
        _pending[key] = entry
        return
    known.count += entry.count
    known.first_seen = min(known.first_seen, entry.first_seen)
    known.last_seen = max(known.last_seen, entry.last_seen)


def take() -> dict[str, Pending]:
    """Everything gathered so far, leaving the buffer empty."""
    with _lock:
        batch = dict(_pending)
        _pending.clear()
    return batch


def give_back(batch: dict[str, Pending]) -> None:
    """Return groups that could not be written, to be tried again."""
    with _lock:
        for key, entry in batch.items():
            merge(key, entry)


class ErrorReportHandler(logging.Handler):
    """Count errors for the worker to mail; never blocks or raises in the caller."""

    def __init__(self, level: int = logging.ERROR) -> None:
        super().__init__(level)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            note(record, self.formatter)
            wake_writer()
        except Exception:  # a report must never break what it reports on
            pass


def wake_writer() -> None:
    """Start this process's writer thread if needed (after a fork too), and wake it."""
    global _writer, _writer_pid
    if settings.NEWSROOM_ERROR_REPORT_SECONDS <= 0:
        return  # tests write reports themselves
    with _lock:
        if _writer is None or not _writer.is_alive() or _writer_pid != os.getpid():
            _writer = threading.Thread(target=write_forever, name="error-reports", daemon=True)
            _writer_pid = os.getpid()
            _writer.start()
    _wake.set()


def write_forever() -> None:
    """Gather a burst for a moment, write it; on failure keep it and try again later."""
    from ops.errormail import write_reports

    while True:
        _wake.wait()
        _wake.clear()
        time.sleep(settings.NEWSROOM_ERROR_REPORT_SECONDS)
        try:
            written = write_reports()
        except Exception:  # the thread must outlive any failure
            written = False
        finally:
            connections.close_all()
        if not written:
            time.sleep(RETRY_SECONDS)
            _wake.set()
