"""The audit log in the admin: read-only for everyone, filterable, exported as CSV."""

import csv
import io
from http import HTTPStatus

import pytest
from django.urls import reverse

from audit.chain import record
from audit.models import Entry
from exports.csv import FORMULA_STARTS
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(client):
    user = UserFactory(username="boss", is_superuser=True)
    client.force_login(user)
    return user


def rows(response) -> list[dict]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))


def test_the_list_shows_entries_but_nothing_can_be_added_changed_or_deleted(client, boss):
    entry = Entry.objects.filter(action=Entry.Action.LOGIN).get()
    change = reverse("admin:audit_entry_change", args=[entry.pk])

    listing = client.get(reverse("admin:audit_entry_changelist"))
    adding = client.get(reverse("admin:audit_entry_add"))
    editing = client.post(change, {"actor_name": "mallory"})
    deleting = client.post(reverse("admin:audit_entry_delete", args=[entry.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:audit_entry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert listing.status_code == HTTPStatus.OK
    assert "boss" in listing.content.decode()
    assert client.get(change).status_code == HTTPStatus.OK  # shown read-only
    assert {adding.status_code, editing.status_code, deleting.status_code} == {
        HTTPStatus.FORBIDDEN
    }
    assert bulk.status_code == HTTPStatus.FOUND  # no such action: back to the list
    entry_now = Entry.objects.get(pk=entry.pk)
    assert (entry_now.actor_name, entry_now.digest) == ("boss", entry.digest)


def test_export_follows_the_lists_filters_and_carries_the_digests(client, boss):
    record(Entry.Action.LOGIN_FAILED, details={"username": "mallory"})

    response = client.get(reverse("admin:audit_entry_export") + "?action=login_failed")

    assert response["Content-Type"].startswith("text/csv")
    (row,) = rows(response)
    assert row["action"] == "login_failed"
    assert row["digest"] == Entry.objects.get(action="login_failed").digest
    assert "mallory" in row["details"]


def test_selected_entries_export_as_csv(client, boss):
    wanted = record(Entry.Action.LOGIN_FAILED, details={"username": "甲"})

    response = client.post(
        reverse("admin:audit_entry_changelist"),
        {"action": "export_selected", "_selected_action": [wanted.pk]},
    )

    assert [row["sequence"] for row in rows(response)] == [str(wanted.sequence)]


def test_desk_roles_do_not_see_the_audit_log(client, staff):
    client.force_login(staff.chief)

    assert client.get(reverse("admin:audit_entry_changelist")).status_code == HTTPStatus.FORBIDDEN
    assert client.get(reverse("admin:audit_entry_export")).status_code == HTTPStatus.FORBIDDEN


def test_export_keeps_a_contributors_formula_as_text(client, boss):
    """A title such as =HYPERLINK(...) must not run in the spreadsheet that opens the log."""
    article = ArticleFactory(title='=HYPERLINK("http://evil.example/","点击")')
    record(Entry.Action.LOGIN_FAILED, obj=article, details={"username": "@SUM(1+1)"})

    response = client.get(reverse("admin:audit_entry_export") + "?action=login_failed")

    (row,) = rows(response)
    assert row["object_repr"] == '\'=HYPERLINK("http://evil.example/","点击")'
    assert not any(cell.startswith(FORMULA_STARTS) for cell in row.values())


def test_export_with_a_bad_date_filter_is_refused_with_a_message(client, boss):
    response = client.get(reverse("admin:audit_entry_export") + "?at__gte=not-a-date")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "筛选条件" in response.content.decode()
