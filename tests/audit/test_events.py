"""What the audit log records: sign-ins, sign-outs, failed sign-ins, changes to who may do
what (flags, roles, permissions), and every editorial transition in its own transaction."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from articles.models import Article
from audit.models import Entry, RefusedSignIn
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def newest(action: str) -> Entry:
    return Entry.objects.filter(action=action).order_by("-sequence").first()


def sign_in(client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


# --- Signing in and out -------------------------------------------------------------------


def test_a_sign_in_is_recorded_with_the_person_and_their_address(client):
    user = UserFactory(username="lihua")

    sign_in(client, "lihua", "correct horse battery")

    entry = newest(Entry.Action.LOGIN)
    assert (entry.actor, entry.address, entry.object_repr) == (user, "203.0.113.7", "lihua")


def test_a_failed_sign_in_counts_the_username_tried_and_the_address(client):
    UserFactory(username="lihua")

    sign_in(client, "lihua", "wrong password", address="198.51.100.4")

    row = RefusedSignIn.objects.get()
    assert (row.username, row.address, row.tries) == ("lihua", "198.51.100.4", 1)


def test_behind_the_proxy_the_address_is_the_one_nginx_saw(client, settings):
    settings.NEWSROOM_PROXY_COUNT = 1
    UserFactory(username="lihua")

    client.post(
        LOGIN,
        {"username": "lihua", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.4",  # the first one the client made up
    )

    assert RefusedSignIn.objects.get().address == "198.51.100.4"


def test_signing_out_is_recorded(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("admin:logout"))

    assert newest(Entry.Action.LOGOUT).actor == user


# --- Who may do what ----------------------------------------------------------------------


def test_superuser_staff_and_active_flips_are_recorded_with_before_and_after():
    user = UserFactory(is_superuser=False)

    user.is_superuser = True
    user.is_active = False
    user.save()

    assert newest(Entry.Action.USER_FLAGS).details == {
        "is_superuser": [False, True],
        "is_active": [True, False],
    }


def test_saving_a_user_without_flag_changes_records_nothing():
    user = UserFactory()
    before = Entry.objects.count()

    user.first_name = "华"
    user.save()

    assert Entry.objects.count() == before


def test_role_changes_are_recorded_from_either_side():
    user = UserFactory(username="wangwu")
    editors = Group.objects.get(name="编辑")

    user.groups.add(editors)
    added = newest(Entry.Action.USER_GROUPS)
    editors.user_set.remove(user)
    removed = newest(Entry.Action.USER_GROUPS)

    assert (added.object_repr, added.details) == ("wangwu", {"added": ["编辑"]})
    assert (removed.object_repr, removed.details) == ("wangwu", {"removed": ["编辑"]})


def test_clearing_a_users_roles_names_each_role_removed():
    user = UserFactory()
    user.groups.add(*Group.objects.filter(name__in=["编辑", "主编"]))

    user.groups.clear()

    assert newest(Entry.Action.USER_GROUPS).details == {"removed": ["主编", "编辑"]}


def test_personal_and_role_permission_changes_are_recorded():
    user = UserFactory()
    publish = Permission.objects.get(codename="publish_article")
    writers = Group.objects.get(name="通讯员/记者")

    user.user_permissions.add(publish)
    writers.permissions.add(publish)

    assert newest(Entry.Action.USER_PERMISSIONS).details == {"added": ["articles.publish_article"]}
    granted = newest(Entry.Action.GROUP_PERMISSIONS)
    assert (granted.object_repr, granted.details) == (
        "通讯员/记者",
        {"added": ["articles.publish_article"]},
    )


def test_a_role_change_in_the_admin_names_who_made_it_and_from_where(client):
    boss = UserFactory(username="boss", is_superuser=True)
    user = UserFactory(username="zhaoliu")
    client.force_login(boss)

    client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": "zhaoliu",
            "is_active": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name="主编").pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
        REMOTE_ADDR="192.0.2.10",
    )

    entry = newest(Entry.Action.USER_GROUPS)
    assert (entry.object_repr, entry.details) == ("zhaoliu", {"added": ["主编"]})
    assert (entry.actor, entry.address) == (boss, "192.0.2.10")


# --- Editorial transitions ----------------------------------------------------------------


def test_every_transition_is_recorded_with_actor_and_states(staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)

    article.submit(by=staff.writer)
    article.approve(by=staff.editor, note="同意")

    submitted, approved = Entry.objects.filter(action=Entry.Action.TRANSITION).order_by("sequence")
    assert (submitted.actor, submitted.details["from"], submitted.details["to"]) == (
        staff.writer,
        "draft",
        "in_review",
    )
    assert (approved.actor, approved.details["level"], approved.details["note"]) == (
        staff.editor,
        1,
        "同意",
    )
    assert approved.object_id == str(article.pk)


def test_a_refused_transition_records_nothing(staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)

    with pytest.raises(Exception, match="只有作者本人"):
        article.submit(by=UserFactory())

    assert not Entry.objects.filter(action=Entry.Action.TRANSITION).exists()


def test_a_transition_that_fails_after_recording_leaves_no_audit_entry(staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    article.submit(by=staff.writer)
    for reviewer in (staff.editor, staff.managing, staff.chief):
        article.approve(by=reviewer)
    recorded = Entry.objects.filter(action=Entry.Action.TRANSITION).count()

    with (
        mock.patch("desk.revisions.store", side_effect=RuntimeError("版本保存故障")),
        pytest.raises(RuntimeError),
    ):
        article.publish(by=staff.chief)

    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert Entry.objects.filter(action=Entry.Action.TRANSITION).count() == recorded
