"""Import benchmark: pages per second, photos included, for the sample old site.

Usage: python bench/import.py [--copies N]

Builds an old site from the sample pages of tests/data/oldsite, each article page copied
N times under new ids with photos of its own (1600×1067 camera JPEGs with GPS), into a
fresh SQLite database and media folder, then imports it twice from its folder: once into
the empty station, once more (nothing changed: the idempotent re-run). Prints both rates
and the first run's report; also written to bench/results/import.txt.
"""

import argparse
import os
import re
import sys
import tempfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
URL_ID = re.compile(r"/content/(\d{4})/(\d{2})/(\d{2})/(\d+)\.html")


def setup(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DJANGO_ORIGINALS_ROOT"] = str(workdir / "originals")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def renumber(match: re.Match, *, copy: int) -> str:
    year, month, day, pk = match.groups()
    return f"/content/{year}/{month}/{day}/{copy}{pk:0>5}.html"


def build(site: Path, copies: int) -> tuple[int, int]:
    """The sample site, each article copied under new ids; returns (pages, photos)."""
    from tests.importer.oldsite import PHOTOS, build_site
    from tests.photo_files import camera_jpeg

    build_site(site)
    originals = [p for p in site.rglob("*.html") if URL_ID.search(p.as_posix())]
    for copy in range(1, copies):
        for page in originals:
            encoding = "gb18030" if page.stem == "1330" else "utf-8"
            text = URL_ID.sub(partial(renumber, copy=copy), page.read_bytes().decode(encoding))
            text = text.replace("/uploads/", f"/uploads/c{copy}/")
            page.with_name(f"{copy}{page.stem:0>5}.html").write_bytes(text.encode(encoding))
        for number, name in enumerate(PHOTOS):
            path = site / name.replace("uploads/", f"uploads/c{copy}/")
            path.parent.mkdir(parents=True, exist_ok=True)
            colour = f"#{(copy * 37 + number * 11) % 256:02x}{number * 19 % 256:02x}80"
            path.write_bytes(camera_jpeg(size=(1600, 1067), colour=colour))
    return len(list(site.rglob("*.html"))), len(list(site.rglob("*.jpg")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        setup(workdir)
        from importer import profile
        from importer.run import run
        from importer.sources import FolderSource

        pages, photos = build(workdir / "oldsite", options.copies)
        lines = [f"site: {pages} pages, {photos} photo files"]
        report = workdir / "report.csv"
        for label in ("first run", "re-run"):
            summary = run(FolderSource(workdir / "oldsite"), profile.load(), report=report)
            lines.append(
                f"{label}: {summary.pages} pages in {summary.seconds:.1f} s = "
                f"{summary.rate():.2f} pages/s ({summary.created} created, "
                f"{summary.updated} updated, {summary.unchanged} unchanged, "
                f"{len(summary.skipped)} skipped, {summary.photos} photos)"
            )
            if label == "first run":
                first_report = report.read_text(encoding="utf-8-sig").replace(str(workdir), "")
    text = "\n".join([*lines, "report of the first run:", first_report])
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "import.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
