"""A stranger hammering an editor's sign-in on a real app server: the editor still signs in
from the newsroom, each refused try is answered at once, and the audit keeps a count, not
a row per try."""

import html
import re
import time
from http import HTTPStatus

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.contrib.auth.models import Group

from audit.models import Entry, RefusedSignIn
from tests.factories import UserFactory
from tests.scaleout.servers import Browser

pytestmark = pytest.mark.scaleout

PASSWORD = "correct horse battery"  # the factories' password
STRANGER = "198.51.100.66"
NEWSROOM = "192.0.2.10"
TRIES = 60


@pytest.fixture(scope="module")
def site(server_env, start_server):
    """One app server behind a (pretend) proxy: the address is the one it reports."""
    return start_server({**server_env, "DJANGO_PROXY_COUNT": "1"}, "signin")


def sign_in_from(site, address: str, username: str, password: str, times: int = 1) -> list:
    """Post the admin's sign-in form from ``address``; return each answer and its time."""
    browser = Browser()
    page = browser.get(f"{site.origin}/admin/login/", **{"X-Forwarded-For": address})
    token = html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1])
    form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    answers = []
    for _ in range(times):
        started = time.monotonic()
        answer = browser.request(
            f"{site.origin}/admin/login/?next=/admin/", form, {"X-Forwarded-For": address}
        )
        answers.append((answer, time.monotonic() - started))
    return answers


def test_a_stranger_hammering_an_editors_sign_in_locks_only_their_own_tries(
    site, transactional_db
):
    # The servers check passwords with the production hasher, not the tests' fast one.
    editor = UserFactory(username="editor", is_staff=True)
    editor.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    editor.save()
    editor.groups.add(Group.objects.get_or_create(name="编辑")[0])

    hammered = sign_in_from(site, STRANGER, "editor", "wrong", times=TRIES)
    ((editor_answer, _seconds),) = sign_in_from(site, NEWSROOM, "editor", PASSWORD)

    statuses = [answer.status for answer, _ in hammered]
    assert statuses[:3] == [HTTPStatus.OK] * 3  # the form again, with its error
    assert set(statuses[3:]) == {HTTPStatus.TOO_MANY_REQUESTS}
    assert "请稍后再试" in hammered[-1][0].text
    assert max(seconds for _, seconds in hammered) < 2  # refused at once, nobody waits
    assert editor_answer.status == HTTPStatus.FOUND
    row = RefusedSignIn.objects.get(address=STRANGER)
    assert (row.username, row.tries) == ("editor", TRIES)
    assert not Entry.objects.filter(action__in=["login_failed", "lockout"]).exists()
