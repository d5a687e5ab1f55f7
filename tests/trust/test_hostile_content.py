"""Hostile text in every field an editor or author fills shows as text on every page that
shows it, public or admin, and never as markup that could run."""

import csv
import io
import json
from http import HTTPStatus

import pytest
from django.test import Client
from lxml import etree

from tests.factories import UserFactory
from tests.trust.hostile import executable_markup, hostile_site
from tests.trust.payloads import PAYLOADS

# Six payloads to a site: every field holds them in turn (long fields all six, short ones
# the first or last ones that fit), seven sites side by side in one station.
GROUPS = [" ".join(PAYLOADS[start : start + 6]) for start in range(0, len(PAYLOADS), 6)]


@pytest.fixture
def desk_client(db):
    user = UserFactory(username="desk", is_superuser=True)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def test_hostile_text_never_becomes_markup(client, desk_client):
    sites = [
        hostile_site(group, desk_client.user, f"hostile-{n}") for n, group in enumerate(GROUPS)
    ]
    # Every site's own pages; list pages, feeds and sitemaps (one path for all) show every
    # site at once, so each is read once.
    public = unique(path for site in sites for path in site.public_paths())
    admin = unique(path for site in sites for path in site.admin_paths())
    xml = unique(path for site in sites for path in site.feed_paths() + site.sitemap_paths())
    found = {}

    for path in public:
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK, path
        found[path] = executable_markup(response.text)
    for path in admin:
        response = desk_client.get(path)
        assert response.status_code == HTTPStatus.OK, path
        found[path] = executable_markup(response.text, admin=True)
    for path in xml:
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK, path
        etree.fromstring(response.content)  # well-formed XML, whatever the text held

    assert {path: what for path, what in found.items() if what} == {}


def unique(paths) -> list[str]:
    return list(dict.fromkeys(paths))


@pytest.mark.parametrize("payload", PAYLOADS[-6:-2])
def test_the_article_page_shows_hostile_text_as_written(payload, client, desk_client):
    site = hostile_site(payload, desk_client.user)

    page = client.get(site.article.get_absolute_url()).text
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])

    assert data["headline"] == site.article.title
    assert data["articleSection"] == site.article.channel.name


@pytest.mark.parametrize("formula", [p for p in PAYLOADS if p[0] in "=@+-"])
def test_review_record_exports_keep_formulas_as_text(formula, desk_client):
    site = hostile_site(formula, desk_client.user)
    exports = site.export_paths()

    rows = list(csv.DictReader(io.StringIO(desk_client.get(exports["csv"]).text.lstrip("\ufeff"))))
    steps = desk_client.get(exports["json"]).json()["steps"]

    assert rows[0]["意见"] == "'" + formula  # a spreadsheet shows it, never evaluates it
    assert rows[0]["操作人"] == "'" + formula
    assert steps[0]["note"] == formula  # JSON is data already
