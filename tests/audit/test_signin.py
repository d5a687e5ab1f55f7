"""Signing in: repeated failures lock the account from that address for a while, with a
clear page in Chinese (and English); an address that keeps failing is slowed down first;
an administrator can unlock; refused tries are counted, not chained, and pruned early;
passwords and cookies follow the house rules."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import Entry, RefusedSignIn
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery"  # the factories' password
NEWSROOM = "192.0.2.10"  # the newsroom's own address
STRANGER = "198.51.100.66"


@pytest.fixture(autouse=True)
def no_slow_down(settings):
    """Lockout tests fail five times in a row; the slow-down has tests of its own."""
    settings.NEWSROOM_SIGNIN_FREE_TRIES = 100


@pytest.fixture
def slow_down(settings):
    settings.NEWSROOM_SIGNIN_FREE_TRIES = 3
    settings.NEWSROOM_SIGNIN_MAX_WAIT_SECONDS = 300


def sign_in(client, username: str, password: str, address: str = "203.0.113.7", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, username: str, times: int, address: str = "203.0.113.7") -> None:
    for _ in range(times):
        sign_in(client, username, "wrong", address)


# --- Locking an account from one address ---------------------------------------------------


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    UserFactory(username="lihua")
    fail(client, "lihua", 4)
    assert sign_in(client, "lihua", PASSWORD).status_code == HTTPStatus.FOUND
    client.logout()
    fail(client, "lihua", 4)  # the success cleared the earlier count
    assert sign_in(client, "lihua", "wrong").status_code == HTTPStatus.TOO_MANY_REQUESTS

    refused = sign_in(client, "lihua", PASSWORD)

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    page = refused.content.decode()
    assert "登录已被暂时锁定" in page
    assert "请在 30 分钟后再试" in page
    assert "_auth_user_id" not in client.session


def test_a_strangers_failures_do_not_lock_the_editor_out_from_the_newsroom(client, staff):
    fail(client, "editor", 20, address=STRANGER)

    from_the_stranger = sign_in(client, "editor", PASSWORD, address=STRANGER)
    client.logout()
    from_the_newsroom = sign_in(client, "editor", PASSWORD, address=NEWSROOM)

    assert from_the_stranger.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert from_the_newsroom.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(staff.editor.pk)


def test_failures_spread_over_many_addresses_lock_none_of_them(client, staff):
    for number in range(5):
        sign_in(client, "editor", "wrong", address=f"198.51.100.{number}")

    assert sign_in(client, "editor", PASSWORD, address="198.51.100.0").status_code == (
        HTTPStatus.FOUND
    )
    client.logout()
    assert sign_in(client, "editor", PASSWORD, address=NEWSROOM).status_code == HTTPStatus.FOUND


def test_the_lock_lifts_after_the_cool_off(client):
    UserFactory(username="lihua")
    fail(client, "lihua", 5)

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = sign_in(client, "lihua", PASSWORD)

    assert response.status_code == HTTPStatus.FOUND


def test_the_limit_is_a_setting(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="lihua")
    fail(client, "lihua", 2)

    assert sign_in(client, "lihua", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_lockout_page_speaks_english_to_english_readers(client):
    UserFactory(username="lihua")
    fail(client, "lihua", 5)

    page = sign_in(client, "lihua", PASSWORD, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Sign-in temporarily locked" in page
    assert "Try again in 30 minutes" in page


def test_a_lockout_is_written_to_the_audit_log_once(client):
    UserFactory(username="lihua")

    fail(client, "lihua", 15, address="198.51.100.4")

    entry = Entry.objects.filter(action=Entry.Action.LOCKOUT).get()
    assert entry.details == {"username": "lihua", "address": "198.51.100.4"}
    assert entry.address == "198.51.100.4"


def test_an_administrator_unlocks_an_account_with_the_reset_command(client):
    UserFactory(username="lihua")
    fail(client, "lihua", 5)

    call_command("axes_reset_username", "lihua")

    assert sign_in(client, "lihua", PASSWORD).status_code == HTTPStatus.FOUND


def test_an_administrator_unlocks_an_address_in_the_admin(client):
    UserFactory(username="lihua")
    fail(client, "lihua", 5, address="198.51.100.4")
    admin = UserFactory(username="boss", is_superuser=True)
    client.force_login(admin)
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))

    client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    client.logout()

    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "lihua", PASSWORD, address="198.51.100.4").status_code == (
        HTTPStatus.FOUND
    )


# --- Slowing down an address that keeps failing --------------------------------------------


def test_an_address_is_asked_to_wait_after_a_few_failures(client, staff, slow_down):
    for name in ("zhangsan", "lisi", "wangwu"):
        sign_in(client, name, "wrong", address=STRANGER)

    refused = sign_in(client, "editor", PASSWORD, address=STRANGER)

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "请稍后再试" in refused.content.decode()
    assert refused["Retry-After"] == "1"
    assert "_auth_user_id" not in client.session


def test_the_wait_grows_with_each_further_failure(client, slow_down):
    fail(client, "zhangsan", 3, address=STRANGER)
    answers = []
    for _ in range(4):
        with time_machine.travel(timezone.now() + timedelta(seconds=301)):
            sign_in(client, "zhangsan", "wrong", address=STRANGER)
            answers.append(sign_in(client, "zhangsan", "wrong", address=STRANGER))

    assert [answer["Retry-After"] for answer in answers] == ["2", "8", "32", "128"]


def test_the_wait_never_exceeds_the_maximum(client, slow_down):
    fail(client, "zhangsan", 40, address=STRANGER)

    answer = sign_in(client, "zhangsan", "wrong", address=STRANGER)

    assert answer["Retry-After"] == "300"


def test_after_the_wait_the_editor_signs_in(client, staff, slow_down):
    fail(client, "editor", 3, address=NEWSROOM)

    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        answer = sign_in(client, "editor", PASSWORD, address=NEWSROOM)

    assert answer.status_code == HTTPStatus.FOUND


def test_a_guessing_address_never_slows_the_newsroom(client, staff, slow_down):
    fail(client, "editor", 30, address=STRANGER)

    assert sign_in(client, "editor", PASSWORD, address=NEWSROOM).status_code == HTTPStatus.FOUND


def test_the_wait_page_speaks_english_to_english_readers(client, slow_down):
    fail(client, "zhangsan", 3, address=STRANGER)

    page = sign_in(client, "zhangsan", "wrong", STRANGER, HTTP_ACCEPT_LANGUAGE="en").content

    assert "try again later" in page.decode()


# --- Counting refused tries -------------------------------------------------------------------


def test_refused_tries_are_one_row_per_account_and_address_with_a_count(client):
    UserFactory(username="lihua")
    fail(client, "lihua", 40, address=STRANGER)
    fail(client, "lihua", 2, address=NEWSROOM)

    rows = dict(RefusedSignIn.objects.values_list("address", "tries"))

    assert rows == {STRANGER: 40, NEWSROOM: 2}
    assert not Entry.objects.filter(action=Entry.Action.LOGIN_FAILED).exists()
    assert Entry.objects.filter(action=Entry.Action.LOCKOUT).count() == 1


def test_a_new_interval_starts_a_new_row(client, settings):
    settings.NEWSROOM_SIGNIN_AUDIT_SECONDS = 600
    fail(client, "lihua", 2, address=STRANGER)

    with time_machine.travel(timezone.now() + timedelta(seconds=601)):
        fail(client, "lihua", 3, address=STRANGER)

    assert sorted(RefusedSignIn.objects.values_list("tries", flat=True)) == [2, 3]


def test_counts_of_refused_tries_are_pruned_after_their_own_retention(client, settings):
    settings.NEWSROOM_SIGNIN_REFUSALS_DAYS = 30
    fail(client, "lihua", 2, address=STRANGER)
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        fail(client, "lihua", 1, address=NEWSROOM)

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        call_command("prune_refused_signins")

    assert list(RefusedSignIn.objects.values_list("address", flat=True)) == [NEWSROOM]


# --- Passwords and cookies ------------------------------------------------------------------


def test_passwords_need_at_least_ten_characters():
    with pytest.raises(ValidationError, match="至少要包含 10 个字符"):
        validate_password("xq7!mb2#k")

    validate_password("xq7!mb2#kz")
