"""Signing in: repeated failures lock the account and the address for a while, with a clear
page in Chinese (and English); an administrator can unlock; lockouts are audited; passwords
and cookies follow the house rules."""

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

from audit.models import Entry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery"  # the factories' password


def sign_in(client, username: str, password: str, address: str = "203.0.113.7", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, username: str, times: int, address: str = "203.0.113.7") -> None:
    for _ in range(times):
        sign_in(client, username, "wrong", address)


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


def test_the_account_is_locked_from_every_address(client):
    UserFactory(username="lihua")
    for number in range(5):
        sign_in(client, "lihua", "wrong", address=f"198.51.100.{number}")

    refused = sign_in(client, "lihua", PASSWORD, address="192.0.2.99")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_an_address_that_fails_on_many_accounts_is_locked_for_all(client):
    UserFactory(username="honest")
    for number in range(5):
        sign_in(client, f"guess{number}", "wrong", address="198.51.100.66")

    from_there = sign_in(client, "honest", PASSWORD, address="198.51.100.66")
    elsewhere = sign_in(client, "honest", PASSWORD, address="192.0.2.1")

    assert from_there.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert elsewhere.status_code == HTTPStatus.FOUND


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


def test_a_lockout_is_written_to_the_audit_log(client):
    UserFactory(username="lihua")

    fail(client, "lihua", 5, address="198.51.100.4")

    entry = Entry.objects.filter(action=Entry.Action.LOCKOUT).get()
    assert entry.details == {"username": "lihua", "address": "198.51.100.4"}
    assert entry.address == "198.51.100.4"


def test_an_administrator_unlocks_an_account_with_the_reset_command(client):
    UserFactory(username="lihua")
    fail(client, "lihua", 5)

    call_command("axes_reset_username", "lihua")

    assert sign_in(client, "lihua", PASSWORD, address="192.0.2.1").status_code == HTTPStatus.FOUND


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


# --- Passwords and cookies ------------------------------------------------------------------


def test_passwords_need_at_least_ten_characters():
    with pytest.raises(ValidationError, match="至少要包含 10 个字符"):
        validate_password("xq7!mb2#k")

    validate_password("xq7!mb2#kz")
