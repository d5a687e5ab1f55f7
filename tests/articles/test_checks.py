"""System checks of the desk's settings: the site URL mail links need, the overdue hours."""

import pytest
from django.core.checks import run_checks

from desk import checks


def ids(found) -> list[str]:
    return [message.id for message in found]


@pytest.mark.parametrize(
    ("debug", "site_url", "expected"),
    [
        (False, "", ["articles.E003"]),
        (False, "https://xiangxi.example.cn", []),
        (True, "", []),
    ],
)
def test_production_requires_the_site_url(settings, debug, site_url, expected):
    settings.DEBUG, settings.NEWSROOM_SITE_URL = debug, site_url

    assert ids(checks.site_url_is_set(None)) == expected


@pytest.mark.django_db
def test_the_site_url_check_runs_with_the_deployment_checks(settings):
    settings.DEBUG, settings.NEWSROOM_SITE_URL = False, ""

    assert "articles.E003" in ids(run_checks(include_deployment_checks=True))
    assert "articles.E003" not in ids(run_checks())


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("https://xiangxi.example.cn", []),
        ("http://127.0.0.1:8000", []),
        ("xiangxi.example.cn", ["articles.E004"]),
        ("ftp://xiangxi.example.cn", ["articles.E004"]),
    ],
)
def test_a_site_url_must_be_an_http_address(settings, site_url, expected):
    settings.NEWSROOM_SITE_URL = site_url

    assert ids(checks.site_url_is_an_origin(None)) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("24", []), ("初审=12,复审=24", []), ("初审=半天", ["articles.E005"])]
)
def test_overdue_hours_must_be_readable(settings, value, expected):
    settings.NEWSROOM_REVIEW_OVERDUE_HOURS = value

    assert ids(checks.overdue_hours_are_readable(None)) == expected
