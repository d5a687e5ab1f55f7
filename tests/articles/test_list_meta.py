"""What search engines and share cards read on list pages, and the station's icons."""

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from PIL import Image

from articles.models import ArticleAuthor, Topic
from tests.factories import ArticleFactory, AuthorFactory
from website.icons import SIZES

pytestmark = pytest.mark.django_db


def ld_blocks(html: str) -> list:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    blocks = []
    for text in found:
        data = json.loads(text)
        blocks += data if isinstance(data, list) else [data]
    return blocks


def of_type(html: str, kind: str) -> dict:
    return next(block for block in ld_blocks(html) if block["@type"] == kind)


def head(html: str) -> str:
    return html[: html.index("</head>")]


def list_pages(county_channel) -> dict[str, str]:
    article = ArticleFactory(channel=county_channel, title="椪柑丰收")
    article.tags.add("柑橘产业")
    author = AuthorFactory(name="杨丽芳")
    ArticleAuthor.objects.create(article=article, author=author, position=0)
    topic = Topic.objects.create(title="乡村振兴在湘西", slug="xiangcun")
    return {
        "home": "/",
        "channel": county_channel.get_absolute_url(),
        "tag": f"/tag/{quote(article.tags.first().slug)}/",
        "author": author.get_absolute_url(),
        "topic": topic.get_absolute_url(),
    }, article


def test_every_list_page_has_description_canonical_open_graph_and_json_ld(client, county_channel):
    pages, article = list_pages(county_channel)
    for name, path in pages.items():
        html = head(client.get(path).content.decode())

        assert re.search(r'<meta name="description" content="[^"]{8,}">', html), name
        assert f'<link rel="canonical" href="http://testserver{path}">' in html, name
        assert '<meta property="og:title"' in html, name
        assert (
            '<meta property="og:image" content="http://testserver/static/site/icon-512.png">'
            in html
        )
        page = of_type(html, "CollectionPage")
        assert page["url"] == f"http://testserver{path}"
        assert page["publisher"]["logo"]["url"].endswith("/static/site/icon-512.png")
        crumbs = of_type(html, "BreadcrumbList")["itemListElement"]
        assert crumbs[0]["item"] == "http://testserver/"
        if name != "topic":
            listed = [item["url"] for item in page["mainEntity"]["itemListElement"]]
            assert f"http://testserver{article.get_absolute_url()}" in listed, name


def test_a_channel_breadcrumb_follows_its_lineage(client, county_channel):
    html = client.get(county_channel.get_absolute_url()).content.decode()

    crumbs = of_type(head(html), "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == ["首页", "县市区", "泸溪县"]


def test_a_later_page_of_a_list_is_its_own_canonical_page(client, county_channel, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    ArticleFactory.create_batch(2, channel=county_channel)

    html = client.get(f"{county_channel.get_absolute_url()}?page=2").content.decode()

    assert f'href="http://testserver{county_channel.get_absolute_url()}?page=2"' in head(html)


def test_an_article_without_a_photo_shares_the_station_logo(client, county_channel):
    article = ArticleFactory(channel=county_channel)

    html = client.get(article.get_absolute_url()).content.decode()

    data = of_type(head(html), "NewsArticle")
    assert data["image"] == ["http://testserver/static/site/icon-512.png"]
    assert data["publisher"]["logo"]["url"] == "http://testserver/static/site/icon-512.png"
    assert (
        '<meta property="og:image" content="http://testserver/static/site/icon-512.png">' in html
    )


def test_every_page_names_its_icons_and_both_devices(client):
    html = head(client.get("/").content.decode())

    for name in ("favicon.ico", "icon.svg", "apple-touch-icon.png", "site.webmanifest"):
        assert f"/static/site/{name}" in html
    assert '<meta name="applicable-device" content="pc,mobile">' in html


def test_the_committed_icons_are_the_drawn_sizes():
    folder = Path(settings.BASE_DIR) / "static" / "site"
    for name, size in SIZES.items():
        with Image.open(folder / name) as icon:
            assert icon.size == (size, size), name
    manifest = json.loads((folder / "site.webmanifest").read_text())
    assert {icon["src"] for icon in manifest["icons"]} <= {p.name for p in folder.iterdir()}


def test_the_footer_gives_the_places_to_report_illegal_content(client, settings):
    settings.NEWSROOM_REPORT_PHONE = "0743-8123456"
    settings.NEWSROOM_REPORT_EMAIL = "jubao@example.cn"

    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]

    assert "违法和不良信息举报" in footer
    assert '<a href="tel:12377">12377</a>' in footer
    assert '<a href="tel:0743-8123456">0743-8123456</a>' in footer
    assert '<a href="mailto:jubao@example.cn">jubao@example.cn</a>' in footer
