"""Error mail with the mail server failing: pages never wait for it, the worker outlives it.

The app servers run a deploy whose static files lack the site's style sheet (a stale
collectstatic), so every page fails with a real 500 while the error page keeps its own
file. SMTP is a port nothing listens on (refusing) or one that accepts and never answers
(hanging). Failing pages must answer at once, the 503 page and /readyz as before, and the
worker must survive a failed mail with the report kept for the next try.
"""

import json
import shutil
import socket
import threading
import time
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ops.models import ErrorReport
from tests.scaleout.servers import Browser, Worker, free_port, wait_until

pytestmark = pytest.mark.faults

# The mail server's timeout: a page waiting for it would take this long.
SMTP_TIMEOUT = "30"
# A failing page answers well within this, whatever the mail server does.
PROMPT_SECONDS = 3
MAIL_TASK = "ops.errormail.mail_error_reports"


@pytest.fixture(scope="module")
def hanging_smtp():
    """An SMTP port that accepts connections and never says a word."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield SimpleNamespace(port=server.getsockname()[1], held=held)
    server.close()
    for connection in held:
        connection.close()


@pytest.fixture(scope="module")
def broken_static(static_root, tmp_path_factory):
    """Collected static files holding only the error pages' style sheet."""
    root = tmp_path_factory.mktemp("broken-static")
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    kept = manifest["paths"]["css/errors.css"]
    (root / kept).parent.mkdir(parents=True)
    shutil.copy(static_root / kept, root / kept)
    only = {**manifest, "paths": {"css/errors.css": kept}}
    (root / "staticfiles.json").write_text(json.dumps(only))
    return root


def mail_env(server_env: dict, broken_static, smtp_port: int, **more: str) -> dict:
    return {
        **server_env,
        "DJANGO_STATIC_ROOT": str(broken_static),
        "DJANGO_ADMINS": "ops@xiangxi.example.cn",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "off",
        "EMAIL_TIMEOUT": SMTP_TIMEOUT,
        "NEWSROOM_ERROR_REPORT_SECONDS": "0.2",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        **more,
    }


@pytest.fixture(scope="module")
def refused_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def refusing_env(server_env, broken_static, refused_port):
    return mail_env(server_env, broken_static, refused_port)


@pytest.fixture(scope="module")
def refusing_site(refusing_env, start_server):
    """Mail goes to a port nothing listens on; reports are mailed by the worker."""
    return start_server(refusing_env, "smtp-refusing")


@pytest.fixture(scope="module")
def hanging_site(server_env, broken_static, hanging_smtp, start_server):
    """Mail goes to a server that never answers; without a worker the mail is sent by the
    app process itself (the default task backend), from its report thread."""
    env = mail_env(
        server_env,
        broken_static,
        hanging_smtp.port,
        TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
    )
    return start_server(env, "smtp-hanging")


@pytest.fixture(scope="module")
def database_down_site(refusing_env, start_server):
    """The same refusing mail server, and a database that refuses connections too."""
    env = {**refusing_env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/gone"}
    return start_server(env, "database-down")


def timed_get(url: str):
    started = time.monotonic()
    answer = Browser().get(url)
    return answer, time.monotonic() - started


def assert_error_page(answer, seconds: float) -> None:
    assert answer.status == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "页面出错了" in answer.text
    assert seconds < PROMPT_SECONDS


@pytest.fixture
def worker(tmp_path, transactional_db):
    """Start one db_worker with the given environment; stop it before the tables are
    emptied, so that nothing it writes on its way out outlives the test."""
    started = []

    def start(env: dict) -> Worker:
        started.append(Worker(env=env, log_path=tmp_path / "worker.log").start())
        return started[-1]

    yield start
    for one in started:
        one.stop()


def mail_task_failed_once() -> DBTaskResult | None:
    """The mail task after its first failed attempt, waiting to be tried again."""
    row = DBTaskResult.objects.filter(task_path=MAIL_TASK).first()
    ready = row is not None and row.status == TaskResultStatus.READY and row.worker_ids
    return row if ready else None


def test_with_smtp_refusing_failing_pages_answer_at_once_and_are_counted(
    refusing_site, transactional_db
):
    for _ in range(5):
        assert_error_page(*timed_get(f"{refusing_site.origin}/"))

    report = wait_until(
        lambda: ErrorReport.objects.filter(count=5).first(), 10, "the five errors written"
    )
    assert report.kind == "builtins.ValueError"
    assert "Missing staticfiles manifest entry" in report.detail
    assert DBTaskResult.objects.filter(task_path=MAIL_TASK).count() == 1


def test_with_smtp_refusing_the_503_page_and_readyz_still_answer(database_down_site, db):
    started = time.monotonic()
    page = Browser().get(f"{database_down_site.origin}/")
    ready = Browser().get(f"{database_down_site.origin}/readyz")

    assert page.status == HTTPStatus.SERVICE_UNAVAILABLE
    assert "网站正在维护，请稍后再来" in page.text
    assert ready.status in (HTTPStatus.OK, HTTPStatus.SERVICE_UNAVAILABLE)
    assert time.monotonic() - started < 2 * 5  # the database pool's wait, twice at most


def test_with_smtp_hanging_failing_pages_answer_well_within_its_timeout(
    hanging_site, hanging_smtp, transactional_db
):
    for _ in range(4):
        assert_error_page(*timed_get(f"{hanging_site.origin}/"))
        time.sleep(0.5)  # the report thread reaches the mail server meanwhile

    wait_until(lambda: hanging_smtp.held, 10, "the mail server to be called")
    assert_error_page(*timed_get(f"{hanging_site.origin}/"))


def test_the_worker_survives_a_refused_mail_and_keeps_the_report(
    refusing_site, refusing_env, worker, transactional_db
):
    assert_error_page(*timed_get(f"{refusing_site.origin}/"))
    running = worker(refusing_env)

    waiting = wait_until(mail_task_failed_once, 20, "the mail to fail once")

    assert "Connection refused" in waiting.traceback
    assert running.process.poll() is None
    assert ErrorReport.objects.get().unsent == 1


def test_the_worker_survives_a_hanging_mail_server_and_keeps_the_report(
    refusing_site, refusing_env, hanging_smtp, worker, transactional_db
):
    assert_error_page(*timed_get(f"{refusing_site.origin}/"))
    running = worker({**refusing_env, "EMAIL_PORT": str(hanging_smtp.port), "EMAIL_TIMEOUT": "1"})

    waiting = wait_until(mail_task_failed_once, 20, "the mail to time out once")

    assert "timed out" in waiting.traceback
    assert running.process.poll() is None
    assert ErrorReport.objects.get().unsent == 1
