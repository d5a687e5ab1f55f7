"""Search that forgives: traditional characters, pinyin, synonyms, "你是不是要找", sorting by
date and suggestions as you type."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article
from articles.text import simplified
from search import search, vocabulary
from search.models import Keyword, Synonym
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def live(**fields) -> Article:
    """A published article, indexed as the workflow indexes it (title words learnt)."""
    article = ArticleFactory(**fields)
    search.index_article(article)
    vocabulary.learn([article.title])
    return article


def results_page(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def found_titles(q: str, **params) -> list[str]:
    criteria = search.Criteria(search.parse_query(q, vocabulary.current()), **params)
    return [a.title for a in search.results(Article.objects.published(), criteria)]


@pytest.fixture(autouse=True)
def fresh_vocabulary():
    """Each test starts from its own words: the stamp is gone, every process reads anew."""
    cache.delete(vocabulary.STAMP_KEY)


# --- 繁简 ---------------------------------------------------------------------------------


def test_traditional_characters_are_read_as_simplified():
    assert simplified("瀘溪鳳凰古城獼猴桃") == "泸溪凤凰古城猕猴桃"
    assert simplified("泸溪椪柑") == "泸溪椪柑"


def test_a_traditional_query_finds_a_simplified_story():
    live(title="泸溪椪柑进入采摘季")
    live(title="凤凰古城游客增多")

    assert found_titles("瀘溪") == ["泸溪椪柑进入采摘季"]
    assert found_titles("鳳凰古城") == ["凤凰古城游客增多"]


def test_a_story_written_in_traditional_characters_is_found_by_simplified_words():
    live(title="獼猴桃冷庫建成")

    assert found_titles("猕猴桃冷库") == ["獼猴桃冷庫建成"]


def test_a_traditional_query_marks_the_simplified_words_it_found(client):
    live(title="泸溪椪柑进入采摘季")

    assert "<mark>泸溪</mark>椪柑进入采摘季" in results_page(client, q="瀘溪")


# --- Pinyin -------------------------------------------------------------------------------


def test_a_word_is_spelled_in_full_pinyin_and_initials():
    assert vocabulary.spell("泸溪") == ("luxi", "lx")
    assert vocabulary.spell("矮寨大桥") == ("aizhaidaqiao", "azdq")


def test_full_pinyin_and_initials_find_place_names_in_titles():
    live(title="泸溪椪柑进入采摘季")
    live(title="吉首举办招聘会")

    assert found_titles("luxi") == ["泸溪椪柑进入采摘季"]
    assert found_titles("lx") == ["泸溪椪柑进入采摘季"]
    assert found_titles("jishou") == ["吉首举办招聘会"]


def test_pinyin_with_a_chinese_word_must_match_both():
    live(title="泸溪椪柑进入采摘季")
    live(title="泸溪修建新学校")

    assert found_titles("luxi 椪柑") == ["泸溪椪柑进入采摘季"]


def test_a_word_the_vocabulary_learns_on_publication_is_spelled_from_then_on():
    assert found_titles("aizhaidaqiao") == []

    live(title="矮寨大桥迎来客流高峰")

    assert Keyword.objects.get(word="矮寨大桥").pinyin == "aizhaidaqiao"
    assert found_titles("aizhaidaqiao") == ["矮寨大桥迎来客流高峰"]


def test_rebuilding_the_vocabulary_counts_the_titles_using_each_word():
    live(title="泸溪椪柑进入采摘季")
    live(title="泸溪修建新学校")
    Keyword.objects.all().delete()

    vocabulary.rebuild()

    assert Keyword.objects.get(word="泸溪").articles == 2
    assert Keyword.objects.get(word="椪柑").articles == 1


# --- Synonyms -----------------------------------------------------------------------------


def test_a_synonym_finds_stories_that_use_another_term():
    live(title="花垣肉牛养殖合作社年出栏1600头")
    live(title="吉首举办招聘会")
    assert found_titles("养牛") == []

    Synonym.objects.create(terms="养牛 肉牛养殖")
    vocabulary.changed()

    assert found_titles("养牛") == ["花垣肉牛养殖合作社年出栏1600头"]


def test_synonyms_work_both_ways_and_mark_what_was_found(client):
    live(title="凤凰猕猴桃喜获丰收")
    Synonym.objects.create(terms="奇异果，猕猴桃")
    vocabulary.changed()

    assert found_titles("奇异果") == ["凤凰猕猴桃喜获丰收"]
    assert "凤凰<mark>猕猴桃</mark>喜获丰收" in results_page(client, q="奇异果")


def test_a_synonym_group_needs_two_terms():
    with pytest.raises(Exception, match="至少要填两个不同的说法"):
        Synonym(terms="养牛 养牛").full_clean()


def test_managing_editor_keeps_the_synonyms_and_every_search_applies_them(client, staff):
    live(title="花垣肉牛养殖合作社年出栏1600头")
    client.force_login(staff.managing)

    response = client.post(
        "/admin/search/synonym/add/", {"terms": "养牛 肉牛养殖", "note": "读者的说法"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert found_titles("养牛") == ["花垣肉牛养殖合作社年出栏1600头"]
    listing = client.get("/admin/search/synonym/").content.decode()
    assert "养牛 肉牛养殖" in listing


def test_an_editor_cannot_change_the_synonyms(client, staff):
    client.force_login(staff.editor)

    response = client.post("/admin/search/synonym/add/", {"terms": "养牛 肉牛养殖"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Synonym.objects.exists()


# --- 你是不是要找 ---------------------------------------------------------------------------


def test_a_typo_that_sounds_like_a_known_word_is_corrected(client):
    live(title="凤凰古城游客增多")

    html = results_page(client, q="凤皇古城")

    assert "你是不是要找：" in html
    assert '<a href="/search/?q=%E5%87%A4%E5%87%B0%E5%8F%A4%E5%9F%8E">凤凰古城</a>' in html


def test_a_near_miss_is_corrected_by_edit_distance():
    live(title="矮寨大桥迎来客流高峰")

    assert vocabulary.current().correction("矮寨大") == "矮寨大桥"
    assert vocabulary.current().correction("aizhaidaqiaa") == "矮寨大桥"


def test_a_long_query_is_not_corrected():
    live(title="凤凰古城游客增多")

    typed = "凤皇古城春夏秋冬东南西北上下左右前后里外金木水"  # 25 different characters

    assert vocabulary.current().correction(typed) is None


def test_a_query_that_finds_enough_offers_no_correction(client):
    for n in range(3):
        live(title=f"凤凰古城游客增多{n}")

    assert "你是不是要找" not in results_page(client, q="凤凰古城")


def test_nothing_like_a_known_word_offers_no_correction(client):
    live(title="凤凰古城游客增多")

    assert "你是不是要找" not in results_page(client, q="航天飞机")


# --- Sorting ------------------------------------------------------------------------------


def test_results_can_be_sorted_newest_first(client):
    now = timezone.now()
    live(title="椪柑丰收", first_published_at=now - timedelta(days=2))
    live(title="新闻一则", summary="", body="<p>今年的椪柑上市了</p>", first_published_at=now)
    for n in range(3):  # words found everywhere tell nothing: 椪柑 must be rarer
        live(title=f"吉首新闻{n}")

    assert found_titles("椪柑") == ["椪柑丰收", "新闻一则"]
    assert found_titles("椪柑", by_date=True) == ["新闻一则", "椪柑丰收"]
    html = results_page(client, q="椪柑", sort="date")
    assert html.index("新闻一则") < html.index("<mark>椪柑</mark>丰收")


def test_an_unknown_sort_is_reported_and_ignored(client):
    live(title="椪柑上市")

    html = results_page(client, q="椪柑", sort="sideways")

    assert "<mark>椪柑</mark>上市" in html
    assert "sideways" in html  # the error names the choice it refused


# --- Suggestions as you type -------------------------------------------------------------


def test_suggestions_are_known_words_starting_with_the_typed_text(client):
    live(title="泸溪椪柑进入采摘季")
    live(title="泸溪修建新学校")
    live(title="芦笙节开幕")

    assert client.get("/search/suggest/", {"q": "泸"}).json() == {"suggestions": ["泸溪"]}
    assert client.get("/search/suggest/", {"q": "瀘"}).json() == {"suggestions": ["泸溪"]}
    assert client.get("/search/suggest/", {"q": "lu"}).json() == {"suggestions": ["泸溪", "芦笙"]}
    assert client.get("/search/suggest/", {"q": "！"}).json() == {"suggestions": []}


def test_suggestions_take_no_query_once_the_vocabulary_is_read(client, django_assert_num_queries):
    live(title="泸溪椪柑进入采摘季")
    client.get("/search/suggest/", {"q": "泸"})

    for n in range(5):
        live(title=f"泸溪新闻{n}号")
    client.get("/search/suggest/", {"q": "泸"})  # read once after the change
    with django_assert_num_queries(0):
        client.get("/search/suggest/", {"q": "椪"})


def test_the_search_box_offers_suggestions_only_with_its_script(client):
    html = results_page(client, q="椪柑")

    assert 'list="search-suggestions"' in html
    assert 'data-suggest="/search/suggest/"' in html
    assert '<datalist id="search-suggestions"></datalist>' in html
    assert '<script src="/static/search/suggest.js' in html


def test_search_page_reads_the_vocabulary_once_then_keeps_it(client, django_assert_num_queries):
    live(title="泸溪椪柑进入采摘季")
    client.get("/search/", {"q": "luxi"})

    # The kept ranking's page of rows, no vocabulary.
    with django_assert_num_queries(1):
        client.get("/search/", {"q": "luxi"})
