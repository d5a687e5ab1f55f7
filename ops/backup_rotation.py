"""Scheduled backups: a dated folder each run, old ones removed, a copy sent off the machine."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

from ops.backup import MANIFEST

COPY_TIMEOUT_SECONDS = 6 * 3600


def dated_folder(parent: Path, now: datetime) -> Path:
    """A new folder in ``parent`` named by the local time, e.g. 2026-11-26-0300."""
    return parent / timezone.localtime(now).strftime("%Y-%m-%d-%H%M")


def made_at(folder: Path) -> datetime | None:
    """When the backup in ``folder`` was made, from its manifest (None: not a backup)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return datetime.fromisoformat(manifest["created_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def prune_backups(parent: Path, keep_days: int, now: datetime) -> list[Path]:
    """Remove backups older than ``keep_days``; the newest complete one always stays.

    Only folders with a readable manifest count: anything else in ``parent`` (a backup
    cut short, a file put there by hand) is left alone for a person to look at.
    """
    backups = sorted(
        (when, folder)
        for folder in parent.iterdir()
        if folder.is_dir() and (when := made_at(folder)) is not None
    )
    cutoff = now - timedelta(days=keep_days)
    removed = [folder for when, folder in backups[:-1] if when < cutoff]
    for folder in removed:
        shutil.rmtree(folder)
    return removed


def copy_off_machine(command: str, folder: Path) -> None:
    """Run the operator's shell command with the new backup folder as "$1"."""
    subprocess.run(
        ["/bin/sh", "-c", command, "newsroom-backup", str(folder)],
        check=True,
        timeout=COPY_TIMEOUT_SECONDS,
    )
