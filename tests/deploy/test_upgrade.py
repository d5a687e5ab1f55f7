"""deploy/upgrade.sh on a throwaway repository: migrate first, then switch, then reload.

The project upgraded here is a stand-in with the same shape as Newsroom (a Makefile with
install-prod, manage.py, migrations, constraints.txt): its manage.py records each command
in a log and keeps the schema version in a SQLite database, and systemctl is a script
that records, at the moment of the reload, which release `current` names and which schema
the database has.
"""

import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

from tests.scaleout.servers import ROOT, require

UPGRADE = ROOT / "deploy" / "upgrade.sh"

MANAGE = """\
import os, pathlib, sqlite3, sys
here = pathlib.Path.cwd()
home = pathlib.Path(os.environ["NEWSROOM_HOME"])
with open(os.environ["LOG"], "a") as log:
    maintenance = (home / "maintenance").exists()
    serving = (home / "current").resolve().name if (home / "current").exists() else ""
    log.write(f"manage {sys.argv[1]} {here.name} current={serving} maintenance={maintenance}\\n")
if sys.argv[1] == "migrate":
    version = len(list(here.glob("app/migrations/0*.py")))
    with sqlite3.connect(os.environ["DB"]) as db:
        db.execute("CREATE TABLE IF NOT EXISTS schema (version INTEGER)")
        db.execute("DELETE FROM schema")
        db.execute("INSERT INTO schema VALUES (?)", (version,))
    db.close()
"""

MAKEFILE = """\
install-prod:
\tmkdir -p .venv/bin
\tln -s $(PYTHON) .venv/bin/python
"""

SYSTEMCTL = """\
#!/bin/sh
current=$(basename "$(readlink -f "$NEWSROOM_HOME/current")")
schema=$(python3 -c 'import os, sqlite3
with sqlite3.connect(os.environ["DB"]) as db:
    print(db.execute("SELECT version FROM schema").fetchone()[0])
db.close()')
echo "systemctl $* current=$current schema=$schema" >> "$LOG"
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", repo, *args], check=True, capture_output=True, text=True
    ).stdout.strip()


class Station:
    """An origin repository, a server home cloned from it, and the upgrade's records."""

    def __init__(self, root: Path) -> None:
        self.origin, self.home, self.log = root / "origin", root / "srv", root / "log"
        self.origin.mkdir()
        git(self.origin, "init", "-q", "-b", "main")
        git(self.origin, "config", "user.email", "desk@example.cn")
        git(self.origin, "config", "user.name", "Desk")
        self.commit("0001_initial.py", "", constraints="Django==6.1.3\n")
        self.home.mkdir()
        git(self.home, "clone", "-q", str(self.origin), "src")
        (root / "systemctl").write_text(SYSTEMCTL)
        (root / "systemctl").chmod(0o755)
        self.env = {
            **os.environ,
            "NEWSROOM_HOME": str(self.home),
            "NEWSROOM_USER": subprocess.check_output(["id", "-un"], text=True).strip(),
            "NEWSROOM_ENV_FILES": str(root / "none.env"),
            "NEWSROOM_SYSTEMCTL": str(root / "systemctl"),
            "PYTHON": sys.executable,
            "LOG": str(self.log),
            "DB": str(root / "db.sqlite3"),
        }

    def commit(self, migration: str, text: str, constraints: str | None = None) -> None:
        files = {"manage.py": MANAGE, "Makefile": MAKEFILE, f"app/migrations/{migration}": text}
        if constraints is not None:
            files["constraints.txt"] = constraints
        for name, content in files.items():
            (self.origin / name).parent.mkdir(parents=True, exist_ok=True)
            (self.origin / name).write_text(content)
        git(self.origin, "add", "-A")
        git(self.origin, "commit", "-q", "-m", migration)

    def upgrade(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", UPGRADE, *args], env=self.env, capture_output=True, text=True, timeout=120
        )

    def serving(self) -> str:
        return Path(os.readlink(self.home / "current")).name

    def lines(self, start: str) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if line.startswith(start)]

    def schema(self) -> int:
        with closing(sqlite3.connect(self.env["DB"])) as db:
            return db.execute("SELECT version FROM schema").fetchone()[0]


