"""A story against the word list: its fields, what is found in each, and 禁用 words let through.

The fields checked are the story's 引题, 标题, 副题, 摘要, 正文 (as text: HTML is dropped,
and positions count in that text; captions in the body are part of it), 组图 captions and
署名. The article form sends the fields being typed (``fields_of_form``); the workflow and
the 审稿单 read the saved story (``fields_of_article``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.chain import record as audit
from audit.models import Entry
from proofing.matching import Hit, matcher, text_of
from proofing.models import Release, Word

if TYPE_CHECKING:
    from articles.models import Article

LABELS = {
    "kicker": gettext_lazy("引题"),
    "title": gettext_lazy("标题"),
    "subtitle": gettext_lazy("副题"),
    "summary": gettext_lazy("摘要"),
    "body": gettext_lazy("正文"),
    "captions": gettext_lazy("图片说明"),
    "byline": gettext_lazy("署名"),
}
PLAIN = ("kicker", "title", "subtitle", "summary")
# The 组图 inline's caption inputs on the article form: gallery_items-0-caption, …
GALLERY_CAPTION = re.compile(r"^gallery_items-\d+-caption$")
# Characters of text shown on each side of a word found.
CONTEXT = 12


def fields_of_article(article: Article) -> dict[str, str]:
    """The saved story's checked fields as text."""
    captions = [item.caption_text() for item in article.gallery_items.select_related("image")]
    return {
        **{name: getattr(article, name) for name in PLAIN},
        "body": text_of(article.body),
        "captions": "\n".join(captions),
        "byline": article.byline_override,
    }


def fields_of_form(data: Mapping[str, str]) -> dict[str, str]:
    """The checked fields as the article form holds them now (the body as text)."""
    captions = [data[key] for key in sorted(data) if GALLERY_CAPTION.match(key)]
    return {
        **{name: data.get(name, "") for name in PLAIN},
        "body": text_of(data.get("body", "")),
        "captions": "\n".join(caption for caption in captions if caption),
        "byline": data.get("byline_override", ""),
    }


@dataclass(frozen=True)
class Finding:
    """A word found in one field, with what the person reads around it."""

    field: str
    hit: Hit

    @property
    def label(self) -> str:
        return str(LABELS[self.field])

    @property
    def category(self) -> str:
        return self.hit.entry.category

    @property
    def category_label(self) -> str:
        return str(Word.Category(self.category).label)

    def as_json(self, text: str) -> dict:
        hit = self.hit
        return {
            "field": self.field,
            "label": self.label,
            "category": self.category,
            "category_label": self.category_label,
            "start": hit.start,
            "end": hit.end,
            "found": hit.found,
            "word": hit.entry.text,
            "correction": hit.entry.correction,
            "note": hit.entry.note,
            "before": text[max(0, hit.start - CONTEXT) : hit.start],
            "after": text[hit.end : hit.end + CONTEXT],
        }


def findings(fields: Mapping[str, str]) -> list[Finding]:
    """Every listed word in the fields, field by field in reading order."""
    found = matcher()
    return [Finding(name, hit) for name in LABELS for hit in found.find(fields.get(name) or "")]


def report(fields: Mapping[str, str]) -> dict:
    """The check's answer to the article form: each word found, with its place and advice."""
    found = findings(fields)
    counts = dict.fromkeys(Word.Category.values, 0)
    for finding in found:
        counts[finding.category] += 1
    return {
        "findings": [finding.as_json(fields[finding.field]) for finding in found],
        "counts": counts,
        "blocks": counts[Word.Category.BANNED] > 0,
    }


def banned_words(article: Article) -> list[str]:
    """The 禁用 words in the saved story (as listed), in the order they first appear."""
    found = findings(fields_of_article(article))
    words = [f.hit.entry.text for f in found if f.category == Word.Category.BANNED]
    return list(dict.fromkeys(words))


def unreleased_banned_words(article: Article) -> list[str]:
    """The 禁用 words in the story that no 主编 or 总编辑 has let through for it."""
    words = banned_words(article)
    if not words or article.pk is None:
        return words
    released = {w for release in article.word_releases.all() for w in release.words}
    return [word for word in words if word not in released]


class ReleaseRefused(Exception):
    """Letting the banned words through was refused; the message says why."""


RELEASER = "proofing.release_banned"


def may_release(user) -> bool:
    """主编 and 总编辑 (and whoever else holds the permission) may let banned words through."""
    return user.is_active and user.has_perm(RELEASER)


@transaction.atomic
def release(article: Article, *, by, reason: str) -> Release:
    """Let the story's banned words through, with the reason; written to the audit log."""
    if not may_release(by):
        raise ReleaseRefused(_("只有主编或总编辑可以放行禁用词。"))
    reason = reason.strip()
    if not reason:
        raise ReleaseRefused(_("放行禁用词必须填写理由。"))
    words = unreleased_banned_words(article)
    if not words:
        raise ReleaseRefused(_("稿件中没有需要放行的禁用词。"))
    released = Release.objects.create(
        article=article,
        words=words,
        reason=reason,
        released_by=by,
        released_by_name=by.get_full_name() or by.get_username(),
    )
    details = {"words": words, "reason": reason, "row": article.pk}
    audit(Entry.Action.WORDS_RELEASED, actor=by, obj=article.live_article, details=details)
    return released
