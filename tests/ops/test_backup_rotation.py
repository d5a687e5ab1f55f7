"""Scheduled backups: dated folders, a retention of N days, a copy off the machine."""

import json
import shlex
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ops.backup_rotation import prune_backups

committed = pytest.mark.django_db(transaction=True)


def old_backup(parent: Path, name: str, age: timedelta) -> Path:
    folder = parent / name
    folder.mkdir()
    made = (timezone.now() - age).isoformat()
    (folder / "manifest.json").write_text(json.dumps({"created_at": made}))
    return folder


@committed
def test_a_scheduled_backup_is_dated_and_backups_past_the_retention_are_removed(
    tmp_path, settings
):
    settings.NEWSROOM_BACKUP_KEEP_DAYS = 14
    expired = old_backup(tmp_path, "2020-01-01-0300", timedelta(days=15))
    recent = old_backup(tmp_path, "2020-01-02-0300", timedelta(days=13))
    by_hand = tmp_path / "keep-me"
    by_hand.mkdir()

    call_command("backup", into=tmp_path)

    made = timezone.localtime().strftime("%Y-%m-%d-")
    new = [folder for folder in tmp_path.iterdir() if folder.name.startswith(made)]
    assert len(new) == 1
    assert (new[0] / "manifest.json").exists()
    assert not expired.exists()
    assert recent.exists()
    assert by_hand.exists()


def test_the_newest_backup_stays_however_old_it_is(tmp_path):
    older = old_backup(tmp_path, "a", timedelta(days=40))
    newest = old_backup(tmp_path, "b", timedelta(days=30))

    removed = prune_backups(tmp_path, keep_days=14, now=timezone.now())

    assert removed == [older]
    assert newest.exists()


@committed
def test_each_scheduled_backup_is_copied_off_the_machine(tmp_path, settings):
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    settings.NEWSROOM_BACKUP_COPY_COMMAND = f'cp -r "$1" {shlex.quote(str(offsite))}/'

    call_command("backup", into=tmp_path / "backups")

    [copied] = offsite.iterdir()
    assert (copied / "manifest.json").exists()


@committed
def test_while_copies_fail_no_old_backup_is_removed(tmp_path, settings):
    settings.NEWSROOM_BACKUP_KEEP_DAYS = 1
    settings.NEWSROOM_BACKUP_COPY_COMMAND = "false"
    expired = old_backup(tmp_path, "2020-01-01-0300", timedelta(days=30))

    with pytest.raises(CommandError, match="备份未能复制到其他机器"):
        call_command("backup", into=tmp_path)

    assert expired.exists()
