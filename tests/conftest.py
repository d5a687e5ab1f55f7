"""Shared fixtures: fast settings for every test, and a fully dressed article."""

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def fast_settings(settings, tmp_path):
    """Cheap hashing, a private cache and throw-away media (public and private) for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = settings.STORAGES | {
        "originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": "/private/"},
        }
    }
    settings.NEWSROOM_SITE_URL = ""
    settings.NEWSROOM_STATION_NAME = "红岭网湘西站"
    settings.NEWSROOM_NETWORK_NAME = "红岭网"
    settings.NEWSROOM_NETWORK_URL = "https://www.hongling.example/"


@pytest.fixture
def county_channel(db):
    """泸溪县 under 县市区: a sub-channel, so breadcrumbs have two steps."""
    parent = factories.ChannelFactory(name="县市区", slug="xianshiqu")
    return factories.ChannelFactory(name="泸溪县", slug="luxixian", parent=parent)


@pytest.fixture
def full_article(county_channel):
    """A published article with every element the article page can show."""
    return factories.full_article(channel=county_channel)
