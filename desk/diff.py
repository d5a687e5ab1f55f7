"""Readable side-by-side differences between two article snapshots.

Chinese has no spaces between words, so text is compared character by character; the body
is first split into paragraphs so that a changed paragraph lines up with its old self.
Stored ids and codes are shown by the names editors know (民生, 原创, 沈佳), and photos
are compared by sight: thumbnails of the photos added and removed, captions and alt text
as text.
"""

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import nh3
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from articles.figures import CAPTION, FIGURE
from desk.revisions import CONTENT_FIELDS, RELATED_FIELDS, describe_field

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


ALT = re.compile(r'<img\b[^>]*?\balt="([^"]*)"')


@dataclass(frozen=True)
class BodyPhoto:
    image_id: int
    caption: str
    alt: str


def body_photos(body: str) -> list[BodyPhoto]:
    """The library photos in body HTML, in order, with this use's caption and alt text."""
    found = []
    for match in FIGURE.finditer(body or ""):
        caption, alt = CAPTION.search(match[2]), ALT.search(match[2])
        found.append(
            BodyPhoto(
                int(match[1]),
                html.unescape(nh3.clean(caption[1], tags=set())).strip() if caption else "",
                html.unescape(alt[1]) if alt else "",
            )
        )
    return found


class Names:
    """The names behind the ids two snapshots store: channels, editors and photos."""

    def __init__(self, *snapshots: dict) -> None:
        from articles.models import Channel, Editor, Image

        def ids(*fields: str) -> set[int]:
            return {s[f] for s in snapshots for f in fields if s.get(f)}

        photo_ids = ids("cover_image_id")
        for snapshot in snapshots:
            photo_ids |= {p.image_id for p in body_photos(snapshot.get("body", ""))}
            photo_ids |= {g["image_id"] for g in snapshot.get("gallery") or []}
        self.channels = Channel.objects.in_bulk(ids("channel_id"))
        self.editors = Editor.objects.in_bulk(ids("editor_id"))
        self.images = Image.objects.in_bulk(photo_ids)

    def photo_label(self, image_id: int) -> str:
        image = self.images.get(image_id)
        if image is None:
            return _("图片 %(number)s（已从图库删除）") % {"number": image_id}
        return f"#{image_id} {image}"

    def thumbnail(self, image_id: int, change: str = "") -> SafeString:
        """A small picture of the photo with its label (and "added"/"removed", if so)."""
        image = self.images.get(image_id)
        copies = image.copies() if image is not None else []
        marks = {"added": _("新增"), "removed": _("移除")}
        label = (
            f"{marks[change]}：{self.photo_label(image_id)}"
            if change
            else self.photo_label(image_id)
        )
        css_class = f"diff-photo diff-photo--{change}" if change else "diff-photo"
        if not copies:
            return format_html('<span class="{}">{}</span>', css_class, label)
        return format_html(
            '<figure class="{}"><img src="{}" alt="{}" width="{}" height="{}">'
            "<figcaption>{}</figcaption></figure>",
            css_class,
            default_storage.url(copies[0]["name"]),
            image.alt_text,
            copies[0]["width"],
            copies[0]["height"],
            label,
        )


def _credit_line(item: dict) -> str:
    from articles.models.people import Role

    role = str(Role(item["role"]).label) if item.get("role") in Role.values else ""
    return f"{role} {item['name']}".strip()


def _as_lines(field: str, value, names: Names) -> list[str]:
    """A snapshot field as lines of text an editor reads."""
    from articles.models import Article

    if value in (None, "", []):
        return []
    readers = {
        "body": paragraphs,
        "tags": list,
        "credits": lambda v: [_credit_line(item) for item in v],
        "picks": lambda v: [item["title"] for item in v],
        "gallery": lambda v: [f"#{item['image_id']} {item['caption']}".strip() for item in v],
        "links": lambda v: [f"{item['title']} <{item['url']}>" for item in v],
        "channel_id": lambda v: [str(names.channels.get(v, v))],
        "editor_id": lambda v: [str(names.editors.get(v, v))],
        "cover_image_id": lambda v: [names.photo_label(v)],
        "origin": lambda v: [str(Article.Origin(v).label) if v in Article.Origin.values else v],
        "expire_at": lambda v: [f"{timezone.localtime(parse_datetime(v)):%Y-%m-%d %H:%M}"],
    }
    return readers[field](value) if field in readers else [str(value)]


def _photo_row(label: str, old_ids: list[int], new_ids: list[int], names: Names) -> FieldDiff:
    """Thumbnails side by side: photos taken out marked on the left, put in on the right."""

    def column(ids: list[int], others: list[int], change: str) -> SafeString:
        return _joined([names.thumbnail(i, "" if i in others else change) for i in ids])

    return FieldDiff(
        label,
        column(old_ids, new_ids, "removed"),
        column(new_ids, old_ids, "added"),
        changed=set(old_ids) != set(new_ids),
    )


def _text_row(label: str, before: list[str], after: list[str]) -> FieldDiff:
    left, right = diff_lines(before, after)
    return FieldDiff(label, left, right, changed=before != after)


def photo_rows(old: dict, new: dict, names: Names) -> list[FieldDiff]:
    """Photos in the body and the gallery: which changed, and their captions and alt text."""
    before, after = body_photos(old.get("body", "")), body_photos(new.get("body", ""))
    old_gallery, new_gallery = old.get("gallery") or [], new.get("gallery") or []
    return [
        _photo_row(
            _("正文图片"), [p.image_id for p in before], [p.image_id for p in after], names
        ),
        _text_row(
            _("正文图片说明"),
            [f"#{p.image_id} {p.caption}" for p in before],
            [f"#{p.image_id} {p.caption}" for p in after],
        ),
        _text_row(
            _("正文图片替代文字"),
            [f"#{p.image_id} {p.alt}" for p in before],
            [f"#{p.image_id} {p.alt}" for p in after],
        ),
        _photo_row(
            _("组图照片"),
            [g["image_id"] for g in old_gallery],
            [g["image_id"] for g in new_gallery],
            names,
        ),
    ]


def compare(old: dict, new: dict) -> list[FieldDiff]:
    """Every field of two snapshots, side by side, changed parts marked."""
    names = Names(old, new)
    rows = []
    fields = (
        CONTENT_FIELDS
        + RELATED_FIELDS
        + ["expire_at", "tags", "credits", "picks", "links", "gallery"]
    )
    for field in fields:
        before = _as_lines(field, old.get(field), names)
        after = _as_lines(field, new.get(field), names)
        label = _("组图说明") if field == "gallery" else describe_field(field)
        rows.append(_text_row(label, before, after))
    return rows + photo_rows(old, new, names)
