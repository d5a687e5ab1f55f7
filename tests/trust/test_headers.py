"""Security headers: a nonce-free policy on public (stored) pages, nonces only in the admin,
and a production configuration that Django's deployment check finds nothing wrong with."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
CSP = "Content-Security-Policy"


def directives(header: str) -> dict[str, list[str]]:
    """A policy header as {directive: [sources]}."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


@pytest.fixture
def editor_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(username="desk", is_superuser=True))
    return client


def test_public_pages_forbid_inline_script_and_style_and_carry_no_nonce(client, full_article):
    for path in ["/", full_article.get_absolute_url(), "/search/?q=椪柑", "/channel/luxixian/"]:
        policy = directives(client.get(path)[CSP])

        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert "nonce-" not in client.get(path)[CSP]


def test_a_stored_page_replays_the_same_nonce_free_policy(client, settings, full_article):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    path = full_article.get_absolute_url()

    first = client.get(path)
    replayed = client.get(path)

    assert replayed["X-Page-Cache"] == "HIT"
    assert replayed[CSP] == first[CSP]
    assert "nonce-" not in replayed[CSP]


def test_admin_scripts_carry_the_nonce_of_their_own_response(editor_client, full_article):
    first = editor_client.get(f"/admin/articles/article/{full_article.pk}/change/")
    second = editor_client.get(f"/admin/articles/article/{full_article.pk}/change/")

    nonce = re.search(r"'nonce-([^']+)'", first[CSP])[1]
    assert f'nonce="{nonce}"' in first.text
    assert directives(first[CSP])["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert nonce not in second[CSP]  # a fresh nonce for every response
    assert "'unsafe-inline'" not in directives(first[CSP])["script-src"]
    assert directives(first[CSP])["img-src"] == ["'self'", "https:"]  # no data: or blob:


def test_the_page_cache_never_stores_a_response_with_a_nonce(client, settings, db):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    # As if a public page had used a nonce.
    settings.SECURE_CSP = settings.SECURE_CSP | {"script-src": ["'self'", "'nonce-AbC123'"]}

    client.get("/")
    again = client.get("/")

    assert again.get("X-Page-Cache") != "HIT"


def test_every_response_sets_the_other_security_headers(client, editor_client, db):
    for response in [client.get("/"), editor_client.get("/admin/")]:
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def production_environment() -> dict[str, str]:
    """The environment file the production guide has a sysadmin install, with a real secret."""
    example = ROOT / "deploy" / "newsroom.env.example"
    env = {}
    for line in example.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value.strip('"')
    return env | {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}


def test_the_deployment_check_is_clean_with_the_production_environment():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **production_environment()},
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_the_deployment_check_warns_without_https_settings():
    env = production_environment() | {"DJANGO_SSL_REDIRECT": "off", "DJANGO_HSTS_SECONDS": "0"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )

    assert "security.W004" in done.stderr  # no HSTS
    assert "security.W008" in done.stderr  # no redirect to HTTPS
