"""Playwright driving the system's Chromium (never a downloaded browser)."""

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def browser():
    """Chromium for one test.

    Playwright's sync API runs an event loop in this thread, and while it runs Django
    hands this thread other database connection objects. Starting it per test, after the
    database fixtures (autouse for live_server tests) and stopping it before their
    teardown, keeps Django's test database setup, restore and flush on the usual ones.
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # The ORM calls that fixtures and assertions make between page actions are plain
    # synchronous calls; the running loop only makes Django think otherwise.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot_path():
    """Where a test leaves its screenshot for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return lambda name: ARTIFACTS / f"{name}.png"