@pytest.fixture
def station(tmp_path) -> Station:
    station = Station(tmp_path)
    first = station.upgrade()
    assert first.returncode == 0, first.stderr
    station.log.write_text("")
    return station


def test_an_upgrade_migrates_before_the_new_code_is_served(station):
    station.commit("0002_add_summary.py", "# adds a nullable column\n")
    before = station.serving()

    done = station.upgrade()

    assert done.returncode == 0, done.stderr
    new = station.serving()
    assert new != before
    # The new release migrated while the old one was still the one served.
    assert [line.split()[:4] for line in station.lines("manage")] == [
        ["manage", "migrate", new, f"current={before}"],
        ["manage", "collectstatic", new, f"current={before}"],
        ["manage", "check", new, f"current={before}"],
    ]
    # The reload came after the switch, with the schema already the new code's.
    assert station.lines("systemctl") == [
        f"systemctl reload-or-restart newsroom-web current={new} schema=2",
        f"systemctl restart newsroom-worker@* current={new} schema=2",
    ]
    assert Path(os.readlink(station.home / "previous")).name == before


def test_new_dependencies_restart_the_web_server_instead_of_reloading(station):
    station.commit("0002_x.py", "", constraints="Django==6.1.4\n")

    assert station.upgrade().returncode == 0

    assert station.lines("systemctl")[0].startswith("systemctl restart newsroom-web ")


def test_a_breaking_migration_is_refused_without_maintenance_mode(station):
    station.commit("0002_drop_title.py", "# breaking: drops a column the old code reads\n")
    before = station.serving()

    done = station.upgrade()

    assert done.returncode == 2
    assert "0002_drop_title.py" in done.stderr
    assert station.serving() == before
    assert station.lines("manage") == []
    assert station.schema() == 1
    assert [p.name for p in (station.home / "releases").iterdir()] == [before]


def test_with_maintenance_mode_a_breaking_migration_applies_behind_the_503_page(station):
    station.commit("0002_drop_title.py", "# breaking: drops a column the old code reads\n")

    done = station.upgrade("--maintenance")

    assert done.returncode == 0, done.stderr
    assert all(line.endswith("maintenance=True") for line in station.lines("manage"))
    assert not (station.home / "maintenance").exists()
    assert station.schema() == 2


def test_rollback_serves_the_previous_release_again(station):
    before = station.serving()
    station.commit("0002_add_summary.py", "")
    station.upgrade()
    station.log.write_text("")

    done = station.upgrade("--rollback")

    assert done.returncode == 0, done.stderr
    assert station.serving() == before
    assert station.lines("systemctl")[0] == (
        f"systemctl reload-or-restart newsroom-web current={before} schema=2"
    )
    assert "the schema stays" in done.stderr


@pytest.fixture
def foreign_station():
    """A station whose files all belong to another user (nobody), as /srv/newsroom belongs
    to newsroom; the upgrade is run by root. (Not under pytest's own folder: only root may
    enter it.)"""
    require(os.geteuid() == 0, "the upgrade must be run as root for this test")
    require(Path("/usr/bin/python3").exists(), "a system Python is needed")
    root = Path(tempfile.mkdtemp(prefix="newsroom-upgrade-"))
    root.chmod(0o755)
    station = Station(root)
    # The stand-in project runs under the service user: a Python that user can read.
    station.env |= {"NEWSROOM_USER": "nobody", "PYTHON": "/usr/bin/python3"}
    subprocess.run(["chown", "-R", "nobody:nogroup", root], check=True)
    yield station
    shutil.rmtree(root)


def test_root_upgrades_a_checkout_the_service_user_owns(foreign_station):
    done = foreign_station.upgrade()

    assert done.returncode == 0, done.stderr
    assert "dubious ownership" not in done.stderr
    release = (foreign_station.home / "current").resolve()
    assert release.stat().st_uid == pwd.getpwnam("nobody").pw_uid
    assert (release / ".venv" / "bin" / "python").exists()
