"""Finding the list's words in a story: one Aho-Corasick automaton over the whole list.

Text and words are both put in simplified characters (OpenCC's ``t2s``) and lower case
before matching, so 按裝 and 按装 are the same word; positions are reported in the text as
given, since the normalised text keeps its length (each character is converted on its
own where a phrase would change the length). The automaton is built once per list version
and kept per process; a change to the list (``wordlist.changed``) writes a new stamp, and
the next check in every process rebuilds it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import NamedTuple

import ahocorasick

from articles.text import simplified
from proofing.models import ListVersion, Word

# Elements that end a line of text: words never match across them.
BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "figure",
        "figcaption",
        "table",
        "tr",
        "td",
        "th",
        "hr",
        "pre",
        "section",
        "article",
        "aside",
        "header",
        "footer",
    ]
)


def normalise(text: str) -> str:
    """Return ``text`` in simplified characters and lower case, with the same length."""
    folded = simplified(text)
    if len(folded) != len(text):
        folded = "".join(_one_character(character) for character in text)
    lowered = folded.lower()
    return lowered if len(lowered) == len(folded) else folded


def _one_character(character: str) -> str:
    converted = simplified(character)
    return converted if len(converted) == 1 else character


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in BLOCKS and self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.handle_starttag(tag, [])

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(html: str) -> str:
    """The text of body HTML as a reader sees it, one line per paragraph, caption or item."""
    parser = _TextOnly()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.parts).strip("\n")


@dataclass(frozen=True)
class Entry:
    """What the check needs of one Word, kept apart from the database row."""

    text: str
    category: str
    correction: str
    note: str


class Hit(NamedTuple):
    """One word found: where (``start``/``end`` in the text given), as written, and the entry."""

    start: int
    end: int
    found: str
    entry: Entry


class Matcher:
    """The list as one automaton: ``find(text)`` reports every listed word in the text."""

    def __init__(self, entries: list[Entry]) -> None:
        by_form: dict[str, list[Entry]] = {}
        for entry in entries:
            form = normalise(entry.text.strip())
            if form:
                by_form.setdefault(form, []).append(entry)
        self.size = len(by_form)
        self.automaton = ahocorasick.Automaton()
        for form, listed in by_form.items():
            self.automaton.add_word(form, (len(form), tuple(listed)))
        if self.size:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Every listed word in ``text``, in reading order (longer first at one place)."""
        if not self.size or not text:
            return []
        hits = []
        for last, (length, listed) in self.automaton.iter(normalise(text)):
            start = last - length + 1
            found = text[start : last + 1]
            hits.extend(Hit(start, last + 1, found, entry) for entry in listed)
        hits.sort(key=lambda hit: (hit.start, -hit.end))
        return hits


_lock = threading.Lock()
_built: tuple[str, Matcher] | None = None


def current_stamp() -> str:
    """The list's version as stored now ("" before the list was ever changed)."""
    return ListVersion.objects.values_list("stamp", flat=True).order_by("pk").first() or ""


def matcher() -> Matcher:
    """The matcher for the list as it is now: this process's copy, rebuilt if the list changed."""
    global _built
    stamp = current_stamp()
    with _lock:
        if _built is not None and _built[0] == stamp:
            return _built[1]
    entries = [
        Entry(*row)
        for row in Word.objects.order_by("pk").values_list(
            "text", "category", "correction", "note"
        )
    ]
    built = Matcher(entries)
    with _lock:
        _built = (stamp, built)
    return built
