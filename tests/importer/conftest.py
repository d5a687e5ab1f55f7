from pathlib import Path

import pytest

from importer import profile as profiles
from importer.run import Summary, run
from importer.sources import FolderSource
from tests import factories
from tests.importer.oldsite import build_site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return build_site(tmp_path / "oldsite")


@pytest.fixture
def chief(db):
    return factories.member("总编辑", "chief")


@pytest.fixture
def imported(site: Path, chief, tmp_path: Path) -> Summary:
    """The sample site imported from its folder by the 总编辑, with a report."""
    return run(FolderSource(site), profiles.load(), user=chief, report=tmp_path / "report.csv")
