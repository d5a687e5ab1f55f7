"""Production differs from development only by environment variables."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLEAN = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CACHE_"))}

# What the tests look at, evaluated in a fresh process.
FACTS = """{
    "databases": settings.DATABASES,
    "replicas": settings.DATABASE_REPLICAS,
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_options": settings.CACHES["default"].get("OPTIONS", {}),
    "storages": settings.STORAGES,
    "media_root": str(settings.MEDIA_ROOT),
    "media_url": storages["default"].url("photos/2026/11/jishou.jpg"),
    "original_url": storages["originals"].url("photos/2026/11/jishou.jpg")
        if settings.STORAGES["originals"]["OPTIONS"].get("bucket_name") else None,
    "tasks": settings.TASKS["default"]["BACKEND"],
    "mailer": settings.MAILERS["default"],
}"""

PRODUCTION = {
    "DATABASE_URL": "postgres://news@primary.internal:5432/newsroom",
    "DATABASE_POOL_MAX_SIZE": "8",
    "DATABASE_REPLICA_URLS": "postgres://news@standby1:5432/newsroom,"
    "postgres://news@standby2:5432/newsroom",
    "CACHE_URL": "redis://cache.internal:6379/0",
    "MEDIA_S3_BUCKET": "xiangxi-media",
    "MEDIA_S3_ENDPOINT_URL": "https://oss-cn-changsha.example.com",
    "MEDIA_S3_CUSTOM_DOMAIN": "img.xiangxi.example.cn",
    "ORIGINALS_S3_BUCKET": "xiangxi-originals",
    "ORIGINALS_S3_ENDPOINT_URL": "https://oss-cn-changsha.example.com",
    "S3_ACCESS_KEY_ID": "test-key",
    "S3_SECRET_ACCESS_KEY": "test-secret",
    "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    "EMAIL_HOST": "smtp.example.cn",
    "EMAIL_HOST_USER": "newsroom",
    "EMAIL_PORT": "465",
    "EMAIL_USE_TLS": "off",
    "EMAIL_USE_SSL": "on",
}


def configured(env: dict[str, str]) -> dict:
    """The settings a fresh process builds from ``env`` (no network is touched)."""
    program = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from django.core.files.storage import storages; "
        f"print(json.dumps({FACTS}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def development() -> dict:
    return configured({})


@pytest.fixture(scope="module")
def production() -> dict:
    return configured(PRODUCTION)


def test_without_environment_it_runs_on_sqlite_local_files_and_in_process_tasks(development):
    assert development["databases"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert development["replicas"] == []
    assert development["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert development["storages"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert development["media_url"] == "/media/photos/2026/11/jishou.jpg"
    assert development["tasks"] == "django.tasks.backends.immediate.ImmediateBackend"
    assert development["mailer"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_originals_are_private_and_kept_outside_the_media_root(development):
    originals = development["storages"]["originals"]["OPTIONS"]

    assert originals["base_url"] is None
    assert not Path(originals["location"]).is_relative_to(development["media_root"])


def test_static_files_get_hashed_compressed_names(development):
    static = development["storages"]["staticfiles"]["BACKEND"]

    assert static == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_postgresql_connections_come_from_a_checked_pool(production):
    primary = production["databases"]["default"]

    assert primary["OPTIONS"]["pool"] == {
        "min_size": 1,
        "max_size": 8,
        "timeout": 3.0,
        "reconnect_timeout": 2.0,
    }
    assert primary["CONN_MAX_AGE"] == 0
    assert primary["CONN_HEALTH_CHECKS"] is True  # the pool checks each connection it lends


def test_without_the_pool_connections_may_be_kept_open():
    found = configured(
        {
            "DATABASE_URL": "postgres://news@db.internal:5432/newsroom",
            "DATABASE_POOL": "off",
            "DATABASE_CONN_MAX_AGE": "60",
        }
    )

    assert "pool" not in found["databases"]["default"].get("OPTIONS", {})
    assert found["databases"]["default"]["CONN_MAX_AGE"] == 60


def test_each_replica_url_becomes_a_read_alias_mirroring_the_primary_in_tests(production):
    databases = production["databases"]

    assert production["replicas"] == ["replica1", "replica2"]
    assert databases["replica2"]["HOST"] == "standby2"
    assert databases["replica2"]["TEST"]["MIRROR"] == "default"
    assert databases["default"]["ENGINE"] == "ops.db.backends.postgresql"  # the fenced primary
    assert production["cache"] == "ops.cache.FailOpenRedisCache"


def test_replicas_without_a_shared_redis_are_refused_by_the_system_check():
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **CLEAN,
            "DATABASE_URL": "postgres://news@primary:5432/newsroom",
            "DATABASE_REPLICA_URLS": "postgres://news@standby:5432/newsroom",
        },
        capture_output=True,
        text=True,
    )

    assert done.returncode != 0
    assert "ops.E002" in done.stderr


def test_media_on_an_s3_compatible_store_are_served_from_the_cdn_domain(production):
    media = production["storages"]["default"]

    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "xiangxi-media"
    assert media["OPTIONS"]["endpoint_url"] == "https://oss-cn-changsha.example.com"
    assert media["OPTIONS"]["file_overwrite"] is False
    assert production["media_url"] == "https://img.xiangxi.example.cn/photos/2026/11/jishou.jpg"


def test_originals_on_an_s3_compatible_store_get_signed_expiring_links(production):
    url = production["original_url"]

    assert url.startswith("https://oss-cn-changsha.example.com/xiangxi-originals/photos/")
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=" in url
    assert "img.xiangxi.example.cn" not in url


def test_production_tasks_go_to_the_database_queue(production):
    assert production["tasks"] == "django_tasks_db.DatabaseBackend"


def test_mail_goes_through_the_smtp_server_when_one_is_named(production):
    mailer = production["mailer"]

    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "smtp.example.cn",
        "port": 465,
        "username": "newsroom",
        "password": "",
        "use_tls": False,
        "use_ssl": True,
        "timeout": 10,
    }


def test_the_wsgi_entry_point_loads_in_a_fresh_process():
    """What gunicorn does first: import newsroom.wsgi before anything else is set up."""
    code = (
        "from newsroom.wsgi import application, django_application; "
        "print(type(django_application), application.__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stderr[-2000:]
    # Django's handler, behind the read beacon (audience/beacon.py).
    assert "WSGIHandler" in done.stdout
    assert "beacon_first" in done.stdout


def test_a_database_or_redis_out_of_reach_costs_seconds_not_minutes(production):
    primary = production["databases"]["default"]

    assert primary["OPTIONS"]["connect_timeout"] == 2
    assert primary["OPTIONS"]["pool"]["timeout"] <= 3
    assert production["cache_options"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.mark.parametrize(
    ("env", "secure"),
    [({}, True), ({"DJANGO_DEBUG": "1"}, False), ({"DJANGO_SECURE_COOKIES": "off"}, False)],
    ids=["production", "debugging", "plain-http-on-purpose"],
)
def test_cookies_go_over_https_only_unless_debugging_or_told_otherwise(env, secure):
    program = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE)"
    )
    base = {k: v for k, v in CLEAN.items() if k not in ("DJANGO_DEBUG", "DJANGO_SECURE_COOKIES")}
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )

    assert done.stdout.split() == [str(secure), str(secure), "True", "Lax"]
