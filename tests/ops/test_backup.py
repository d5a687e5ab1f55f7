"""Backup and restore: a whole station comes back identical in an empty database."""

import hashlib
import json
import os
import re
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, Image, Revision
from desk import revisions
from ops import backup
from ops.signals import site_restored
from tests import factories, photo_files
from tests.factories import ArticleFactory, ImageFactory, review_through_chain
from tests.scaleout.servers import manage

PRINT_CHECKSUMS = (
    "import json; from ops.backup import table_checksums; print(json.dumps(table_checksums()))"
)
# Transactional: a backup sees committed rows only.
committed = pytest.mark.django_db(transaction=True)


def build_station(staff, settings) -> None:
    """Articles in every state, their revisions and review records, a correction, photos
    with public copies (one shown in a photo set), tags, authors and related links."""
    settings.NEWSROOM_DIRECT_CORRECTIONS = True
    channel = factories.ChannelFactory(name="州内要闻", slug="zhounei")
    factories.full_article(channel=channel)
    draft = ArticleFactory(draft=True, created_by=staff.writer, channel=channel, title="草稿")
    revisions.store(draft, staff.writer, Revision.Reason.SAVED)
    in_review = ArticleFactory(draft=True, created_by=staff.writer, channel=channel)
    in_review.submit(by=staff.writer)
    in_review.reject(by=staff.editor, note="请补充采访对象")
    live = ArticleFactory(draft=True, created_by=staff.writer, channel=channel, title="已发布")
    review_through_chain(live, [staff.editor, staff.managing, staff.chief])
    live.publish(by=staff.chief)
    live.start_revision(by=staff.chief).correct_directly(by=staff.chief, note="更正人名")
    withdrawn = ArticleFactory(draft=True, created_by=staff.writer, channel=channel)
    review_through_chain(withdrawn, [staff.editor, staff.managing, staff.chief])
    withdrawn.publish(by=staff.chief)
    withdrawn.withdraw(by=staff.chief, note="内容有误")
    photo = ImageFactory(file=photo_files.upload(photo_files.heic(), "set.heic"))
    live.gallery_items.create(image=photo, position=0)


def file_checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the engine under test; dropped afterwards."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    server = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"] or "postgres",
        "password": config["PASSWORD"] or None,
    }
    name = f"{config['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{server['password']}" if server["password"] else ""
    yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@committed
def test_a_station_restored_into_an_empty_database_is_identical(
    staff, settings, tmp_path, empty_database
):
    build_station(staff, settings)
    tables = backup.table_checksums()
    media, private = Path(settings.MEDIA_ROOT), tmp_path / "private"
    files = {"media": file_checksums(media), "originals": file_checksums(private)}
    call_command("backup", tmp_path / "backup")
    restored = {"media": tmp_path / "restored-media", "originals": tmp_path / "restored-private"}
    env = {
        **os.environ,
        "DATABASE_URL": empty_database,
        "DJANGO_MEDIA_ROOT": str(restored["media"]),
        "DJANGO_ORIGINALS_ROOT": str(restored["originals"]),
    }

    output = manage("restore", str(tmp_path / "backup"), env=env)

    assert f"articles.Article: {Article.objects.count()}" in output
    assert "与备份清单一致" in output
    found = json.loads(manage("shell", "-c", PRINT_CHECKSUMS, env=env).splitlines()[-1])
    # The page generation alone moves: restore raises it so no page stored before is used.
    assert found.pop("ops.PageGeneration")["rows"] == 1
    tables.pop("ops.PageGeneration")
    assert found == tables
    for place, root in restored.items():
        assert file_checksums(root) == files[place]
    for image in Image.objects.all():
        assert (restored["originals"] / image.file.name).is_file()
        assert all((restored["media"] / copy["name"]).is_file() for copy in image.renditions)
    # The station was worth restoring: every state, history and photos.
    assert set(Article.objects.values_list("status", flat=True)) >= {
        "draft", "published", "withdrawn"
    }  # fmt: skip
    for label in ["articles.Revision", "articles.Transition", "articles.Correction"]:
        assert tables[label]["rows"] > 0, label
    assert tables["articles.Image"]["rows"] == 2
    assert files["media"]
    assert len(files["originals"]) == 2


@pytest.fixture
def station_backup(transactional_db, tmp_path) -> Path:
    """A backup of a small station: one photo with its copies (committed, as backups
    see only committed rows)."""
    ImageFactory()
    call_command("backup", tmp_path / "backup")
    return tmp_path / "backup"


@committed
def test_restore_refuses_a_database_that_already_holds_data(station_backup):
    articles_before = ArticleFactory().pk

    with pytest.raises(CommandError, match=r"目标数据库不是空的.*加 --force"):
        call_command("restore", station_backup)

    assert Article.objects.filter(pk=articles_before).exists()


@committed
def test_restore_refuses_a_damaged_backup_before_changing_anything(station_backup):
    article = ArticleFactory(title="恢复前的稿件")
    copy = next(path for path in (station_backup / "media").rglob("*.webp"))
    copy.write_bytes(copy.read_bytes()[:-10])

    with pytest.raises(CommandError, match=r"备份已损坏.*" + re.escape(copy.name)):
        call_command("restore", station_backup, force=True)

    assert Article.objects.get(pk=article.pk).title == "恢复前的稿件"


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")

    with pytest.raises(CommandError, match="不是空的"):
        call_command("backup", tmp_path / "old")

    assert (tmp_path / "old" / "manifest.json").read_text() == "{}"


def test_a_restore_leaves_no_page_cached_from_before_it(client, db, settings, monkeypatch):
    """Whatever Redis, the page cache or the edges kept shows the site before the restore."""
    from types import SimpleNamespace

    from django.core.cache import cache

    from delivery import edge

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    settings.NEWSROOM_EDGE_CACHE_URLS = ["http://edge.example"]
    purged = []
    monkeypatch.setattr(edge, "purge_edge_caches", SimpleNamespace(enqueue=purged.append))
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "HIT"
    cache.set("fragment", "before the restore")

    site_restored.send(sender=backup.restore)

    assert client.get("/")["X-Page-Cache"] == "MISS"
    assert cache.get("fragment") is None
    assert "/" in purged[0]
