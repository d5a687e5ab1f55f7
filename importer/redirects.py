"""The redirect table: old URLs answering 301, looked up only for paths nothing else serves."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Article
from importer.models import Redirect


def normalise(address: str) -> str:
    """An old address as the table keeps it: its path and its query parameters in order,
    whatever the host or the order they were written in."""
    parts = urlsplit(address.strip())
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return (parts.path or "/") + (f"?{query}" if query else "")


def destination(full_path: str) -> str | None:
    """Where an old address leads, or None when the table does not know it."""
    # The table alone: a missing page reads nothing else (the story only once found).
    found = Redirect.objects.filter(old_path=normalise(full_path)).first()
    return found.destination() if found is not None else None


@dataclass(frozen=True)
class Loaded:
    created: int
    updated: int


def load_csv(data: bytes) -> Loaded:
    """Load rows of ``旧网址,目标`` (the target a story's id, a path or a full URL). Any bad
    row refuses the whole file, naming the line, so nothing is half loaded."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="strict")
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        if number == 1 and not row[0].strip().startswith("/") and "://" not in row[0]:
            continue  # a header line
        rows.append((number, *parse_row(number, row)))
    created = updated = 0
    with transaction.atomic():
        for _number, old_path, article, target in rows:
            _row, made = Redirect.objects.update_or_create(
                old_path=old_path, defaults={"article": article, "target": target}
            )
            created, updated = created + made, updated + (not made)
    return Loaded(created, updated)


def parse_row(number: int, row: list[str]) -> tuple[str, Article | None, str]:
    if len(row) < 2 or not row[0].strip() or not row[1].strip():
        raise ValidationError(_("第 %(line)s 行：需要两列，旧网址和目标。") % {"line": number})
    old, target = row[0].strip(), row[1].strip()
    if not old.startswith("/") and "://" not in old:
        raise ValidationError(
            _("第 %(line)s 行：旧网址“%(old)s”必须以 / 开头或是完整网址。")
            % {"line": number, "old": old}
        )
    if target.isdigit():
        article = Article.objects.filter(pk=int(target)).first()
        if article is None:
            raise ValidationError(
                _("第 %(line)s 行：没有编号为 %(id)s 的稿件。") % {"line": number, "id": target}
            )
        return normalise(old), article, ""
    if not target.startswith("/") and not target.startswith(("http://", "https://")):
        raise ValidationError(
            _("第 %(line)s 行：目标“%(target)s”必须是稿件编号、以 / 开头的路径或完整网址。")
            % {"line": number, "target": target}
        )
    return normalise(old), None, target[:500]
