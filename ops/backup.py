"""Backups of a whole station: the database (every table of every app), the public media
and the private photo originals, with a manifest of row counts and file checksums.

A backup folder holds ``manifest.json``, the database (``database.dump``, pg_dump's custom
format, or ``database.sqlite3``) and the files under ``media/`` and ``originals/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.storage import stored_files
from ops.signals import site_restored

MANIFEST = "manifest.json"
FORMAT = 1
# Folder in the backup → the storage (settings.STORAGES) its files come from.
FOLDERS = {"media": "default", "originals": "originals"}
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; nothing was changed."""


# --- What a backup covers --------------------------------------------------------------


def tables() -> list[type[models.Model]]:
    """Every model with a table of its own, in every installed app (many-to-many too)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def table_checksums(labels: set[str] | None = None) -> dict[str, dict]:
    """Rows and a checksum of their content, per model, in the configured database."""
    return {
        model._meta.label: rows_checksum(model)
        for model in tables()
        if labels is None or model._meta.label in labels
    }


def rows_checksum(model: type[models.Model]) -> dict:
    fields = [field.attname for field in model._meta.concrete_fields]
    digest, count = hashlib.sha256(), 0
    for row in model._base_manager.order_by("pk").values_list(*fields).iterator(2000):
        digest.update(json.dumps(row, default=as_text, sort_keys=True).encode() + b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def as_text(value: object) -> str:
    """Dates, decimals, UUIDs and bytes as stable text, for checksums."""
    return bytes(value).hex() if isinstance(value, bytes | memoryview) else str(value)


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def files_in(folder: Path) -> Iterator[Path]:
    return (path for path in sorted(folder.rglob("*")) if path.is_file())


# --- Backing up ------------------------------------------------------------------------


def back_up(target: Path) -> dict:
    """Write a backup of the database and both file storages into an empty folder."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(_("备份目录 %(path)s 不是空的，请换一个新目录。") % {"path": target})
    target.mkdir(parents=True, exist_ok=True)
    database_file = target / DATABASE_FILES[vendor()]
    if connection.in_atomic_block:  # its writes would be missing, or lock SQLite's copy
        raise BackupError(_("不能在未提交的事务中备份。"))
    with transaction.atomic():  # one snapshot for the dump and the checksums
        if vendor() == "postgresql":
            dump_postgresql(database_file)
        else:
            dump_sqlite(database_file)
        tables_found = table_checksums()
    for folder, alias in FOLDERS.items():
        copy_out(storages[alias], target / folder)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": vendor(),
        "database": database_file.name,
        "tables": tables_found,
        "files": {
            path.relative_to(target).as_posix(): checksum(path)
            for path in files_in(target)
            if path.name != MANIFEST
        },
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return manifest


def vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(_("不支持备份 %(vendor)s 数据库。") % {"vendor": connection.vendor})
    return connection.vendor


def dump_postgresql(path: Path) -> None:
    """pg_dump the database from this transaction's snapshot (its first statement)."""
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    run_libpq("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={path}")


def dump_sqlite(path: Path) -> None:
    """Copy the database with SQLite's online backup API, inside this read transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_master")  # takes the read snapshot
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def copy_out(storage: Storage, folder: Path) -> None:
    """Copy every file of a storage (local folder or bucket) into a folder."""
    for name in stored_files(storage):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)


def run_libpq(program: str, *args: str) -> None:
    """Run pg_dump or pg_restore on the configured database; the password goes through
    the environment, never the command line."""
    if not shutil.which(program):
        message = _("找不到 %(program)s，请安装 PostgreSQL 客户端。")
        raise BackupError(message % {"program": program})
    done = subprocess.run(
        [program, "--no-password", *args], env=libpq_env(), capture_output=True, text=True
    )
    if done.returncode:
        raise BackupError(f"{program}: {done.stderr.strip()}")


def libpq_env() -> dict[str, str]:
    """The PG* variables naming the configured database (host, port, user, password)."""
    config = connection.settings_dict
    options = config.get("OPTIONS", {})
    values = {
        "PGHOST": config.get("HOST"),
        "PGPORT": config.get("PORT"),
        "PGUSER": config.get("USER"),
        "PGPASSWORD": config.get("PASSWORD"),
        "PGDATABASE": config.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


# --- Restoring -------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    """The manifest of a backup folder, once every file in it matches its checksum."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            _("%(path)s 不是可用的备份：读不到清单（%(error)s）。")
            % {"path": source, "error": error}
        ) from error
    damaged = [
        name
        for name, expected in manifest["files"].items()
        if not (source / name).is_file() or checksum(source / name) != expected
    ]
    if damaged:
        raise BackupError(
            _("备份已损坏，以下文件缺失或校验和不符：%(files)s") % {"files": "、".join(damaged)}
        )
    return manifest


