"""One import run: every page of a source read, filed or skipped with its reason, then the
id sequence moved past the old ids, the run written to the audit log and the report file."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection
from django.utils.translation import gettext as _
from tqdm import tqdm

from articles.models import Article
from audit.chain import record as audit
from audit.models import Entry
from importer import parse
from importer.profile import Profile
from importer.sources import Page
from importer.store import Skip, file_story


@dataclass
class Summary:
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    photos: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.skipped)

    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        return [
            _("共 %(pages)s 页：新建 %(created)s 篇，更新 %(updated)s 篇，未变 %(unchanged)s 篇，"
              "跳过 %(skipped)s 页；图片 %(photos)s 张；%(warnings)s 条提醒。")
            % {"pages": self.pages, "created": self.created, "updated": self.updated,
               "unchanged": self.unchanged, "skipped": len(self.skipped), "photos": self.photos,
               "warnings": len(self.warnings)},
            _("用时 %(seconds).1f 秒，每秒 %(rate).2f 页。")
            % {"seconds": self.seconds, "rate": self.rate()},
        ]  # fmt: skip


def run(
    source,
    profile: Profile,
    *,
    user=None,
    report: Path | None = None,
    progress: bool = False,
) -> Summary:
    """Import every page of ``source`` (importer.sources) with ``profile``."""
    summary = Summary(source.label())
    started = time.monotonic()
    pages: Iterable[Page] = source.pages()
    for page in tqdm(pages, unit="页", disable=not progress):
        one_page(page, source, profile, user, summary)
    move_sequence_past_imported_ids()
    summary.seconds = time.monotonic() - started
    if report is not None:
        write_report(report, summary)
    audit(
        Entry.Action.PAGES_IMPORTED,
        actor=user,
        details={
            "source": summary.source,
            "profile": profile.source or profile.name,
            "pages": summary.pages,
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "skipped": len(summary.skipped),
            "photos": summary.photos,
            "report": str(report or ""),
        },
    )
    return summary


def one_page(page: Page, source, profile: Profile, user, summary: Summary) -> None:
    if page.data is None:
        summary.skipped.append((page.url, page.error))
        return
    try:
        story = parse.read(parse.decode(page.data, page.charset), url=page.url, profile=profile)
        filed = file_story(story, partial(source.photo, page), profile, user=user)
    except (parse.NotAnArticle, Skip) as reason:
        summary.skipped.append((page.url, str(reason)))
        return
    except ValidationError as error:
        summary.skipped.append((page.url, " ".join(error.messages)))
        return
    setattr(summary, filed.outcome, getattr(summary, filed.outcome) + 1)
    summary.photos += filed.photos
    summary.warnings += [(story.old_url, warning) for warning in filed.warnings]


def move_sequence_past_imported_ids() -> None:
    """New stories get ids above the highest imported one. SQLite's AUTOINCREMENT does
    this itself; PostgreSQL's sequence is moved with Django's own reset statement."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Article])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def write_report(path: Path, summary: Summary) -> None:
    """Every page skipped and why, and every warning about a page that was filed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([_("网址"), _("结果"), _("原因")])
        for url, reason in summary.skipped:
            writer.writerow([url, _("跳过"), reason])
        for url, warning in summary.warnings:
            writer.writerow([url, _("已导入，有提醒"), warning])
