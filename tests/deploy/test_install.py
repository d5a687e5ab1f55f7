"""make install-prod: the app's dependencies, pinned, without the test and lint tools."""

import re
import subprocess

from tests.scaleout.servers import ROOT


def test_install_prod_installs_no_dev_tools_and_keeps_the_pins():
    planned = subprocess.run(
        ["make", "-n", "-B", "install-prod", "PYTHON=/opt/python3.13/bin/python3.13"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    installs = [line for line in planned.splitlines() if re.search(r"pip install .*-e ", line)]
    assert installs == [".venv/bin/pip install --quiet -c constraints.txt -e ."]
    assert "/opt/python3.13/bin/python3.13 -m venv .venv" in planned
