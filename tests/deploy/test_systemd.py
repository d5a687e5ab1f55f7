"""The shipped systemd units: valid for systemd, hardened, and running real commands."""

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from tests.scaleout.servers import ROOT, require

UNITS = ROOT / "deploy" / "systemd"
SERVICES = sorted(UNITS.glob("*.service"))
HARDENING = {
    "NoNewPrivileges": "true",
    "PrivateTmp": "true",
    "ProtectSystem": "strict",
    "ProtectHome": "true",
}


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_systemd_analyze_verify_finds_nothing_wrong_in_the_units(tmp_path):
    require(shutil.which("systemd-analyze") is not None, "systemd-analyze is missing")
    # As installed, with this checkout as the current release so every command exists.
    srv = tmp_path / "srv"
    srv.mkdir()
    (srv / "current").symlink_to(ROOT)
    (tmp_path / "units").mkdir()
    for path in UNITS.iterdir():
        text = path.read_text(encoding="utf-8").replace("/srv/newsroom", str(srv))
        (tmp_path / "units" / path.name).write_text(text, encoding="utf-8")

    check = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted((tmp_path / "units").iterdir())],
        capture_output=True,
        text=True,
    )

    assert check.returncode == 0, check.stderr
    assert check.stderr == ""  # unknown keys and bad values are only warned about


@pytest.mark.parametrize("path", SERVICES, ids=lambda path: path.name)
def test_every_service_is_hardened_and_writes_only_its_own_folders(path):
    service = unit(path)["Service"]

    assert {key: service.get(key) for key in HARDENING} == HARDENING
    assert service["User"] == "newsroom"
    assert service["ReadWritePaths"].startswith(("-/srv/newsroom/", "/srv/newsroom/"))


def test_every_timer_starts_a_service_that_exists():
    timers = sorted(UNITS.glob("*.timer"))

    assert {t.stem for t in timers} >= {"newsroom-backup", "newsroom-clear-sessions"}
    assert {t.stem for t in timers} >= {"newsroom-prune-audit", "newsroom-clean-orphans"}
    for timer in timers:
        assert timer.with_suffix(".service").exists()


def manage_py_args(exec_start: str) -> list[str]:
    """The arguments after manage.py, with the shell's date filled in."""
    words = shlex.split(exec_start)
    if words[:2] == ["/bin/sh", "-c"]:
        words = shlex.split(re.sub(r'"\$\$\(date [^)]*\)"', "2026-01-01", words[2]))
    return words[words.index("manage.py") + 1 :]


@pytest.mark.parametrize("path", SERVICES, ids=lambda path: path.name)
def test_every_service_runs_a_manage_py_command_with_arguments_it_accepts(path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as deployed
    exec_start = unit(path)["Service"]["ExecStart"]
    if "gunicorn" in exec_start:
        return
    name, *arguments = manage_py_args(exec_start.replace("%H-%i", "host-1"))

    command = load_command_class(get_commands()[name], name)
    command.create_parser("manage.py", name).parse_args(arguments)  # exits on a bad option
