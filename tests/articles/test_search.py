"""站内搜索: what a reader finds, what they never find, and how the index keeps up."""

import re
from datetime import timedelta
from http import HTTPStatus
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format

from articles.models import Article, Channel, SearchEntry
from delivery import freshness
from search import search, searchpage
from search.forms import SearchForm
from tests.factories import ArticleFactory, ChannelFactory, beijing, review_through_chain

pytestmark = pytest.mark.django_db


def live(**fields) -> Article:
    """A published article, indexed as the workflow would index it."""
    article = ArticleFactory(**fields)
    search.index_article(article)
    return article


def results_page(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def found_titles(**params) -> list[str]:
    """Titles of the ranked results, best first, as the search page gets them."""
    criteria = search.Criteria(search.parse_query(params.pop("q")), **params)
    return [a.title for a in search.results(Article.objects.published(), criteria)]


# --- Words ------------------------------------------------------------------------------


def test_local_place_names_stay_whole_words():
    words = search.index_words("泸溪县浦市镇的椪柑搭上冷链，游客登上矮寨大桥")

    assert {"浦市镇", "浦市", "椪柑", "矮寨大桥", "矮寨", "泸溪县", "泸溪"} <= set(words)
    assert "的" not in words


def test_a_query_is_cut_into_words_and_stripped_of_syntax():
    query = search.parse_query('  泸溪椪柑 "OR" ＡＢＣ*  (NEAR) --; 的 ')

    assert [term.word for term in query.terms] == ["泸溪", "椪柑", "or", "abc", "near"]


@pytest.mark.parametrize("text", ["", "   ", "！？。，", "...---***", "的", "<>&\"'"])
def test_queries_without_letters_or_digits_have_no_terms(text):
    assert search.parse_query(text).terms == ()


def test_a_one_character_query_matches_words_that_start_with_it():
    live(title="茶叶基地开园")
    live(title="山坡茶园管护忙")
    live(title="椪柑丰收")

    assert set(found_titles(q="茶")) == {"茶叶基地开园", "山坡茶园管护忙"}


def test_a_long_word_also_matches_text_cut_into_its_parts():
    live(title="新一轮乡村振兴重点任务")  # jieba cuts this "乡村 / 振兴"

    assert found_titles(q="乡村振兴") == ["新一轮乡村振兴重点任务"]


def test_a_very_long_query_is_shortened_not_refused():
    query = search.parse_query("湘西" * 300)

    assert query.shortened
    assert len(query.terms) <= search.MAX_QUERY_WORDS


def test_repeated_paragraphs_are_cut_only_once():
    paragraph = "<p>湘西州持续推进特色产业提质增效，椪柑、猕猴桃、茶叶产业综合产值稳步提升。</p>"
    search.index_words.cache_clear()

    for n in range(3):
        search.index_article(ArticleFactory(title=f"批量稿件{n}", body=paragraph * 2))

    assert search.index_words.cache_info().hits >= 5


# --- Ranking ----------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_body_match():
    moment = timezone.now() - timedelta(days=3)
    live(title="山区公路建设", body="<p>猕猴桃顺着新路运出山。</p>", first_published_at=moment)
    live(title="猕猴桃喜获丰收", body="<p>果农忙采摘。</p>", first_published_at=moment)

    assert found_titles(q="猕猴桃") == ["猕猴桃喜获丰收", "山区公路建设"]


def test_among_equally_relevant_articles_the_newer_comes_first():
    now = timezone.now()
    live(title="龙山萝卜丰收", first_published_at=now - timedelta(days=200))
    live(title="龙山萝卜上市", first_published_at=now - timedelta(days=1))

    assert found_titles(q="龙山萝卜") == ["龙山萝卜上市", "龙山萝卜丰收"]


def test_every_word_of_the_query_must_match():
    live(title="泸溪椪柑进入采摘季")
    live(title="凤凰猕猴桃进入采摘季")

    assert found_titles(q="泸溪 采摘") == ["泸溪椪柑进入采摘季"]
    assert found_titles(q="泸溪 tea") == []


# --- The search page --------------------------------------------------------------------


def test_every_page_has_a_search_form_that_works_without_javascript(client):
    html = client.get("/").content.decode()

    assert '<form class="site-search" role="search" action="/search/" method="get">' in html
    assert '<label class="visually-hidden" for="site-search-q">搜索本站稿件</label>' in html
    assert '<input id="site-search-q" type="search" name="q"' in html
    assert '<button type="submit">搜索</button>' in html


def test_results_show_marked_titles_and_snippets_and_a_count(client):
    article = live(
        title="泸溪椪柑进入采摘季",
        summary="果农忙着分拣装车。",
        body="<p>开头一段。</p><p>今年泸溪县椪柑优质果率提升至七成左右。</p>",
    )

    html = results_page(client, q="椪柑")

    assert "“椪柑”共找到 1 篇稿件" in html
    assert f'href="{article.get_absolute_url()}">泸溪<mark>椪柑</mark>进入采摘季</a>' in html
    assert "今年泸溪县<mark>椪柑</mark>优质果率提升至七成左右。" in html


def test_a_result_shows_its_channel_and_beijing_time_as_the_date_filter_writes_it(
    client, county_channel
):
    article = live(
        title="椪柑上市", channel=county_channel, first_published_at=beijing(2024, 11, 1, 8, 5, 9)
    )
    moment = timezone.localtime(article.first_published_at)

    html = results_page(client, q="椪柑")

    assert (
        f'<a href="{county_channel.get_absolute_url()}">泸溪县</a> · '
        f'<time datetime="{date_format(moment, "c")}">{date_format(moment, "Y-m-d H:i")}</time>'
    ) in html
    assert 'datetime="2024-11-01T08:05:09+08:00">2024-11-01 08:05</time>' in html


def test_the_channel_list_shows_the_chosen_channel_and_the_channels_as_they_are_now(
    client, county_channel
):
    live(title="椪柑丰收", channel=county_channel)

    chosen = results_page(client, q="椪柑", channel="luxixian")
    Channel.objects.filter(pk=county_channel.pk).update(name="泸溪")
    freshness.touch("site")  # as the admin does when a channel is saved
    renamed = results_page(client, q="椪柑")

    assert '<option value="luxixian" selected>\u3000泸溪县</option>' in chosen
    assert '<option value="luxixian">\u3000泸溪</option>' in renamed
    assert "泸溪县" not in renamed


def test_the_summary_is_the_snippet_when_it_holds_a_match(client):
    live(title="凤凰古城", summary="沱江夜游焕新升级。", body="<p>沱江两岸灯火通明。</p>")

    html = results_page(client, q="沱江")

    assert "<mark>沱江</mark>夜游焕新升级。" in html
    assert "两岸灯火通明" not in html


def test_a_long_body_gives_a_window_around_the_match(client):
    body = "<p>" + "前文" * 100 + "关键的拉拉渡重新迎客" + "后文" * 100 + "</p>"
    live(title="边城古码头修缮完工", body=body)

    html = results_page(client, q="拉拉渡")

    snippet = html[html.index('<p class="search-hit__snippet">') :].split("</p>")[0]
    assert snippet.startswith('<p class="search-hit__snippet">…')
    assert snippet.endswith("…")
    assert "关键的<mark>拉拉渡</mark>重新迎客后文" in snippet
    assert len(snippet) < 200


@pytest.mark.parametrize(
    "body",
    [
        "<p>开头一段。</p><p>今年泸溪县椪柑优质果率提升。</p><p>椪柑又一段。</p>",
        "<p>椪</p><p>柑</p>",
        "<p><strong>椪</strong>柑分两截写</p>",
        "<p>第一行\n椪柑在第二行</p>",
        "<h2>小标题</h2>正文 &amp; 椪柑 &lt;b&gt;不是标签&lt;/b&gt;",
        "<p>换行<br>后的椪柑<br/>再换行</p>末尾没有段落的椪柑",
        "<ul><li>一</li><li>  椪柑   空白  多 </li></ul><table><tr><td>椪柑</td></tr></table>",
        "<p>没有匹配</p>",
        "",
    ],
)
def test_the_snippet_passage_is_the_first_paragraph_holding_a_match(body):
    pattern = re.compile("椪柑|椪")
    expected = next(
        ((text, m.span()) for text in search.paragraphs(body) if (m := pattern.search(text))),
        None,
    )

    passage = searchpage.first_passage(body, pattern)

    assert (passage and (passage[0], passage[1].span())) == expected


def test_a_broad_query_ranks_only_the_newest_matches(client, monkeypatch):
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    now = timezone.now()
    for days in range(1, 6):
        live(title=f"湘西新闻{days}", first_published_at=now - timedelta(days=days))
    live(title="湘西湘西湘西", body="<p>湘西</p>", first_published_at=now - timedelta(days=30))

    html = results_page(client, q="湘西")

    assert "“湘西”找到的稿件很多，以下按相关度排列其中最新的 3 篇" in html
    assert found_titles(q="湘西") == ["湘西新闻1", "湘西新闻2", "湘西新闻3"]


def test_recency_settings_take_effect_on_the_search_page(client, monkeypatch):
    now = timezone.now()
    live(title="湘西新闻", first_published_at=now - timedelta(days=1))
    live(title="湘西湘西", body="<p>湘西</p>", first_published_at=now - timedelta(days=400))
    newer_first = results_page(client, q="湘西")

    monkeypatch.setattr(search, "RECENCY_WEIGHT", 0.0)
    cache.clear()  # the ranking kept was made with the former weight
    relevance_only = results_page(client, q="湘西")

    assert newer_first.index("新闻</a>") < newer_first.index("<mark>湘西</mark><mark>湘西</mark>")
    assert relevance_only.index("新闻</a>") > relevance_only.index(
        "<mark>湘西</mark><mark>湘西</mark>"
    )


def test_a_page_past_the_only_page_of_results_is_the_last(client, django_assert_num_queries):
    live(title="椪柑丰收")
    client.get("/search/", {"q": "椪柑", "page": "5"})  # the channel tree is cached

    with django_assert_num_queries(1):  # the ranking is kept: the last page's rows
        html = results_page(client, q="椪柑", page="5")

    assert "<mark>椪柑</mark>丰收" in html


def test_nothing_found_says_so(client):
    live(title="泸溪椪柑进入采摘季")

    html = results_page(client, q="航天飞机")

    assert "“航天飞机”共找到 0 篇稿件" in html
    assert "没有找到相关稿件" in html


def test_without_keywords_the_page_explains_itself(client):
    html = results_page(client)

    assert "输入关键词，搜索本站已发布的稿件" in html
    assert "共找到" not in html


def test_channel_filter_includes_sub_channels(client, county_channel):
    live(title="县市区椪柑产业", channel=county_channel.parent)
    live(title="泸溪县椪柑丰收", channel=county_channel)
    live(title="经济版椪柑行情", channel=ChannelFactory(slug="jingji", name="经济"))

    html = results_page(client, q="椪柑", channel="xianshiqu")

    assert "县市区<mark>椪柑</mark>产业" in html
    assert "泸溪县<mark>椪柑</mark>丰收" in html
    assert "行情" not in html
    assert '<option value="luxixian">\u3000泸溪县</option>' in html


def test_date_filter_keeps_the_days_given_in_beijing_time(client):
    live(title="椪柑开园", first_published_at=beijing(2024, 11, 1, 0, 5))
    live(title="椪柑上市", first_published_at=beijing(2024, 11, 10, 23, 55))
    live(title="椪柑收尾", first_published_at=beijing(2024, 11, 11, 0, 5))

    html = results_page(client, q="椪柑", date_from="2024-11-01", date_to="2024-11-10")

    assert "<mark>椪柑</mark>开园" in html
    assert "<mark>椪柑</mark>上市" in html
    assert "收尾" not in html


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"channel": "no-such-channel"}, "选择一个有效的选项"),
        ({"date_from": "2024-13-45"}, "输入一个有效的日期"),
        ({"date_to": "yesterday"}, "输入一个有效的日期"),
        ({"date_from": "2024-12-01", "date_to": "2024-01-01"}, "截止日期不能早于起始日期"),
    ],
)
def test_an_invalid_filter_is_reported_and_the_search_still_runs(client, params, error):
    live(title="椪柑丰收", first_published_at=beijing(2024, 6, 1))

    html = results_page(client, q="椪柑", **params)

    assert error in html
    assert "<mark>椪柑</mark>丰收" in html


