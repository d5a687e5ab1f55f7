"""The word dictionary file: jieba's cuts exactly, without its whole dictionary in memory."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from search import search
from search.dictionary import (
    ELSEWHERE,
    Dictionary,
    Segmenter,
    dictionary_file,
    jieba_class,
    jieba_dictionary,
    make_dictionary_file,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "desk" / "demo" / "articles.toml"
ODD_TEXTS = [
    "",
    "   ",
    "湘西州非遗传承人在矮寨大桥边展示苗绣",
    "泸溪县浦市镇的椪柑搭上冷链，游客登上矮寨大桥",
    "ＡＢＣ１２３ abc-123 4S店 1号店 C++ AT&T 50% #话题 a.b_c",
    "我们中出了一个叛徒👪\r\n南京市长江大桥\t小明硕士毕业于中国科学院计算所",
    "\x01elsewhere\x01 elsewhere 的的的了了 。。。",
]


@pytest.fixture(scope="module")
def whole_dictionary():
    """jieba's built-in dictionary in memory, with the station's words added as before."""
    jieba = jieba_class()()
    for word, freq in search.segmenter().dictionary.local.items():
        jieba.add_word(word, freq, None)
    return jieba


def demo_texts() -> list[str]:
    articles = tomllib.loads(DEMO.read_text(encoding="utf-8"))["article"]
    fields = ("title", "kicker", "subtitle", "summary")
    texts = [a.get(field, "") for a in articles for field in fields]
    texts += [line for a in articles for line in search.paragraphs(a["body"])]
    return [*texts, *ODD_TEXTS]


def test_texts_are_cut_as_the_whole_dictionary_cuts_them(whole_dictionary):
    segmenter = search.segmenter()

    for text in demo_texts():
        assert segmenter.cut(text, True) == whole_dictionary.cut(text, True), text
        assert segmenter.cut_for_search(text, True) == whole_dictionary.cut_for_search(
            text, True
        ), text


def test_every_word_inside_a_text_is_known_as_the_whole_dictionary_knows_it(whole_dictionary):
    segmenter = search.segmenter()
    text = "".join(demo_texts()[:40])
    pieces = {text[i : i + n] for i in range(len(text)) for n in range(1, 7)}

    assert {p for p in pieces if segmenter.has_word(p)} == {
        p for p in pieces if whole_dictionary.has_word(p)
    }


def test_a_station_word_replaces_the_file_frequency_and_the_total(tmp_path):
    target = tmp_path / "words.txt"
    make_dictionary_file(["茶叶 100 n\n", "椪柑 5 n\n", "茶 40 n\n", "茶叶 60 n\n"], target)

    dictionary = Dictionary(target, {"椪柑": 1000, "黄金茶": 1000})

    assert target.read_text(encoding="utf-8").splitlines()[1:] == ["椪柑 5", "茶 40", "茶叶 60"]
    assert dictionary.total == 40 + 60 + 1000 + 1000
    assert dictionary.words_in("黄金茶叶和椪柑") == {
        "茶": 40, "茶叶": 60, "椪柑": 1000, "黄金茶": 1000,
    }  # fmt: skip
    assert dictionary.frequency("橘子") is None


def test_the_stand_in_for_other_words_is_never_a_word_of_a_text():
    segmenter = search.segmenter()

    assert ELSEWHERE not in segmenter.cut(f"湘西{ELSEWHERE}椪柑", True)
    assert not segmenter.has_word(ELSEWHERE)


def test_a_search_in_a_fresh_process_never_builds_the_whole_dictionary_in_memory():
    code = (
        "import sys, django; django.setup()\n"
        "from search import search\n"
        "assert [t.word for t in search.parse_query('泸溪椪柑').terms] == ['泸溪', '椪柑']\n"
        "assert search.index_words('矮寨大桥') == ('矮寨', '大桥', '矮寨大桥')\n"
        # The rjieba package builds jieba over its whole dictionary as it is imported.
        "assert 'rjieba' not in sys.modules, 'the whole dictionary was built'\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}

    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr


def test_a_missing_dictionary_file_is_written_from_jiebas_sorted_for_lookups(tmp_path):
    """Readable by every user: the web server's may not be the one that wrote it."""
    target = tmp_path / "words" / "dictionary.txt"

    lines = dictionary_file(target).read_bytes().split(b"\n")
    words = [line.split(b" ")[0] for line in lines[1:-1]]

    assert words == sorted(set(words))
    assert len(words) > 340_000
    assert len(words) == len(
        {line.split()[0] for line in jieba_dictionary().read_bytes().splitlines()}
    )
    assert not [path for path in target.parent.iterdir() if path != target]  # no leftovers
    assert target.stat().st_mode & 0o444 == 0o444


def test_the_segmenter_is_what_search_uses():
    assert isinstance(search.segmenter(), Segmenter)
