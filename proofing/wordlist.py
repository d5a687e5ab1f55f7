"""Changing the word list: the version stamp, and the list as CSV in and out.

Every change to the list goes through ``changed()`` in the same transaction (the admin's
saves and deletions, the CSV import, the starter list's migration), so every process's
matcher is rebuilt on its next check.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.text import INVISIBLE
from exports.csv import as_typed, safe_writer
from proofing.models import ListVersion, Word

# Columns of the CSV file, in order: the import reads the first four and ignores the rest.
HEADER = ["词语", "类别", "正确写法", "说明", "添加人", "添加时间"]


def changed() -> None:
    """Give the list a new version stamp: every process rebuilds its matcher on next use."""
    stamp = uuid.uuid4().hex
    if not ListVersion.objects.filter(pk=1).update(stamp=stamp, changed_at=timezone.now()):
        ListVersion.objects.create(pk=1, stamp=stamp)


def categories() -> dict[str, str]:
    """Category names as typed in a file (禁用, 慎用, 错别字, or banned/caution/typo) → key."""
    names = {key: key for key in Word.Category.values}
    # A file exported in one language of the admin is read back in any other.
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names |= {str(label): key for key, label in Word.Category.choices}
    return names


def problem_with(text: str, category: str, correction: str) -> str | None:
    """Why this entry cannot be on the list, or None: the same rules for forms and files."""
    if not text:
        return _("词语为空")
    if INVISIBLE.search(text + correction):
        return _("含有不可见的控制字符")
    if len(text) > 100 or len(correction) > 100:
        return _("词语和正确写法不能超过 100 个字")
    if category == Word.Category.TYPO and not correction:
        return _("错别字必须填写正确写法")
    if correction and text == correction:
        return _("正确写法与词语相同")
    if category == Word.Category.TYPO and text in correction:
        # The wrong form would be found inside every correct use.
        return _("错误写法包含在正确写法之中，会把正确的用法也标出来")
    return None


@dataclass
class Row:
    text: str
    category: str
    correction: str
    note: str


class RefusedFile(ValidationError):
    """The file was refused: ``messages`` names each bad line."""


def read_csv(content: bytes) -> list[Row]:
    """Every row of an uploaded file, or RefusedFile listing each bad line (nothing is kept)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RefusedFile([_("文件不是 UTF-8 编码的 CSV，请另存为 UTF-8 后再导入。")]) from error
    reader = csv.reader(io.StringIO(text))
    names, rows, problems, seen = categories(), [], [], {}
    for number, cells in enumerate(reader, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if number == 1 and cells and cells[0].strip() in (HEADER[0], str(_("词语"))):
            continue
        cells = [as_typed(cell.strip()) for cell in cells]
        word, category, correction, note = [*cells, "", "", ""][:4]
        key = names.get(category)
        if key is None:
            problem = _("类别“%(category)s”不对，应为禁用、慎用或错别字") % {"category": category}
        elif word in seen:
            problem = _("“%(word)s”与第 %(line)d 行重复") % {"word": word, "line": seen[word]}
        elif len(note) > 200:
            problem = _("说明不能超过 200 个字")
        else:
            problem = problem_with(word, key, correction)
        if problem:
            problems.append(
                _("第 %(line)d 行：%(problem)s") % {"line": number, "problem": problem}
            )
            continue
        seen[word] = number
        rows.append(Row(word, key, correction, note))
    if problems:
        raise RefusedFile(problems)
    if not rows:
        raise RefusedFile([_("文件中没有词语。")])
    return rows


@transaction.atomic
def import_rows(rows: list[Row], *, by) -> tuple[int, int]:
    """Add the new words and update the listed ones; return (added, updated)."""
    existing = {word.text: word for word in Word.objects.filter(text__in=[r.text for r in rows])}
    added = updated = 0
    for row in rows:
        word = existing.get(row.text)
        if word is None:
            Word.objects.create(
                text=row.text,
                category=row.category,
                correction=row.correction,
                note=row.note,
                added_by=by,
            )
            added += 1
        elif (word.category, word.correction, word.note) != (
            row.category,
            row.correction,
            row.note,
        ):
            word.category, word.correction, word.note = row.category, row.correction, row.note
            word.save(update_fields=["category", "correction", "note"])
            updated += 1
    changed()
    return added, updated


def write_csv(out, words) -> None:
    """Write the list to ``out`` as the import reads it (with who added each word, and when)."""
    writer = safe_writer(out)
    writer.writerow(HEADER)
    labels = dict(Word.Category.choices)
    for word in words:
        who = word.added_by.get_username() if word.added_by else ""
        when = timezone.localtime(word.added_at).strftime("%Y-%m-%d %H:%M")
        writer.writerow(
            [word.text, str(labels[word.category]), word.correction, word.note, who, when]
        )
