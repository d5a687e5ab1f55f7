"""Search that forgives: synonyms, pinyin, "你是不是要找" and suggestions as you type.

All four read the same thing: the index's own vocabulary (``Keyword``: the words of the
published titles and tags, with their pinyin and how many articles use them) and the
desk's synonyms (``Synonym``). Each process keeps one copy, read in two queries and kept
while the stamp in the shared cache is unchanged; a change to either writes a new stamp
(``changed()``), and every process reads them again at its next search.

- A query word that is a synonym also matches the group's other terms.
- A word of lower-case letters that spells a known word in full pinyin (``luxi``) or by
  its initials (``lx``) also matches the most used words it spells.
- A query that finds little is corrected from the vocabulary: a run of characters that
  is no known word but sounds like one (凤皇 → 凤凰) is replaced, else the closest known
  word by edit distance (on the characters, or on the pinyin of a pinyin query).
"""

from __future__ import annotations

import bisect
import threading
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from rapidfuzz import fuzz, process

from articles.models.relations import TaggedArticle
from articles.models.search import SearchEntry
from search import search
from search.models import Keyword, Synonym

STAMP_KEY = "search:vocabulary"
LIMIT = 20_000  # most used words kept in each process
PINYIN_WORDS = 3  # words a pinyin spelling stands for, most used first
SUGGESTIONS = 8
LONGEST_WORD = 8
# Similarity (0-100) a correction must reach: characters, and pinyin letters.
SIMILAR_CHARACTERS = 60
SIMILAR_PINYIN = 80
LONGEST_CORRECTED = 20  # characters of a query worth correcting (the work grows with it)


# --- Pinyin -----------------------------------------------------------------------------


def spell(word: str) -> tuple[str, str]:
    """The full pinyin of a word without tones or spaces, and its initials: 泸溪 → luxi, lx."""
    from pypinyin import lazy_pinyin  # its dictionaries load on first use only

    syllables = [s.lower() for s in lazy_pinyin(word, errors="ignore") if s.isalpha()]
    return "".join(syllables), "".join(s[0] for s in syllables)


def is_spelling(word: str) -> bool:
    """Lower-case letters only: what a reader typing pinyin sends."""
    return word.isascii() and word.isalpha() and word.islower() and len(word) > 1


def _worth_keeping(word: str) -> bool:
    return 1 < len(word) <= LONGEST_WORD and any("\u4e00" <= c <= "\u9fff" for c in word)


# --- The vocabulary ---------------------------------------------------------------------