def test_results_are_paginated_keeping_the_query_and_filters(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    channel = ChannelFactory(slug="jingji", name="经济")
    for day in range(1, 6):
        live(title=f"猕猴桃行情{day}号", channel=channel, first_published_at=beijing(2024, 1, day))

    html = results_page(client, q="猕猴桃", channel="jingji", page="2")

    assert "第 2 页，共 3 页" in html
    assert 'href="?q=%E7%8C%95%E7%8C%B4%E6%A1%83&amp;channel=jingji&amp;page=3"' in html
    assert "上一页" in html
    assert "下一页" in html
    assert '<ol class="search-results__list" start="3">' in html


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1.5", "", "2" * 40])
def test_odd_page_numbers_give_the_nearest_page(client, page):
    live(title="猕猴桃丰收")

    html = results_page(client, q="猕猴桃", page=page)

    assert "<mark>猕猴桃</mark>丰收" in html


@pytest.mark.parametrize(
    "wanted", [None, "1", "2", "3", "4", "0", "-1", "abc", "1.5", "", "2" * 40]
)
def test_a_page_of_results_is_the_page_the_paginator_gives(wanted):
    for day in range(1, 6):
        live(title=f"猕猴桃行情{day}号", first_published_at=beijing(2024, 1, day))
    criteria = search.Criteria(search.parse_query("猕猴桃"))
    ranked = search.results(Article.objects.published(), criteria)
    expected = Paginator(ranked, 2).get_page(wanted)

    page = searchpage.found(criteria, wanted, 2)

    assert (page.number, page.paginator.count) == (expected.number, 5)
    assert [a.pk for a in page.object_list] == [a.pk for a in expected.object_list]


def test_a_ranking_is_kept_and_a_page_then_reads_only_its_rows(django_assert_num_queries):
    for day in range(1, 6):
        live(title=f"猕猴桃行情{day}号", first_published_at=beijing(2024, 1, day))
    criteria = search.Criteria(search.parse_query("猕猴桃"))
    freshness.keep_seconds()  # the next scheduled change: looked up once for every copy

    with django_assert_num_queries(2):  # the ranked ids, then the page's rows
        first = searchpage.found(criteria, "1", 2)
    with django_assert_num_queries(1):  # the page's rows
        second = searchpage.found(criteria, "2", 2)

    assert [a.title for a in first] + [a.title for a in second] == [
        f"猕猴桃行情{day}号" for day in (5, 4, 3, 2)
    ]


def test_a_change_to_the_index_drops_the_kept_rankings(client):
    live(title="猕猴桃丰收")
    assert "共找到 1 篇" in results_page(client, q="猕猴桃")

    newer = live(title="猕猴桃上市")
    assert "共找到 2 篇" in results_page(client, q="猕猴桃")

    search.unindex_article(newer)
    assert "共找到 1 篇" in results_page(client, q="猕猴桃")


def test_a_kept_ranking_is_dropped_again_once_the_change_is_committed(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    live(title="猕猴桃丰收")
    with django_capture_on_commit_callbacks(execute=False) as committing:
        live(title="猕猴桃上市")
        results_page(client, q="猕猴桃")  # ranked while the change may not be visible yet
    for callback in committing:
        callback()
    freshness.keep_seconds()  # the next scheduled change: looked up once for every copy

    with django_assert_num_queries(2):  # ranked afresh, then the page's rows
        results_page(client, q="猕猴桃")


CRITERIA_SHAPES = {
    "words": {},
    "section": {"channel": "xianshiqu"},
    "sub-channel": {"channel": "luxixian"},
    "dates": {"since": beijing(2024, 1, 2).date(), "until": beijing(2024, 1, 4).date()},
    "since": {"since": beijing(2024, 1, 3).date()},
}


@pytest.mark.parametrize("shape", CRITERIA_SHAPES)
@pytest.mark.parametrize("wanted", [None, "2", "3", "9", "0", "-1", "abc", "2" * 40])
def test_the_search_page_reads_the_page_the_ranked_query_gives(shape, wanted, county_channel):
    for day in range(1, 6):
        channel = county_channel if day % 2 else county_channel.parent
        live(title=f"猕猴桃行情{day}号", channel=channel, first_published_at=beijing(2024, 1, day))
    live(
        title="猕猴桃",
        channel=ChannelFactory(slug="jingji"),
        first_published_at=beijing(2024, 1, 3),
    )
    filters = dict(CRITERIA_SHAPES[shape])
    if "channel" in filters:
        filters["channel"] = Channel.objects.get(slug=filters["channel"])
    criteria = search.Criteria(search.parse_query("猕猴桃 行情"), **filters)
    expected = Paginator(search.results(searchpage._shown(), criteria), 2).get_page(wanted)

    page = searchpage.found(criteria, wanted, 2)

    assert (page.number, page.paginator.count) == (expected.number, expected.paginator.count)
    shown = [(a.pk, a.title, a.summary, a.body, a.channel_id, a.first_published_at)
             for a in page.object_list]  # fmt: skip
    assert shown == [
        (a.pk, a.title, a.summary, a.body, a.channel_id, a.first_published_at)
        for a in expected.object_list
    ]
    assert page.object_list[0].get_deferred_fields() == expected[0].get_deferred_fields()


def test_a_search_that_finds_nothing_has_an_empty_first_page():
    criteria = search.Criteria(search.parse_query("航天飞机"))

    page = searchpage.found(criteria, "1", 10)

    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": "椪柑", "channel": "luxixian", "date_from": "2024-01-01"},
        {"q": '"><script>', "channel": "nowhere", "date_from": "2024-13-45", "date_to": "x"},
        {"q": "茶", "date_from": "2024-05-01", "date_to": "2024-04-01"},
    ],
)
def test_search_form_fields_are_drawn_by_their_own_widgets(data, county_channel):
    ChannelFactory(name="泸溪县", slug="luxixian", parent=county_channel)
    form = SearchForm(data, channels=list(Channel.objects.order_by("position", "id")))
    form.is_valid()

    html = render_to_string("articles/includes/search_form.html", {"form": form})

    for field in form:
        assert str(field) in html, field.name


