"""Public pages as a reader gets them: the article page above all."""

import json
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Correction
from tests.factories import (
    ArticleFactory,
    beijing,
    full_article,
    review_through_chain,
)
from website.views.article import public_article

pytestmark = pytest.mark.django_db


def assert_in_order(html: str, *fragments: str) -> None:
    """Every fragment appears in the page, each after the one before it."""
    position = -1
    for fragment in fragments:
        found = html.find(fragment, position + 1)
        assert found != -1, f"{fragment!r} missing (or out of order) in the page"
        position = found


@pytest.fixture
def page(client: Client, full_article: Article) -> str:
    response = client.get(f"/content/2022/04/27/{full_article.pk}.html")
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


# --- The article page -------------------------------------------------------------------


def test_article_page_shows_every_element_in_reading_order(page, full_article):
    assert_in_order(
        page,
        "当前位置：",
        ">首页</a>",
        ">县市区</a>",
        ">泸溪县</a>",
        "产业兴旺",
        "<h1",
        "泸溪椪柑丰收季 果农笑开颜",
        "全县种植面积达十二万亩",
        # Date and source under the headline, where a reader looks for them first.
        '<p class="article__dateline"><time datetime="2022-04-27T09:30:00+08:00">'
        "2022-04-27 09:30</time> <span>来源：红岭网</span></p>",
        "红岭时刻通讯员 杨丽芳 张远 湘西泸溪报道",
        "泸溪县浦市镇的椪柑迎来丰收。",
        '<figure class="photo"><picture>',
        "<figcaption>沅水两岸的椪柑进入采摘期（摄影：向建国）</figcaption>",
        "今年全镇椪柑预计产量超过两万吨。",
        "作者：",
        ">杨丽芳</a>",
        ">张远</a>",
        "编辑：",
        "沈佳",
        "本文为红岭网湘西站原创文章，转载请附上原文出处链接和本声明。",
        f'本文链接：<a href="http://testserver/content/2022/04/27/{full_article.pk}.html"',
        "柑橘产业",
        "相关链接",
        "湘西州柑橘产业发展规划",
        "编辑挑选的相关稿件",
        "频道精选",
        "返回红岭网首页",
        "返回红岭网湘西站首页",
    )


def test_article_page_links_back_to_the_network_and_station_homes(page):
    assert '<a href="https://www.hongling.example/">返回红岭网首页</a>' in page
    assert '<a href="/">返回红岭网湘西站首页</a>' in page


def test_article_page_is_chinese_and_fits_phones(page):
    assert '<html lang="zh-CN">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    scripts = re.findall(r"<script[^>]*>", page)
    # Data, and the read beacon's own small file (audience/beacon.py): no other code.
    assert scripts[0] == '<script type="application/ld+json">'
    assert re.fullmatch(
        r'<script src="/static/audience/beacon\.js" data-url="/read/\d+/" async>', scripts[1]
    )
    assert len(scripts) == 2


def test_reprint_shows_its_attribution_instead_of_the_originality_statement(
    client, county_channel
):
    article = full_article(
        county_channel,
        origin=Article.Origin.REPRINT,
        source="武陵山区观察",
        original_outlet="武陵山区观察",
        original_author="石开明",
        original_title="沅水边的柑橘经济",
        original_url="https://www.wulingguancha.example/2022/0427.html",
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "原创文章" not in html
    assert_in_order(
        html,
        "本文为转载稿件。",
        "武陵山区观察",
        "石开明",
        "《沅水边的柑橘经济》",
        "https://www.wulingguancha.example/2022/0427.html",
    )


def test_permanent_link_uses_the_configured_site_origin(client, full_article, settings):
    settings.NEWSROOM_SITE_URL = "https://xiangxi.hongling.example"

    html = client.get(full_article.get_absolute_url()).content.decode()

    assert f"https://xiangxi.hongling.example/content/2022/04/27/{full_article.pk}.html" in html


def test_read_next_and_previous_link_neighbours_in_the_channel(client, county_channel):
    older = ArticleFactory(channel=county_channel, first_published_at=beijing(2022, 4, 26, 8))
    middle = ArticleFactory(channel=county_channel, first_published_at=beijing(2022, 4, 27, 8))
    newer = ArticleFactory(channel=county_channel, first_published_at=beijing(2022, 4, 28, 8))

    html = client.get(middle.get_absolute_url()).content.decode()

    assert_in_order(html, "阅读下一篇：", older.title, "上一篇：", newer.title)


# --- Permanent URLs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong_date", ["2022/04/28", "2021/04/27", "2022/4/27", "2022/04/7", "0000/00/00"]
)
def test_a_wrong_date_redirects_permanently_to_the_right_url(client, full_article, wrong_date):
    response = client.get(f"/content/{wrong_date}/{full_article.pk}.html")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == f"/content/2022/04/27/{full_article.pk}.html"