@dataclass
class Vocabulary:
    """The words and synonyms one process searches with (see the module's docstring)."""

    stamp: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    spelled: dict[str, list[str]] = field(default_factory=dict)  # pinyin → words
    synonyms: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    ordered: list[str] = field(default_factory=list)  # the words, sorted, for prefixes
    spellings: list[tuple[str, str]] = field(default_factory=list)  # sorted (pinyin, word)

    @classmethod
    def read(cls, stamp: str) -> Vocabulary:
        rows = Keyword.objects.order_by("-articles", "word").values_list(
            "word", "pinyin", "initials", "articles"
        )[:LIMIT]
        vocabulary = cls(stamp=stamp)
        for word, pinyin, initials, articles in rows:
            vocabulary.counts[word] = articles
            for spelling in dict.fromkeys((pinyin, initials)):
                vocabulary.spelled.setdefault(spelling, []).append(word)
            vocabulary.spellings.append((pinyin, word))
        vocabulary.ordered = sorted(vocabulary.counts)
        vocabulary.spellings.sort()
        for synonym in Synonym.objects.all():
            groups = [tuple(search.query_words(term)) for term in synonym.term_list()]
            for group in filter(None, groups):
                others = tuple(g for g in groups if g and g != group)
                key = "".join(group)
                vocabulary.synonyms[key] = vocabulary.synonyms.get(key, ()) + others
        return vocabulary

    def alternatives(self, word: str) -> tuple[tuple[str, ...], ...]:
        """Other ways of saying ``word``: its synonyms, the words its pinyin spells."""
        found = list(self.synonyms.get(word, ()))
        if is_spelling(word):
            found += [(w,) for w in self.spelled.get(word, [])[:PINYIN_WORDS]]
        return tuple(found)

    def suggestions(self, typed: str) -> list[str]:
        """Known words that start with what was typed (characters or pinyin), most used
        first."""
        prefix = "".join(search.query_words(typed))
        if not prefix:
            return []
        if is_spelling(prefix):
            start = bisect.bisect_left(self.spellings, (prefix, ""))
            found = []
            for spelling, word in self.spellings[start:]:
                if not spelling.startswith(prefix):
                    break
                found.append(word)
            found += self.spelled.get(prefix, [])  # initials
        else:
            start = bisect.bisect_left(self.ordered, prefix)
            found = []
            for word in self.ordered[start:]:
                if not word.startswith(prefix):
                    break
                found.append(word)
        found = sorted(set(found), key=lambda w: (-self.counts[w], w))
        return found[:SUGGESTIONS]

    def correction(self, text: str) -> str | None:
        """A query built from known words that the reader probably meant, or None."""
        typed = "".join(search.query_words(text))
        if not typed or not self.counts or len(typed) > LONGEST_CORRECTED:
            return None
        if is_spelling(typed):
            best = process.extractOne(
                typed, list(self.spelled), scorer=fuzz.ratio, score_cutoff=SIMILAR_PINYIN
            )
            return self.spelled[best[0]][0] if best and best[0] != typed else None
        corrected = self._by_sound(typed)
        if corrected != typed:
            return corrected
        best = process.extractOne(
            typed, self.ordered, scorer=fuzz.ratio, score_cutoff=SIMILAR_CHARACTERS
        )
        return best[0] if best and best[0] != typed else None

    def _by_sound(self, typed: str) -> str:
        """Replace each run of characters that is no known word but sounds like one."""
        out, start = [], 0
        while start < len(typed):
            for end in range(min(len(typed), start + LONGEST_WORD), start + 1, -1):
                piece = typed[start:end]
                if piece in self.counts or (piece := self._sounds_like(piece)):
                    out.append(piece)
                    start = end
                    break
            else:
                out.append(typed[start])
                start += 1
        return "".join(out)

    def _sounds_like(self, piece: str) -> str | None:
        if piece.isascii():
            return None
        pinyin, _ = spell(piece)
        same = [w for w in self.spelled.get(pinyin, []) if len(w) == len(piece)]
        return same[0] if same else None


_lock = threading.Lock()
_kept = Vocabulary()


def current() -> Vocabulary:
    """This process's vocabulary, read again when another process has changed it."""
    global _kept
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = uuid.uuid4().hex
        if not cache.add(STAMP_KEY, stamp, timeout=None):
            stamp = cache.get(STAMP_KEY, stamp)
    with _lock:
        if _kept.stamp != stamp:
            _kept = Vocabulary.read(stamp)
        return _kept


def changed() -> None:
    """Make every process read the vocabulary and synonyms again."""
    cache.set(STAMP_KEY, uuid.uuid4().hex, timeout=None)


# --- Keeping it -------------------------------------------------------------------------


def rebuild() -> int:
    """Count the words of every indexed title and tag afresh; return how many words."""
    counts: Counter[str] = Counter()
    titles = SearchEntry.objects.values_list("title_words", flat=True)
    for words in titles.iterator(chunk_size=2000):
        counts.update({w for w in words.split() if _worth_keeping(w)})
    indexed = TaggedArticle.objects.filter(content_object__search_entry__isnull=False)
    tags = indexed.values_list("tag__name", flat=True)
    for name in tags.iterator(chunk_size=2000):
        counts.update({w for w in search.index_words(name) if _worth_keeping(w)})
    Keyword.objects.all().delete()
    Keyword.objects.bulk_create(_keywords(counts.items()), batch_size=2000)
    changed()
    return len(counts)


def learn(titles: Iterable[str]) -> None:
    """Add the words of newly published titles that the vocabulary does not hold yet."""
    words = {w for title in titles for w in search.index_words(title) if _worth_keeping(w)}
    known = set(Keyword.objects.filter(word__in=words).values_list("word", flat=True))
    if new := words - known:
        Keyword.objects.bulk_create(_keywords((w, 1) for w in new), ignore_conflicts=True)
        changed()


def _keywords(counted: Iterable[tuple[str, int]]) -> list[Keyword]:
    keywords = []
    for word, count in counted:
        pinyin, initials = spell(word)
        if pinyin:
            keywords.append(Keyword(word=word, pinyin=pinyin, initials=initials, articles=count))
    return keywords
