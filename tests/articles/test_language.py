"""Chinese first: the public site speaks Chinese to every browser, English only by choice."""

from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = "en-US,en;q=0.9"
NGINX_CONF = Path(settings.BASE_DIR) / "deploy" / "nginx" / "newsroom.conf"


def test_an_english_browser_reads_the_home_page_in_chinese(client, full_article):
    response = client.get("/", headers={"accept-language": ENGLISH_BROWSER})

    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert ">首页</a>" in html
    assert ">Home</a>" not in html
    assert response["Content-Language"] == "zh-hans"


def test_an_english_browser_gets_a_chinese_story_with_chinese_surroundings(client, full_article):
    html = client.get(
        full_article.get_absolute_url(), headers={"accept-language": ENGLISH_BROWSER}
    ).content.decode()

    assert "相关链接" in html
    assert "本文为红岭网湘西站原创文章，转载请附上原文出处链接和本声明。" in html
    assert "Related links" not in html
    assert "Home" not in html


def test_the_language_switch_turns_the_site_english_and_back(client, full_article):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == HTTPStatus.FOUND

    english = client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    chinese = client.get("/", headers={"accept-language": ENGLISH_BROWSER}).content.decode()

    assert '<html lang="en">' in english
    assert ">Home</a>" in english
    assert '<html lang="zh-CN">' in chinese


def test_a_public_page_does_not_vary_on_the_browser_language(client, full_article):
    response = client.get("/")

    assert "Accept-Language" not in response.get("Vary", "")


def test_browsers_of_every_language_share_the_one_chinese_copy(client, full_article, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    first = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})
    english = client.get("/", headers={"accept-language": ENGLISH_BROWSER})

    assert first["X-Page-Cache"] == "MISS"
    assert english["X-Page-Cache"] == "HIT"
    assert english.content == first.content


def test_the_switch_cookie_has_its_own_stored_copy(client, full_article, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    client.get("/")

    english = client.get("/", headers={"cookie": "django_language=en"})

    assert english["X-Page-Cache"] == "MISS"
    assert ">Home</a>" in english.content.decode()


@pytest.mark.parametrize("cookie", ["fr", "xx-yy", ""])
def test_a_cookie_naming_no_site_language_reads_chinese(client, full_article, cookie):
    html = client.get("/", headers={"cookie": f"django_language={cookie}"}).content.decode()

    assert '<html lang="zh-CN">' in html


def test_the_admin_still_follows_the_editor_s_browser(client):
    page = client.get("/admin/login/", headers={"accept-language": ENGLISH_BROWSER})

    assert "Log in" in page.content.decode()
    assert page["Content-Language"] == "en"


def test_the_edge_keys_on_the_switch_cookie_and_never_on_the_browser_language():
    conf = NGINX_CONF.read_text()
    keyed = conf[conf.index("map $cookie_django_language $newsroom_language") :]
    language_map = keyed[: keyed.index("}")]

    assert "$http_accept_language" not in conf
    assert "proxy_set_header Accept-Language" not in conf
    assert "en en;" in language_map
    assert "default zh-hans;" in language_map
    assert ":$newsroom_language;" in conf  # the end of proxy_cache_key


def test_an_article_in_english_mode_is_still_marked_as_chinese_text(client):
    article = ArticleFactory(title="吉首至怀化城际公交开通")

    html = client.get(article.get_absolute_url(), headers={"cookie": "django_language=en"})

    assert '<article class="article" lang="zh-CN">' in html.content.decode()
