"""The searches readers make, for the benchmarks (bench/search.py, bench/suite.py): words of
the generated archive, of every kind the search page must answer quickly."""

import urllib.parse

# (kind, query): what readers type, from the words of the generated archive (100,000
# articles): common words are in about half of them, rare words in one, names (places,
# people) in 7 to 9,000.
QUERIES = [
    ("common", "湘西"),
    ("common", "凤凰"),
    ("common", "吉首"),
    ("common", "乡村"),
    ("rare", "灯火通明"),
    ("rare", "赓续"),
    ("rare", "大坝"),
    ("rare", "演员"),
    ("name", "矮寨大桥"),
    ("name", "芙蓉镇"),
    ("name", "田雨桐"),
    ("name", "石磊"),
    ("two words", "湘西 椪柑"),
    ("two words", "吉首 养殖"),
    ("two words", "苗绣 非遗"),
    ("two words", "保靖 黄金茶"),
    ("traditional", "瀘溪"),
    ("traditional", "鳳凰古城"),
    ("traditional", "獼猴桃"),
    ("pinyin", "luxi"),
    ("pinyin", "fenghuang"),
    ("pinyin", "jishou"),
    ("single", "县"),
    ("single", "茶"),
]


def search_path(query: str) -> str:
    return "/search/?q=" + urllib.parse.quote(query)