def test_url_never_changes_after_edits_and_republication(client, full_article, staff):
    url = full_article.get_absolute_url()
    copy = full_article.start_revision(by=staff.editor)
    copy.title = "改过的标题"
    copy.save()
    review_through_chain(copy, [staff.editor2, staff.managing, staff.chief])
    copy.publish(by=staff.chief)
    full_article.withdraw(by=staff.chief, note="核实")
    full_article.reopen(by=staff.chief)
    review_through_chain(full_article, [staff.editor2, staff.managing, staff.chief])
    full_article.publish(by=staff.chief)

    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "改过的标题" in response.content.decode()


def test_a_draft_is_not_found_by_the_public(client):
    draft = ArticleFactory(draft=True)

    response = client.get(f"/content/2022/04/27/{draft.pk}.html")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert draft.title not in response.content.decode()


def test_a_withdrawn_article_is_gone_and_a_reopened_one_not_found(client, full_article, staff):
    url = full_article.get_absolute_url()
    full_article.withdraw(by=staff.chief, note="事实有误")

    gone = client.get(url)
    full_article.reopen(by=staff.chief)

    assert gone.status_code == HTTPStatus.GONE
    assert "稿件已撤下" in gone.content.decode()
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_an_unknown_article_is_not_found(client):
    assert client.get("/content/2022/04/27/999999.html").status_code == HTTPStatus.NOT_FOUND


def test_only_get_and_head_are_answered(client, full_article):
    response = client.post(full_article.get_absolute_url())

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- Sanitising -------------------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert('xss')</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<p onclick="alert(1)">click</p>',
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="&#106;avascript:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    "<svg onload=alert(1)><circle r=1></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="evil.swf"></object>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{background:red}</style>",
    '<img src="x" style="width:expression(alert(1))">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<details open ontoggle=alert(1)>",
    '<body onload="alert(1)">',
    "<<script>script>alert(1)<</script>/script>",
    '<a href="vbscript:msgbox(1)">vb</a>',
]
FORBIDDEN_IN_OUTPUT = ["<script", "onerror", "onclick", "onload", "ontoggle", "javascript:",
                       "vbscript:", "data:text", "<iframe", "<object", "<svg", "<style",
                       "style=", "<form", "<math"]  # fmt: skip


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_markup_in_the_body_is_removed_before_it_is_stored(payload):
    article = ArticleFactory(body=f"<p>正文</p>{payload}")

    article.refresh_from_db()
    for forbidden in FORBIDDEN_IN_OUTPUT:
        assert forbidden not in article.body.lower()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_markup_never_reaches_the_article_page(client, payload):
    article = ArticleFactory(body=f"<p>正文</p>{payload}")

    html = client.get(article.get_absolute_url()).content.decode().lower()

    body = html[html.index('class="article__body"') : html.index('class="article__meta"')]
    for forbidden in FORBIDDEN_IN_OUTPUT:
        assert forbidden not in body