HOSTILE = [
    "",
    "茶",
    "湘",
    "x",
    "湘西" * 250,
    "a" * 500,
    "！？。，、；：“”",
    "...---***///",
    "湘西 tea 5G",
    "App下载 湘西州",
    "' OR 1=1 --",
    '"; DROP TABLE articles_article; --',
    "1; SELECT * FROM auth_user",
    '椪柑" OR "1"="1',
    "NEAR(椪柑 采摘) AND NOT x*",
    "椪柑:* & !采摘 | (",
    "^椪柑",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "&lt;b&gt;椪柑&amp;",
    "%00%27",
    "\u200b\u3000\t",
]


@pytest.mark.parametrize("q", HOSTILE)
def test_odd_and_hostile_queries_get_a_sensible_page(client, q):
    live(title="泸溪椪柑进入采摘季", summary="湘西 App 下载量增长，茶园采摘忙。")

    response = client.get("/search/", {"q": q, "channel": "<b>", "date_from": "<i>"})

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "<b>" not in html
    assert "<i>" not in html


def test_a_null_character_is_refused_politely(client):
    response = client.get("/search/", {"q": "椪柑\x00"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "不可见的控制字符" in response.content.decode()


def test_markup_in_titles_and_bodies_is_escaped_around_the_marks(client):
    live(
        title="<b>椪柑</b><script>alert(1)</script>",
        summary="",
        body="<p>椪柑 &lt;script&gt;alert(2)&lt;/script&gt;</p>",
    )

    html = results_page(client, q="椪柑")

    assert "&lt;b&gt;<mark>椪柑</mark>&lt;/b&gt;&lt;script&gt;" in html
    assert "<mark>椪柑</mark> &lt;script&gt;alert(2)" in html
    assert "<script>alert" not in html


def test_search_page_speaks_english_to_readers_who_switched_to_it(client):
    live(title="椪柑丰收")

    html = client.get("/search/", {"q": "椪柑"}, headers={"cookie": "django_language=en"})

    assert "“椪柑”: 1 article found" in html.content.decode()


def test_search_page_sets_no_cookie_and_is_kept_out_of_search_engines(client):
    response = client.get("/search/", {"q": "椪柑"})

    assert not response.cookies
    assert '<meta name="robots" content="noindex, follow">' in response.content.decode()


# --- Never anything the public may not see ----------------------------------------------


@pytest.fixture
def desk(staff):
    return SimpleNamespace(**vars(staff), reviewers=[staff.editor, staff.managing, staff.chief])


def approved(desk, **fields) -> Article:
    article = ArticleFactory(draft=True, created_by=desk.writer, **fields)
    review_through_chain(article, desk.reviewers)
    return article


def test_unpublished_articles_are_never_found(client, desk):
    ArticleFactory(title="草稿椪柑", draft=True)
    in_review = ArticleFactory(title="审核中椪柑", draft=True, created_by=desk.writer)
    in_review.submit(by=desk.writer)
    approved(desk, title="待发布椪柑")
    approved(desk, title="定时椪柑").publish(by=desk.chief, at=timezone.now() + timedelta(days=1))
    live(title="已过期椪柑", expire_at=timezone.now() - timedelta(minutes=1),
         first_published_at=timezone.now() - timedelta(days=2))  # fmt: skip
    withdrawn = approved(desk, title="已撤稿椪柑")
    withdrawn.publish(by=desk.chief)
    withdrawn.withdraw(by=desk.chief, note="事实有误")
    live(title="公开的椪柑")

    html = results_page(client, q="椪柑")

    assert "共找到 1 篇稿件" in html
    assert "公开的" in html
    for hidden in ["草稿", "审核中", "待发布", "定时", "已过期", "已撤稿"]:
        assert hidden not in html


def test_a_scheduled_article_is_found_only_from_its_time(desk, django_capture_on_commit_callbacks):
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        approved(desk, title="定时发布的椪柑稿件").publish(by=desk.chief, at=moment)

    with time_machine.travel(moment - timedelta(seconds=1), tick=False):
        assert found_titles(q="椪柑") == []
    with time_machine.travel(moment, tick=False):
        assert found_titles(q="椪柑") == ["定时发布的椪柑稿件"]


def test_an_expiring_notice_is_no_longer_found_after_it_expires(
    desk, django_capture_on_commit_callbacks
):
    article = approved(desk, title="征收椪柑园土地的公示")
    Article.objects.filter(pk=article.pk).update(expire_at=timezone.now() + timedelta(days=5))
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        article.publish(by=desk.chief)

    with time_machine.travel(article.expire_at - timedelta(seconds=1), tick=False):
        assert found_titles(q="椪柑") == ["征收椪柑园土地的公示"]
    with time_machine.travel(article.expire_at, tick=False):
        assert found_titles(q="椪柑") == []


def test_a_working_copy_is_never_found_nor_shown_until_it_goes_live(
    client, desk, django_capture_on_commit_callbacks
):
    article = approved(desk, title="椪柑丰收", summary="", body="<p>原来的正文。</p>")
    with django_capture_on_commit_callbacks(execute=True):
        article.publish(by=desk.chief)
    copy = article.start_revision(by=desk.writer)
    copy.body = "<p>修订中的椪柑正文，含未核实的猕猴桃数字。</p>"
    copy.save()
    review_through_chain(copy, desk.reviewers)

    assert "猕猴桃" not in results_page(client, q="椪柑")
    assert found_titles(q="猕猴桃") == []

    with django_capture_on_commit_callbacks(execute=True):
        copy.publish(by=desk.chief, note="补充数据")

    assert found_titles(q="猕猴桃") == ["椪柑丰收"]
    assert found_titles(q="原来") == []
    assert SearchEntry.objects.count() == 1


def test_the_workflow_keeps_the_index_in_step(desk, django_capture_on_commit_callbacks):
    article = approved(desk, title="椪柑稿件")
    with django_capture_on_commit_callbacks(execute=True):
        article.publish(by=desk.chief, at=timezone.now() + timedelta(days=1))
    assert SearchEntry.objects.filter(article=article).exists()

    with django_capture_on_commit_callbacks(execute=True):
        article.unschedule(by=desk.chief)
    assert not SearchEntry.objects.filter(article=article).exists()

    with django_capture_on_commit_callbacks(execute=True):
        article.publish(by=desk.chief)
    assert SearchEntry.objects.filter(article=article).exists()

    with django_capture_on_commit_callbacks(execute=True):
        article.withdraw(by=desk.chief, note="撤稿")
    assert not SearchEntry.objects.filter(article=article).exists()


# --- Bulk indexing and the command ------------------------------------------------------


def test_bulk_indexing_takes_the_same_statements_for_many_articles(django_assert_num_queries):
    channel = ChannelFactory()
    for n in range(30):
        ArticleFactory(title=f"椪柑快讯{n}", channel=channel)
    ArticleFactory(title="椪柑草稿", channel=channel, draft=True)
    rows = Article.objects.prefetch_related("tags")
    statements = 4  # a delete and an upsert for each batch (vectors in it, on PostgreSQL)

    with django_assert_num_queries(statements):
        assert search.index_articles(rows, batch_size=100) == 30

    assert len(found_titles(q="椪柑快讯")) == 30


def test_reindex_command_indexes_published_articles_and_drops_the_rest(capsys):
    ArticleFactory(title="椪柑一号")
    ArticleFactory(title="椪柑二号", first_published_at=timezone.now() + timedelta(days=1))
    stale = live(title="椪柑旧稿")
    Article.objects.filter(pk=stale.pk).update(status=Article.Status.WITHDRAWN)

    call_command("reindex_search")

    # The vocabulary is counted afresh too: 椪柑, 一号, 二号 (the withdrawn title's 旧稿 not).
    assert (
        "Indexed 2 articles; dropped 1 stale rows; 3 words in the vocabulary."
        in capsys.readouterr().out
    )
    assert set(SearchEntry.objects.values_list("article__title", flat=True)) == {
        "椪柑一号",
        "椪柑二号",
    }
    assert found_titles(q="椪柑") == ["椪柑一号"]


# --- Query counts -----------------------------------------------------------------------

# A new search: its ranked ids, then its page's rows (channels come from the cache); a
# search already ranked: the page's rows only. Nothing found: no rows to read.
RANKING_QUERIES, PAGE_QUERIES = 1, 1


def add_articles(channel, count: int) -> None:
    for n in range(count):
        article = live(title=f"椪柑稿件{n}", channel=channel, body="<p>椪柑丰收。</p>" * 5)
        article.tags.add(f"标签{n}")


@pytest.mark.parametrize(
    ("params", "new", "repeated"),
    [
        ({"q": "椪柑"}, RANKING_QUERIES + PAGE_QUERIES, PAGE_QUERIES),
        ({"q": "椪柑", "channel": "xianshiqu", "date_from": "2020-01-01"}, 2, 1),
        ({"q": "椪柑", "page": "2"}, RANKING_QUERIES + PAGE_QUERIES, PAGE_QUERIES),
        ({"q": "航天飞机"}, RANKING_QUERIES, 0),
        ({"q": "！！"}, 0, 0),  # no words: nothing searched
        ({}, 0, 0),
    ],
)
def test_search_page_query_count_does_not_grow_with_data(
    client, county_channel, settings, django_assert_num_queries, params, new, repeated
):
    settings.NEWSROOM_PAGE_SIZE = 3
    for count in (4, 12):
        add_articles(county_channel, count)  # the index changed: the search is new again
        client.get("/search/", {"q": "！！"})  # the channel tree and vocabulary, then kept
        freshness.keep_seconds()  # the next scheduled change: looked up once for all
        with django_assert_num_queries(new):
            client.get("/search/", params)
        with django_assert_num_queries(repeated):
            client.get("/search/", params)


@pytest.mark.parametrize("code", ["260e4ff2b7", "COVID-19", "G56"])
def test_a_code_the_database_cuts_in_pieces_is_still_found(code):
    live(title="泸溪椪柑进入采摘季", body=f"<p>批次编号 {code} 的椪柑已运抵长沙。</p>")

    assert found_titles(q=code) == ["泸溪椪柑进入采摘季"]
