"""The Chinese word dictionary search cuts texts with, read from a file as it is needed.

jieba's dictionary (about 350,000 words) held in memory costs each web process about 30 MB,
for what search uses of it: the few words inside a reader's query. Here it stays in a file
(NEWSROOM_SEARCH_DICTIONARY): the words and frequencies of the pinned jieba package's
``dict.txt``, which is the dictionary rjieba builds in, sorted, part-of-speech tags left
out. The file is written from the package on first use (``dictionary_file``), and mapped
into memory read-only: a lookup reads the handful of pages its binary search touches, and
the operating system keeps one copy of them for every process.

A text is cut by rjieba's own algorithm over a dictionary of just the words found in that
text, plus one word no text can hold that carries the frequency of all the others. jieba
chooses a cut from the words inside the text, their frequencies and the sum of all
frequencies, so the cut is the one the whole dictionary gives (tests compare them).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import mmap
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

# The stand-in for every dictionary word a text does not hold: jieba looks words up only
# inside runs of Chinese characters, letters and digits, never across a control character.
ELSEWHERE = "\x01elsewhere\x01"


def jieba_class() -> Any:
    """Return rjieba's ``Jieba`` class without importing the package, whose ``__init__``
    builds a Jieba over the whole built-in dictionary (about 30 MB) at once."""
    if (loaded := sys.modules.get("rjieba.rjieba")) is not None:
        return loaded.Jieba
    package = importlib.util.find_spec("rjieba")
    compiled = importlib.machinery.PathFinder.find_spec(
        "rjieba", package.submodule_search_locations
    )
    spec = importlib.util.spec_from_file_location("rjieba.rjieba", compiled.origin)
    module = importlib.util.module_from_spec(spec)
    # Registered under its usual name: the compiled module can be set up only once per
    # process, and a later ``import rjieba`` must find this one.
    sys.modules["rjieba.rjieba"] = module
    spec.loader.exec_module(module)
    return module.Jieba


class Dictionary:
    """Words and their frequencies: a sorted file, plus the station's own words on top."""

    def __init__(self, path: Path, local: dict[str, int]) -> None:
        with path.open("rb") as file:
            self.data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        header_end = self.data.find(b"\n") + 1
        total = int(self.data[:header_end].rsplit(b"total=", 1)[1])
        self.start, self.end = header_end, len(self.data)
        self.local = local
        # A local word replaces the file's frequency of the same word, as add_word does.
        self.total = total + sum(freq - self.filed(word, 0) for word, freq in local.items())

    def _first_from(self, key: bytes, lo: int, hi: int) -> int:
        """Start of the first line in [lo, hi) whose word sorts at or after ``key``."""
        data = self.data
        while lo < hi:
            line = data.rfind(b"\n", lo - 1, (lo + hi) // 2) + 1
            space = data.find(b" ", line)
            if data[line:space] < key:
                lo = data.find(b"\n", space) + 1
            else:
                hi = line
        return lo

    def _line(self, at: int) -> tuple[bytes, int]:
        space = self.data.find(b" ", at)
        return self.data[at:space], int(self.data[space + 1 : self.data.find(b"\n", space)])

    @lru_cache(maxsize=16384)  # noqa: B019  (one Dictionary per process, never freed)
    def _span(self, prefix: str) -> tuple[int, int]:
        """The lines whose words start with ``prefix`` (one or two characters)."""
        lo, hi = self._span(prefix[:-1]) if len(prefix) > 1 else (self.start, self.end)
        key = prefix.encode()
        lo = self._first_from(key, lo, hi)
        return lo, self._first_from(key + b"\xff", lo, hi)

    def filed(self, word: str, default: int | None = None) -> int | None:
        """The file's frequency of ``word``, or ``default`` if the file lacks it."""
        if not word:
            return default
        lo, hi = self._span(word[0])
        key = word.encode()
        at = self._first_from(key, lo, hi)
        if at < hi and (found := self._line(at))[0] == key:
            return found[1]
        return default

    def frequency(self, word: str) -> int | None:
        """The frequency of a dictionary word; None for a word not in the dictionary."""
        return self.local.get(word, self.filed(word))

    def words_in(self, text: str) -> dict[str, int]:
        """Every dictionary word inside ``text``, with its frequency."""
        found: dict[str, int] = {}
        for start, first in enumerate(text):
            lo, hi = self._span(first)
            if lo < hi and (line := self._line(lo))[0] == first.encode():
                found[first] = line[1]  # the word of one character sorts first
            if lo == hi or start + 1 == len(text):
                continue
            lo, hi = self._span(text[start : start + 2])
            end = start + 2
            while lo < hi and end <= len(text):
                key = text[start:end].encode()
                lo = self._first_from(key, lo, hi)
                if lo == hi:
                    break
                word, freq = self._line(lo)
                if word == key:
                    found[text[start:end]] = freq
                elif not word.startswith(key):
                    break  # no longer word begins so
                end += 1
        found.update((word, freq) for word, freq in self.local.items() if word in text)
        return found


class Segmenter:
    """jieba's ``cut``, ``cut_for_search`` and ``has_word`` over a ``Dictionary``."""

    def __init__(self, dictionary: Dictionary) -> None:
        self.dictionary = dictionary
        self.jieba_class = jieba_class()

    def _jieba_for(self, text: str) -> Any:
        words = self.dictionary.words_in(text)
        jieba = self.jieba_class.empty()
        for word, freq in words.items():
            jieba.add_word(word, freq, None)
        jieba.add_word(ELSEWHERE, self.dictionary.total - sum(words.values()), None)
        return jieba

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        return self._jieba_for(text).cut(text, hmm)

    def cut_for_search(self, text: str, hmm: bool = True) -> list[str]:
        return self._jieba_for(text).cut_for_search(text, hmm)

    def has_word(self, word: str) -> bool:
        return self.dictionary.frequency(word) is not None


def jieba_dictionary() -> Path:
    """The ``dict.txt`` of the installed jieba package (found without importing it)."""
    return Path(importlib.util.find_spec("jieba").submodule_search_locations[0]) / "dict.txt"


def dictionary_file(target: Path) -> Path:
    """The sorted word file at ``target``, written from jieba's dictionary if it is missing.

    It is written by a separate process, so that the words read and sorted on the way
    (some 40 MB for a moment) never stay in this process's memory."""
    if not target.exists():
        subprocess.run(
            [sys.executable, "-m", "search.dictionary", str(target)],
            cwd=Path(__file__).resolve().parents[1],
            check=True,
        )
    return target


def make_dictionary_file(jieba_dict: Iterable[str], target: Path) -> None:
    """Write jieba's ``dict.txt`` lines (word, frequency, tag) as the sorted word file.

    The new file replaces the old one whole: running processes keep the old one mapped,
    and would crash reading a file rewritten under them."""
    words: dict[str, int] = {}
    for line in jieba_dict:
        word, freq, *_ = line.split()
        words[word] = int(freq)  # a repeated word keeps its last frequency, as in jieba
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="\n", dir=target.parent, delete=False
    ) as out:
        out.write(f"# jieba dict.txt words by UTF-8 bytes; total={sum(words.values())}\n")
        for word in sorted(words, key=str.encode):
            out.write(f"{word} {words[word]}\n")
    os.chmod(out.name, 0o644)  # a temporary file is the writer's alone
    os.replace(out.name, target)


if __name__ == "__main__":
    with jieba_dictionary().open(encoding="utf-8") as source:
        make_dictionary_file(source, Path(sys.argv[1]))