def test_safe_markup_survives_sanitising():
    body = (
        "<h2>小标题</h2><p><strong>加粗</strong><em>强调</em>"
        '<a href="https://www.example.com/">链接</a></p>'
        '<figure><img src="/media/a.jpg" alt="图"><figcaption>说明</figcaption></figure>'
        "<table><tbody><tr><td>名单</td></tr></tbody></table>"
    )

    article = ArticleFactory(body=body)

    assert "<h2>小标题</h2>" in article.body
    assert '<a href="https://www.example.com/" rel="noopener noreferrer">链接</a>' in article.body
    assert '<img src="/media/a.jpg" alt="图">' in article.body
    assert "<td>名单</td>" in article.body


def test_titles_and_names_are_escaped(client):
    article = ArticleFactory(title="<b>标题</b><script>alert(1)</script>", summary="<i>x</i>")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "&lt;b&gt;标题&lt;/b&gt;&lt;script&gt;" in html
    assert "<script>alert(1)" not in html


# --- Languages --------------------------------------------------------------------------


def test_pages_speak_chinese_by_default(client, full_article):
    html = client.get("/").content.decode()

    assert '<html lang="zh-CN">' in html
    assert "最新稿件" in html


def test_pages_speak_english_to_readers_who_switch_to_it(client, full_article):
    html = client.get("/", headers={"cookie": "django_language=en"}).content.decode()

    assert '<html lang="en">' in html
    assert "Latest" in html
    assert "最新稿件" not in html


def test_an_english_reader_first_leaves_the_article_page_chinese_for_the_next(
    client, full_article
):
    client.get(full_article.get_absolute_url(), headers={"cookie": "django_language=en"})

    html = client.get(full_article.get_absolute_url()).content.decode()

    assert_in_order(html, "标签：", "相关链接", "上一篇：", "频道精选")


# --- Query counts -----------------------------------------------------------------------

# Cold: every cache empty. Warm: the page's fragments and the channel tree cached, as
# they are for all but the first reader after a change. Cold reads the article, the
# channel tree, what surrounds the article (相关链接, 上一篇 and 阅读下一篇: one UNION where
# the database can limit each part of it, else four queries), then tags, credits and
# corrections for the fragments, in one query. Warm reads the article alone.
SURROUNDINGS_QUERIES = 1 if connection.features.supports_slicing_ordering_in_compound else 4
ARTICLE_PAGE_QUERIES = {"cold": 3 + SURROUNDINGS_QUERIES, "warm": 1}


def add_noise(channel, count: int) -> None:
    """More articles, tags, credits and picks around the page under test."""
    for n in range(count):
        other = full_article(
            channel, title=f"噪声稿件{n}", first_published_at=beijing(2022, 3, n + 1)
        )
        other.tags.add(f"额外标签{n}")


@pytest.mark.parametrize("state", ["cold", "warm"])
def test_article_page_query_count_does_not_grow_with_data(full_article, queries_for, state):
    url = full_article.get_absolute_url()
    before = queries_for(url, warm=state == "warm")

    add_noise(full_article.channel, 5)
    full_article.tags.add("更多标签", "再多一个")

    assert before == queries_for(url, warm=state == "warm") == ARTICLE_PAGE_QUERIES[state]


def test_tags_credits_and_corrections_are_read_together_each_in_its_own_order(
    full_article, django_assert_num_queries
):
    ArticleAuthor.objects.filter(article=full_article, position=0).update(position=2)
    later, earlier = (
        Correction.objects.create(article=full_article, text=text) for text in ("后", "先")
    )
    Correction.objects.filter(pk=earlier.pk).update(created_at=beijing(2022, 4, 28, 8, 0))
    Correction.objects.filter(pk=later.pk).update(created_at=beijing(2022, 4, 29, 8, 0))
    article = Article.objects.get(pk=full_article.pk)

    with django_assert_num_queries(1):
        tags, credits, corrections = (
            article.tag_list,
            article.credit_list,
            article.correction_list,
        )

    assert tags == list(full_article.tags.all())
    assert [c.author.name for c in credits] == ["张远", "杨丽芳"]
    assert [c.role_label() for c in credits] == [
        c.role_label() for c in full_article.credits.select_related("author")
    ]
    assert [(c.text, c.created_at) for c in corrections] == [
        ("先", beijing(2022, 4, 28, 8, 0)),
        ("后", beijing(2022, 4, 29, 8, 0)),
    ]


