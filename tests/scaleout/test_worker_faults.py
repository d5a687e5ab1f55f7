"""Real faults under the task worker: killed mid-task, and its PostgreSQL restarted.

The tests own a PostgreSQL cluster (initdb on a free port) and run ``manage.py worker``
on it, as production does. A worker killed with SIGKILL in the middle of a task leaves
the row running; another worker queues it again when its lease ends and finishes it. A
worker whose database goes away waits for it, and the same process runs the next task;
the task it had in hand, finished with nowhere to say so, is run again after its lease.
"""

import os
import time
from pathlib import Path

import pytest

from tests.scaleout.servers import (
    Cluster,
    Worker,
    manage,
    own_cluster,
    wait_until,
)

pytestmark = pytest.mark.faults

LEASE_SECONDS = 4
POOL_TIMEOUT_SECONDS = 3
ENQUEUE = "from tests.scaleout.slow_tasks import nap; print(nap.enqueue({}, {!r}).id)"


@pytest.fixture(scope="module")
def cluster():
    """A migrated PostgreSQL cluster of this module's own."""
    with own_cluster("newsroom-worker-faults-") as cluster:
        manage("migrate", "--verbosity", "0", env={**os.environ, "DATABASE_URL": cluster.url()})
        yield cluster


@pytest.fixture
def worker_env(cluster, tmp_path):
    return {
        **os.environ,
        "DATABASE_URL": cluster.url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_DEBUG": "off",
        "DJANGO_TASKS_LOG_LEVEL": "INFO",
        "TASKS_LEASE_SECONDS": str(LEASE_SECONDS),
        "TASKS_LEASE_CHECK_SECONDS": "0.5",
        "DATABASE_POOL_TIMEOUT": str(POOL_TIMEOUT_SECONDS),
    }


@pytest.fixture
def start_worker(worker_env, tmp_path):
    """Start task workers on the cluster; stop the ones still running afterwards."""
    workers = []

    def start(*arguments: str, **env: str) -> Worker:
        log_path = tmp_path / f"worker-{len(workers)}.log"
        workers.append(Worker(env=worker_env | env, log_path=log_path, arguments=arguments))
        return workers[-1].start()

    yield start
    for worker in workers:
        worker.stop()


def enqueue(env: dict[str, str], seconds: float, journal: Path) -> str:
    output = manage("shell", "-c", ENQUEUE.format(seconds, str(journal)), env=env)
    return output.split()[-1]  # after the shell's own notes


def row(cluster: Cluster, task_id: str) -> tuple[str, str]:
    """(status, worker ids) of a task's row."""
    found = cluster.sql(
        "SELECT status || '|' || worker_ids::text FROM django_tasks_database_dbtaskresult "
        f"WHERE id = '{task_id}'"
    )
    status, _, workers = found.partition("|")
    return status, workers


def status(cluster: Cluster, task_id: str) -> str:
    return row(cluster, task_id)[0]


def test_a_task_whose_worker_was_killed_is_finished_by_another_after_its_lease(
    cluster, worker_env, start_worker, tmp_path
):
    journal = tmp_path / "journal"
    doomed = start_worker()
    task_id = enqueue(worker_env, 2, journal)
    wait_until(lambda: journal.exists(), 20, "the first worker to start the task")

    doomed.kill()
    killed_at = time.monotonic()
    assert status(cluster, task_id) == "RUNNING"  # left so by the dead worker
    rescuer = start_worker()
    wait_until(lambda: status(cluster, task_id) == "SUCCESSFUL", LEASE_SECONDS + 30, "rescue")
    recovered = time.monotonic() - killed_at

    print(f"\ntask killed mid-run finished by another worker {recovered:.1f} s after the kill")
    runs = journal.read_text().split()
    assert runs == [
        "start", str(doomed.process.pid),
        "start", str(rescuer.process.pid), "done", str(rescuer.process.pid),
    ]  # fmt: skip
    assert row(cluster, task_id)[1].count(",") == 1  # two attempts
    assert recovered >= LEASE_SECONDS - 2  # not before the lease ended
    assert recovered < LEASE_SECONDS + 20


def test_a_worker_restarted_under_the_same_id_takes_its_task_back_at_once(
    cluster, worker_env, start_worker, tmp_path
):
    journal, long_lease = tmp_path / "journal", {"TASKS_LEASE_SECONDS": "600"}
    doomed = start_worker("--worker-id", "host-1", **long_lease)
    task_id = enqueue(worker_env, 2, journal)
    wait_until(lambda: journal.exists(), 20, "the worker to start the task")

    doomed.kill()
    killed_at = time.monotonic()
    successor = start_worker("--worker-id", "host-1", **long_lease)  # as systemd restarts it
    wait_until(lambda: status(cluster, task_id) == "SUCCESSFUL", 30, "the task")
    recovered = time.monotonic() - killed_at

    print(f"\ntask of a killed worker finished by its restart {recovered:.1f} s after the kill")
    assert f"done {successor.process.pid}" in journal.read_text()
    assert recovered < 20  # not the lease's ten minutes


def test_the_worker_waits_out_a_postgresql_restart_and_runs_the_next_task(
    cluster, worker_env, start_worker, tmp_path
):
    worker = start_worker()
    before = enqueue(worker_env, 0, tmp_path / "before")
    wait_until(lambda: status(cluster, before) == "SUCCESSFUL", 20, "the first task")

    cluster.stop("fast")
    # Longer than a connection is waited for (DATABASE_POOL_TIMEOUT): db_worker would be
    # gone by now, ended by the OperationalError.
    time.sleep(POOL_TIMEOUT_SECONDS + 3)
    assert worker.process.poll() is None, worker.log_path.read_text()
    assert "lost the database" in worker.log_path.read_text()
    restarted_at = time.monotonic()
    cluster.start()
    after = enqueue(worker_env, 0, tmp_path / "after")
    wait_until(lambda: status(cluster, after) == "SUCCESSFUL", 30, "the next task")
    recovered = time.monotonic() - restarted_at

    print(f"\nnext task done {recovered:.1f} s after PostgreSQL started again")
    assert worker.process.poll() is None
    assert (tmp_path / "after").read_text() == f"start {worker.process.pid}\n" + (
        f"done {worker.process.pid}\n"
    )
    assert "has the database back" in worker.log_path.read_text()
    assert recovered < 20


def test_a_task_running_when_postgresql_stops_is_finished_once_it_is_back(
    cluster, worker_env, start_worker, tmp_path
):
    journal = tmp_path / "journal"
    worker = start_worker()
    task_id = enqueue(worker_env, 2, journal)
    wait_until(lambda: journal.exists(), 20, "the worker to start the task")

    cluster.stop("fast")  # the task ends with nowhere to write that it did
    time.sleep(POOL_TIMEOUT_SECONDS + 2)
    restarted_at = time.monotonic()
    cluster.start()
    wait_until(lambda: status(cluster, task_id) == "SUCCESSFUL", LEASE_SECONDS + 30, "the task")
    recovered = time.monotonic() - restarted_at

    print(f"\ntask cut off by the outage done {recovered:.1f} s after PostgreSQL started again")
    assert worker.process.poll() is None
    assert f"done {worker.process.pid}" in journal.read_text()
    assert recovered < LEASE_SECONDS + 20