def restore(source: Path, *, force: bool = False) -> dict[str, int]:
    """Put a backup back: database, then files; return the rows restored per model.

    Refuses, before changing anything, a damaged backup, a backup of another database
    engine, and (without ``force``) a database or storage that already holds data.
    """
    manifest = read_manifest(source)
    if manifest["engine"] != vendor():
        raise BackupError(
            _("这是 %(backup)s 数据库的备份，不能恢复到 %(target)s 数据库。")
            % {"backup": manifest["engine"], "target": vendor()}
        )
    if not force:
        refuse_to_overwrite()
    database_file = source / manifest["database"]
    if vendor() == "postgresql":
        restore_postgresql(database_file, force=force)
    else:
        restore_sqlite(database_file)
    for folder, alias in FOLDERS.items():
        copy_in(source / folder, storages[alias], manifest["files"], folder)
    saved = manifest["tables"]
    restored = table_checksums(set(saved))
    wrong = [label for label in saved if restored.get(label) != saved[label]]
    if wrong:
        raise BackupError(
            _("恢复后的数据与备份清单不符：%(models)s") % {"models": "、".join(wrong)}
        )
    # Nothing cached may show the site as it was before: the page cache listens.
    site_restored.send(sender=restore)
    return {label: found["rows"] for label, found in restored.items()}


def refuse_to_overwrite() -> None:
    found = connection.introspection.table_names()
    if found:
        raise BackupError(
            _(
                "目标数据库不是空的（已有 %(count)d 张表）。请恢复到新建的空数据库，"
                "或加 --force 覆盖其中的数据。"
            )
            % {"count": len(found)}
        )
    for alias in FOLDERS.values():
        storage = storages[alias]
        if any(not name.rsplit("/", 1)[-1].startswith(".") for name in stored_files(storage)):
            raise BackupError(
                _("文件目录 %(place)s 中已有文件。请恢复到空目录，或加 --force 覆盖。")
                % {"place": getattr(storage, "location", alias)}
            )


def restore_postgresql(path: Path, *, force: bool) -> None:
    """pg_restore in one transaction: on any error the database is left as it was."""
    connection.close()
    clean = ["--clean", "--if-exists"] if force else []
    run_libpq(
        "pg_restore", "--single-transaction", "--no-owner", "--no-privileges", *clean,
        f"--dbname={connection.settings_dict['NAME']}", str(path),
    )  # fmt: skip


def restore_sqlite(path: Path) -> None:
    """Copy the saved database over the configured file, page by page, in one step."""
    connection.close()
    saved = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        saved.backup(target)
    finally:
        saved.close()
        target.close()


def copy_in(folder: Path, storage: Storage, checksums: dict[str, str], prefix: str) -> None:
    """Write a backup folder's files into a storage under their own names, and check them."""
    for path in files_in(folder) if folder.exists() else []:
        name = path.relative_to(folder).as_posix()
        if storage.exists(name):
            storage.delete(name)  # only reached with --force, or a file of a failed attempt
        with path.open("rb") as file:
            stored = storage.save(name, File(file))
        expected = checksums[f"{prefix}/{name}"]
        with storage.open(stored, "rb") as file:
            found = hashlib.file_digest(file, "sha256").hexdigest()
        if stored != name or found != expected:
            raise BackupError(_("文件 %(name)s 写入后校验失败。") % {"name": name})
