"""Error reports: a failing request only counts its error; the worker mails them grouped,
at most once per kind per interval, and a mail that fails keeps the counts for later."""

import logging
import sys
from datetime import timedelta
from http import HTTPStatus
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError, connections
from django.test import Client
from django.utils import timezone
from django.utils.log import AdminEmailHandler

from ops import errormail, errorreports
from ops.errormail import write_reports
from ops.models import ErrorReport
from ops.sentry import start_sentry

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.failing_urls")]


@pytest.fixture(autouse=True)
def reports(settings):
    """Admins to mail, and an empty buffer before and after each test."""
    settings.ADMINS = ["ops@xiangxi.example.cn"]
    settings.NEWSROOM_ERROR_MAIL_SECONDS = 600
    errorreports.take()
    yield
    errorreports.take()


@pytest.fixture
def site():
    return Client(raise_request_exception=False)


def test_django_sends_no_mail_from_the_failing_request(site):
    answer = site.get("/divide/")

    assert answer.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "页面出错了" in answer.content.decode()
    assert mail.outbox == []
    handlers = logging.getLogger("django").handlers + logging.getLogger("django.request").handlers
    assert not any(isinstance(handler, AdminEmailHandler) for handler in handlers)


def test_a_failing_request_is_counted_without_touching_the_database(site, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    site.get("/divide/")  # the first one formats the report
    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)

    answer = site.get("/divide/")

    assert answer.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    (pending,) = errorreports.take().values()
    assert pending.count == 2
    assert pending.kind == "builtins.ZeroDivisionError"
    assert "failing_urls.py" in pending.location
    assert "divide" in pending.location
    assert "GET /divide/" in pending.detail


def test_the_same_error_in_the_same_place_is_one_report_with_a_count(site):
    for _ in range(3):
        site.get("/divide/")
    site.get("/look-up/")

    write_reports()

    counts = dict(ErrorReport.objects.values_list("kind", "count"))
    assert counts == {"builtins.ZeroDivisionError": 3, "builtins.KeyError": 1}


def test_counts_from_later_writes_add_to_the_same_report(site):
    site.get("/divide/")
    write_reports()
    site.get("/divide/")
    site.get("/divide/")
    write_reports()

    assert ErrorReport.objects.get().count == 3


def test_the_admins_get_one_mail_for_all_new_errors(site):
    site.get("/divide/")
    site.get("/divide/")
    site.get("/look-up/")

    write_reports()

    (message,) = mail.outbox
    assert message.to == ["ops@xiangxi.example.cn"]
    assert "2 类错误，共 3 次" in message.subject
    assert "ZeroDivisionError" in message.body
    assert "KeyError" in message.body
    assert set(ErrorReport.objects.values_list("unsent", flat=True)) == {0}


def test_a_kind_is_mailed_at_most_once_per_interval_with_the_count_since(site):
    site.get("/divide/")
    write_reports()
    for _ in range(5):
        site.get("/divide/")
    write_reports()

    assert len(mail.outbox) == 1
    assert ErrorReport.objects.get().unsent == 5

    with time_machine.travel(timezone.now() + timedelta(seconds=601)):
        site.get("/divide/")
        write_reports()

    assert len(mail.outbox) == 2
    assert "1 类错误，共 6 次" in mail.outbox[1].subject
    assert ErrorReport.objects.get().count == 7


def test_a_mail_that_fails_keeps_the_counts_for_the_next_try(site, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server refused")

    monkeypatch.setattr(errormail, "mail_admins", refuse)
    site.get("/divide/")

    assert write_reports() is True

    report = ErrorReport.objects.get()
    assert report.unsent == 1
    assert report.mailed_at is None

    monkeypatch.undo()
    errormail.mail_error_reports.call()
    assert len(mail.outbox) == 1
    assert ErrorReport.objects.get().unsent == 0


@pytest.mark.django_db(transaction=True)
def test_reports_that_cannot_be_written_are_kept_in_memory(site, monkeypatch):
    site.get("/divide/")

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)
    assert write_reports() is False
    monkeypatch.undo()
    site.get("/divide/")

    assert write_reports() is True
    assert ErrorReport.objects.get().count == 2


def test_without_admins_reports_are_kept_but_not_mailed(site, settings):
    settings.ADMINS = []
    site.get("/divide/")

    write_reports()

    assert mail.outbox == []
    assert ErrorReport.objects.get().unsent == 1


def test_memory_for_pending_reports_is_bounded(monkeypatch):
    monkeypatch.setattr(errorreports, "MAX_GROUPS", 3)
    log = logging.getLogger("tests.errors")
    for line in range(10):
        record = log.makeRecord(log.name, logging.ERROR, f"file{line}.py", line, "x", (), None)
        errorreports.note(record, logging.Formatter())

    pending = errorreports.take()

    assert len(pending) == 4
    assert sum(entry.count for entry in pending.values()) == 10
    assert any(entry.kind == "overflow" for entry in pending.values())


def test_the_handler_never_raises(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr(errorreports, "note", broken)

    errorreports.ErrorReportHandler().handle(
        logging.makeLogRecord({"levelno": logging.ERROR, "msg": "x"})
    )


def test_sentry_starts_when_a_dsn_is_set_and_the_package_is_there(settings, monkeypatch):
    started = {}
    fake = SimpleNamespace(init=lambda **options: started.update(options))
    monkeypatch.setitem(sys.modules, "sentry_sdk", fake)
    settings.SENTRY_DSN = "https://key@sentry.example.cn/4"

    assert start_sentry() is True
    assert started["dsn"] == "https://key@sentry.example.cn/4"
    assert started["send_default_pii"] is False


def test_a_dsn_without_the_package_is_no_crash(settings, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)
    settings.SENTRY_DSN = "https://key@sentry.example.cn/4"

    assert start_sentry() is False


def test_no_dsn_no_sentry(settings):
    settings.SENTRY_DSN = ""

    assert start_sentry() is False
