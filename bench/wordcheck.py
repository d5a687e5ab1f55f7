"""Word check benchmark: a 5,000-character story against a 50,000-word list.

Usage: python bench/wordcheck.py [--runs N] [--words N] [--characters N]

Generates a list of 50,000 distinct words of two to six Chinese characters (a third 禁用,
a third 慎用, a third 错别字 with a correction), some in traditional characters, and a story
of 5,000 characters as body HTML (paragraphs, bold, a figure caption), with 40 of the
listed words and their traditional forms written in. Then times, separately:

- building the automaton from the list (once per list version in each process);
- one check: the body's HTML to text, the text to simplified characters, the automaton
  run over it, each finding with its context (what the article form's check answers).

Prints the median and the worst of N checks, and the number of findings. No database is
used: the list is handed to the matcher as the database would give it.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django

django.setup()

from proofing.check import CONTEXT  # noqa: E402
from proofing.matching import Entry, Matcher, text_of  # noqa: E402

# Common characters of news text (and a few traditional forms) to draw words and text from.
CHARACTERS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使"
    "点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明"
    "看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料"
    "湘西泸溪吉首凤凰古城沅水椪柑县镇乡村农旅游景区记者报道會經濟發展國際農業機關學習環境"
)
CATEGORIES = ("banned", "caution", "typo")


def word_list(count: int, rng: random.Random) -> list[Entry]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choices(CHARACTERS, k=rng.randint(2, 6))))
    entries = []
    for number, text in enumerate(sorted(words)):
        category = CATEGORIES[number % 3]
        correction = "正确" + text if category == "typo" else ""
        entries.append(Entry(text, category, correction, ""))
    return entries


def story(length: int, planted: list[str], rng: random.Random) -> str:
    paragraphs, size = [], 0
    while size < length:
        text = "".join(rng.choices(CHARACTERS, k=rng.randint(80, 200))) + "。"
        if planted:
            at = rng.randrange(len(text))
            text = text[:at] + planted.pop() + text[at:]
        paragraphs.append(f"<p>{text[:40]}<strong>{text[40:50]}</strong>{text[50:]}</p>")
        size += len(text)
    paragraphs.insert(
        3,
        "<figure><img src='x.jpg' alt=''>"
        "<figcaption>沅水两岸的椪柑进入采摘期</figcaption></figure>",
    )
    return "".join(paragraphs)


def check(matcher: Matcher, body: str) -> int:
    text = text_of(body)
    found = matcher.find(text)
    context = [
        (text[max(0, h.start - CONTEXT) : h.start], text[h.end : h.end + CONTEXT]) for h in found
    ]
    return len(context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--characters", type=int, default=5_000)
    options = parser.parse_args()
    rng = random.Random(17)
    entries = word_list(options.words, rng)
    planted = [entry.text for entry in rng.sample(entries, 40)]
    body = story(options.characters, planted, rng)
    print(f"list: {len(entries):,} words; story: {len(text_of(body)):,} characters of text")

    started = time.perf_counter()
    matcher = Matcher(entries)
    built = (time.perf_counter() - started) * 1000
    print(f"build the automaton: {built:.0f} ms (once per list version)")

    findings = check(matcher, body)  # warm: OpenCC's dictionaries load on first use
    times = []
    for _ in range(options.runs):
        started = time.perf_counter()
        check(matcher, body)
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"one check: median {statistics.median(times):.2f} ms, worst {max(times):.2f} ms "
        f"over {options.runs} runs ({findings} findings; target < 20 ms)"
    )


if __name__ == "__main__":
    main()
