"""No input gives a 500, anywhere: every URL pattern the project defines (found from the
URL resolver, the admin's included) is called with hostile values in each path parameter
and in the query parameters views read, anonymously and as each desk role, and answers
without a server error and in good time.

The default run tries a few examples per pattern with a fixed seed (CI); ``-m fuzz_long``
runs many more. A failure shrinks to the smallest path and query that break the view.
"""

import time
from http import HTTPStatus
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Revision
from audit.chain import record
from audit.models import Entry
from tests import factories
from tests.fuzz.urls import (
    Pattern,
    every_pattern,
    parameters_read_in_code,
    query_values,
    values_for,
)

PATTERNS = every_pattern()
READ_IN_CODE = parameters_read_in_code()
ROLES = ["anonymous", *factories.ROLES]
# Generous: a request on a test database takes well under a tenth of this.
SLOWEST_SECONDS = 5.0


@pytest.fixture(scope="module")
def station(django_db_setup, django_db_blocker):
    """A small station, made once for the module and rolled back after it: a published
    story with its photo, tags, credits and versions, a draft, a topic, audit entries, and
    one signed-in client per role."""
    with django_db_blocker.unblock(), transaction.atomic():
        channel = factories.ChannelFactory(name="吉首市", slug="jishou")
        article = factories.full_article(channel=channel)
        writer = factories.member(factories.ROLES[0], "fuzz-writer")
        draft = factories.ArticleFactory(draft=True, created_by=writer, channel=channel)
        Revision.objects.create(article=article, content={"title": article.title})
        Revision.objects.create(article=article, content={"title": "改过的标题"})
        record(Entry.Action.LOGIN_FAILED, details={"username": "fuzz"})
        clients = {"anonymous": Client(raise_request_exception=True)}
        for role in factories.ROLES:
            client = Client(raise_request_exception=True)
            client.force_login(factories.member(role, f"fuzz-{len(clients)}"))
            clients[role] = client
        known = sorted(
            {str(pk) for pk in (article.pk, draft.pk, channel.pk, article.cover_image_id)}
            | {str(pk) for pk in Revision.objects.values_list("pk", flat=True)}
            | {channel.slug, *article.tags.values_list("slug", flat=True)}
        )
        yield SimpleNamespace(clients=clients, known=known)
        transaction.set_rollback(True)


def calls(pattern: Pattern, known: list[str], role: str) -> st.SearchStrategy:
    """One call as ``role``: a value for each path parameter, hostile query parameters."""
    path_values = st.fixed_dictionaries(
        {name: values_for(regex, known) for name, regex in pattern.parameters.items()}
    )
    names = sorted(READ_IN_CODE | set(pattern.query_parameters()))
    # One parameter in focus (a bad one elsewhere must not hide it), a few others beside it.
    focus = st.fixed_dictionaries({}, optional={name: query_values() for name in names})
    query = st.tuples(st.sampled_from(names), query_values(), focus).map(
        lambda drawn: {**drawn[2], drawn[0]: drawn[1]}
    )
    return st.tuples(path_values, query, st.just(role))


def check(pattern: Pattern, station, call) -> None:
    path_values, query, role = call
    address = pattern.path(path_values)
    if query:
        address += "?" + urlencode(query)
    started = time.monotonic()
    answer = station.clients[role].get(address)
    took = time.monotonic() - started
    assert answer.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, (role, address)
    assert took < SLOWEST_SECONDS, (role, address, took)


def run(pattern: Pattern, station, examples: int) -> None:
    """``examples`` calls as each role: anonymous, then every desk role."""
    for role in ROLES:
        run_as(pattern, station, role, examples)


def run_as(pattern: Pattern, station, role: str, examples: int) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(call=calls(pattern, station.known, role))
    def every_call_answers(call) -> None:
        check(pattern, station, call)

    every_call_answers()


def by_route(pattern: Pattern) -> str:
    return pattern.route


@pytest.mark.parametrize("pattern", PATTERNS, ids=by_route)
def test_no_input_gives_a_server_error(pattern, station, db):
    run(pattern, station, examples=2)


@pytest.mark.fuzz_long
@pytest.mark.parametrize("pattern", PATTERNS, ids=by_route)
def test_no_input_gives_a_server_error_in_a_long_run(pattern, station, db):
    run(pattern, station, examples=60)


def test_the_fuzzer_covers_every_url_pattern():
    """The public pages, the shared preview and the admin's every model are all there."""
    routes = {pattern.route for pattern in PATTERNS}

    assert {"", "search/", "tag/<slug>/", "preview/<token>/", "admin/"} <= routes
    assert "admin/articles/article/<object_id>/revisions/compare/" in routes
    assert "admin/audit/entry/export/" in routes
    assert {"q", "page", "a", "b", "date_from", "date_to", "channel"} <= READ_IN_CODE
    assert len(PATTERNS) > 150