def test_the_page_loads_its_article_as_the_public_for_page_queryset_does(full_article):
    scheduled = ArticleFactory(first_published_at=timezone.now() + timedelta(hours=1))
    expired = ArticleFactory(
        first_published_at=beijing(2022, 4, 1, 8, 0), expire_at=beijing(2022, 4, 2, 8, 0)
    )
    expected = Article.objects.published().for_page().get(pk=full_article.pk)

    loaded = public_article(full_article.pk)

    assert vars(loaded) | {"_state": None} == vars(expected) | {"_state": None}
    assert vars(loaded._state) == vars(expected._state)
    assert loaded.editor_name == "沈佳"
    assert loaded.cover_renditions == expected.cover_renditions
    assert public_article(scheduled.pk) is None
    assert public_article(expired.pk) is None


def test_public_pages_set_no_cookie_so_they_can_be_cached_for_everyone(client, full_article):
    for path in ["/", "/channel/xianshiqu/", full_article.get_absolute_url()]:
        response = client.get(path)

        assert not response.cookies, path
        assert "Cookie" not in response.get("Vary", ""), path


def test_reader_can_switch_the_site_to_english_without_javascript(full_article):
    client = Client(enforce_csrf_checks=True)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert "Latest articles" in client.get("/").content.decode()


# --- For machines: structured data, sharing cards, the regulatory footer ------------------


def structured_data(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_article_page_describes_itself_as_a_news_article(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()

    data = structured_data(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "泸溪椪柑丰收季 果农笑开颜"
    assert data["datePublished"] == "2022-04-27T09:30:00+08:00"
    assert data["dateModified"] == data["datePublished"]
    assert [a["name"] for a in data["author"]] == ["杨丽芳", "张远"]
    assert data["publisher"]["name"] == "红岭网湘西站"
    assert data["image"][0].startswith("http://testserver/media/")
    assert data["mainEntityOfPage"]["@id"] == f"http://testserver{full_article.get_absolute_url()}"


def test_structured_data_carries_corrections(client, full_article):
    full_article.corrections.create(text="更正了产量数字")

    data = structured_data(client.get(full_article.get_absolute_url()).content.decode())

    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert data["correction"][0]["text"] == "更正了产量数字"


def test_structured_data_cannot_be_broken_out_of(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>", summary="a & b <i>")

    html = client.get(article.get_absolute_url()).content.decode()

    assert html.count("</script>") == 2  # the JSON-LD and the read beacon's file
    assert "<script>alert" not in html
    assert structured_data(html)["headline"] == "</script><script>alert(1)</script>"


def test_article_page_has_sharing_cards(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()

    for tag in [
        '<meta property="og:type" content="article">',
        '<meta property="og:title" content="泸溪椪柑丰收季 果农笑开颜">',
        f'<meta property="og:url" content="http://testserver{full_article.get_absolute_url()}">',
        '<meta property="og:locale" content="zh_CN">',
        '<meta property="article:tag" content="乡村振兴">',
        '<meta name="twitter:card" content="summary_large_image">',
    ]:
        assert tag in html


def test_every_page_carries_the_regulatory_footer(client, full_article, settings):
    settings.NEWSROOM_ICP_NUMBER = "湘ICP备12345678号-1"
    settings.NEWSROOM_PSB_FILING = "湘公网安备43310102000123号"
    settings.NEWSROOM_NEWS_LICENCE = "43120170099"

    for path in ["/", full_article.get_absolute_url()]:
        html = client.get(path).content.decode()
        assert (
            '<a href="https://beian.miit.gov.cn/" rel="noopener">湘ICP备12345678号-1</a>' in html
        )
        assert "webSearch?code=43310102000123" in html
        assert "互联网新闻信息服务许可证：43120170099" in html
