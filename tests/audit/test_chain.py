"""The audit chain: append-only entries, each sealed by the one before; any edit, deletion
or reordering is found by verify_audit; old entries are pruned only after six months."""

import io
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from audit.chain import record, verify
from audit.models import AppendOnlyError, ChainHead, Entry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def logins(count: int) -> list[Entry]:
    user = UserFactory()
    return [record(Entry.Action.LOGIN, actor=user, obj=user) for _ in range(count)]


def verify_output() -> str:
    """What ``manage.py verify_audit`` says, or the error it exits with (status 1)."""
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as error:
        return f"ERROR {error}"
    return out.getvalue()


def raw(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- Sealing and checking -------------------------------------------------------------


def test_each_entry_is_sealed_with_the_digest_of_the_one_before():
    first, second = logins(2)

    assert second.sequence == first.sequence + 1
    assert len(second.digest) == 64
    assert verify().broken is None
    assert "审计日志完好" in verify_output()


def test_an_entry_names_its_object_by_type_pk_and_text():
    user = UserFactory(username="zhangsan")

    entry = record(Entry.Action.LOGIN, actor=user, obj=user, details={"why": "测试"})

    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "auth.user",
        str(user.pk),
        "zhangsan",
    )
    assert entry.actor_name == "zhangsan"


def test_an_edited_entry_is_named_by_verify_audit():
    entries = logins(4)
    raw("UPDATE audit_entry SET actor_name = %s WHERE id = %s", "mallory", entries[1].pk)

    said = verify_output()

    assert said.startswith("ERROR")
    assert f"第 {entries[1].sequence} 条处断开" in said
    assert "摘要不符" in said


def test_a_deleted_entry_in_the_middle_is_found():
    entries = logins(4)
    raw("DELETE FROM audit_entry WHERE id = %s", entries[1].pk)

    assert f"第 {entries[2].sequence} 条处断开" in verify_output()


def test_deleting_the_newest_entries_is_found():
    entries = logins(3)
    raw("DELETE FROM audit_entry WHERE id = %s", entries[2].pk)

    assert "最新的记录被删除" in verify_output()


def test_swapping_two_entries_is_found():
    first, second = logins(2)
    # Give each the other's number and digest: the order changes, every row is "valid".
    raw("UPDATE audit_entry SET sequence = sequence + 1000000 WHERE id IN (%s, %s)",
        first.pk, second.pk)  # fmt: skip
    raw("UPDATE audit_entry SET sequence = %s, digest = %s WHERE id = %s",
        first.sequence, "x" * 64, second.pk)  # fmt: skip
    raw("UPDATE audit_entry SET sequence = %s, digest = %s WHERE id = %s",
        second.sequence, first.digest, first.pk)  # fmt: skip
    raw("UPDATE audit_entry SET digest = %s WHERE id = %s", second.digest, second.pk)

    assert f"第 {first.sequence} 条处断开" in verify_output()


# --- Append-only -------------------------------------------------------------------------


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    (entry,) = logins(1)
    written = entry.actor_name
    entry.actor_name = "mallory"

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).update(actor_name="mallory")
    with pytest.raises(AppendOnlyError):
        Entry.objects.all().delete()
    assert Entry.objects.get(pk=entry.pk).actor_name == written


# --- Retention ---------------------------------------------------------------------------


def test_pruning_keeps_six_months_and_leaves_a_verifiable_chain():
    with time_machine.travel(timezone.now() - timedelta(days=400), tick=False):
        old = logins(3)
    recent = logins(2)
    cutoff = timezone.localdate() - timedelta(days=200)

    call_command("prune_audit", "--before", cutoff.isoformat(), stdout=io.StringIO())
    after = logins(1)

    assert not Entry.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert Entry.objects.filter(pk__in=[e.pk for e in [*recent, *after]]).count() == 3
    assert ChainHead.objects.get().anchor_digest == old[-1].digest
    assert verify().broken is None


def test_pruning_refuses_dates_within_the_last_six_months():
    with time_machine.travel(timezone.now() - timedelta(days=400), tick=False):
        logins(2)
    too_recent = timezone.localdate() - timedelta(days=100)

    with pytest.raises(CommandError, match="至少保留 183 天"):
        call_command("prune_audit", "--before", too_recent.isoformat())

    assert Entry.objects.count() >= 2


def test_pruning_refuses_a_broken_chain():
    with time_machine.travel(timezone.now() - timedelta(days=400), tick=False):
        entries = logins(2)
    raw("UPDATE audit_entry SET actor_name = %s WHERE id = %s", "mallory", entries[0].pk)

    with pytest.raises(CommandError, match="不能清理"):
        call_command(
            "prune_audit", "--before", (timezone.localdate() - timedelta(days=200)).isoformat()
        )

    assert Entry.objects.filter(pk=entries[0].pk).exists()


def test_pruning_refuses_a_malformed_date():
    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("prune_audit", "--before", "去年")


# --- Concurrency -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL question (SQLite has one writer)")
    user = UserFactory()
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def write() -> None:
        try:
            start.wait()
            for _ in range(15):
                record(Entry.Action.LOGIN, actor=user, obj=user)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sequences = list(Entry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    assert Entry.objects.filter(action=Entry.Action.LOGIN).count() == 60
    assert verify().broken is None
