"""Readable side-by-side differences between two article snapshots.

Chinese has no spaces between words, so text is compared character by character; the body
is first split into paragraphs so that a changed paragraph lines up with its old self.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import nh3
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from articles.revisions import CONTENT_FIELDS, RELATED_FIELDS, describe_field

BLOCK_END = re.compile(r"</(p|h[1-6]|li|figcaption|blockquote|tr)>|<br\s*/?>", re.IGNORECASE)


@dataclass
class FieldDiff:
    label: str
    old: SafeString
    new: SafeString
    changed: bool


def paragraphs(html: str) -> list[str]:
    """The visible text of body HTML, one item per block."""
    text = nh3.clean(BLOCK_END.sub("\n", html or ""), tags=set())
    return [line.strip() for line in text.splitlines() if line.strip()]


def _marked(text: str, tag: str) -> str:
    return format_html("<{}>{}</{}>", tag, text, tag) if text else ""


LINE_BREAK = format_html("<{}>", "br")


def _joined(pieces: list, separator: SafeString | str = "") -> SafeString:
    """Join pieces that are already escaped or built with format_html."""
    return format_html_join(separator, "{}", ((piece,) for piece in pieces))


def diff_text(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Mark deletions in the old text and insertions in the new, character by character."""
    left, right = [], []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(escape(old[a1:a2]))
            right.append(escape(new[b1:b2]))
        else:
            left.append(_marked(old[a1:a2], "del"))
            right.append(_marked(new[b1:b2], "ins"))
    return _joined(left), _joined(right)


def diff_lines(old: list[str], new: list[str]) -> tuple[SafeString, SafeString]:
    """Line up two lists of paragraphs; changed pairs are compared character by character."""
    left, right = [], []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        pairs = list(zip(old[a1:a2], new[b1:b2], strict=False)) if op == "replace" else []
        for before, after in pairs:
            marked_old, marked_new = diff_text(before, after)
            left.append(marked_old)
            right.append(marked_new)
        for before in old[a1 + len(pairs) : a2]:
            left.append(_marked(before, "del") if op != "equal" else escape(before))
            if op == "equal":
                right.append(escape(before))
        for after in new[b1 + len(pairs) : b2] if op != "equal" else []:
            right.append(_marked(after, "ins"))
    return _joined(left, LINE_BREAK), _joined(right, LINE_BREAK)


def _as_lines(field: str, value) -> list[str]:
    if field == "body":
        return paragraphs(value)
    if field == "tags":
        return list(value)
    if field == "credits":
        return [item["name"] for item in value]
    if field == "picks":
        return [item["title"] for item in value]
    if field == "gallery":
        return [f"#{item['image_id']} {item['caption']}".strip() for item in value or []]
    if field == "links":
        return [f"{item['title']} <{item['url']}>" for item in value]
    return [] if value in (None, "") else [str(value)]


def compare(old: dict, new: dict) -> list[FieldDiff]:
    """Every field of two snapshots, side by side, changed parts marked."""
    rows = []
    fields = (
        CONTENT_FIELDS
        + RELATED_FIELDS
        + ["expire_at", "tags", "credits", "picks", "links", "gallery"]
    )
    for field in fields:
        before, after = _as_lines(field, old.get(field)), _as_lines(field, new.get(field))
        left, right = diff_lines(before, after)
        rows.append(FieldDiff(describe_field(field), left, right, changed=before != after))
    return rows
