"""List items: every value escaped, addresses from reverse() and the storage, times local."""

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.paginator import Paginator
from django.template import Context, Template
from django.urls import set_script_prefix
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from articles import figures
from articles.models import Article
from photos.templatetags.photos import COVER_SIZES
from tests.factories import ArticleFactory, ChannelFactory, ImageFactory, beijing

pytestmark = pytest.mark.django_db

# --- An item as format_html writes it: the reference the templates are held to --------------

LIST = Template(
    '{% load i18n %}<ul class="article-list">\n'
    "  {% for article in articles %}\n"
    "    {% include 'articles/includes/article_item.html' with article=article "
    "pinned=pinned eager=forloop.first only %}\n"
    "  {% empty %}\n"
    '    <li class="article-list__empty">{% translate "暂无稿件。" %}</li>\n'
    "  {% endfor %}\n"
    "</ul>\n"
)


def reference_picture(image, *, sizes: str, css_class: str, eager: bool) -> SafeString:
    jpeg, webp = image.copies("cover", "jpeg"), image.copies("cover", "webp")
    if not jpeg:
        return SafeString("")
    url = default_storage.url
    nearest = min(range(len(jpeg)), key=lambda i: abs(jpeg[i]["width"] - 960))
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}{}'
        ' decoding="async"></picture>',
        ", ".join(f"{url(c['name'])} {c['width']}w" for c in webp),
        sizes,
        url(jpeg[nearest]["name"]),
        ", ".join(f"{url(c['name'])} {c['width']}w" for c in jpeg),
        sizes,
        jpeg[nearest]["width"],
        jpeg[nearest]["height"],
        image.alt_text,
        format_html(' class="{}"', css_class) if css_class else "",
        SafeString("" if eager else ' loading="lazy"'),
    )


def reference_item(article: Article, pinned: bool, eager: bool) -> SafeString:
    moment = timezone.localtime(article.first_published_at)
    image = article.cover_image
    cover = (
        reference_picture(image, sizes=COVER_SIZES, css_class="article-list__cover", eager=eager)
        if image
        else ""
    )
    return format_html(
        '<li class="article-list__item">\n  {}\n  <div>\n'
        '    <a class="article-list__title" href="{}">{}{}</a>\n'
        '    <p class="article-list__meta"><a href="{}">{}</a> · '
        '<time datetime="{}">{}</time></p>\n    {}\n  </div>\n</li>\n',
        cover,
        article.get_absolute_url(),
        format_html('<span class="badge">{}</span> ', gettext("置顶")) if pinned else "",
        article.title,
        article.channel.get_absolute_url(),
        article.channel.name,
        moment.isoformat(timespec="seconds"),
        f"{moment:%Y-%m-%d %H:%M}",
        format_html('<p class="article-list__summary">{}</p>', article.summary)
        if article.summary
        else "",
    )


def reference_list(articles: list[Article], pinned: bool = False) -> str:
    if not articles:
        return LIST.render(Context({"articles": []}))
    items = [reference_item(a, pinned, eager=i == 0) for i, a in enumerate(articles)]
    return '<ul class="article-list">\n  ' + "".join(f"\n    {i}\n  " for i in items) + "\n</ul>\n"


def drawn(articles: list[Article], pinned: bool = False) -> str:
    template = Template(
        "{% include 'articles/includes/article_list.html' with articles=articles "
        "pinned=pinned only %}"
    )
    return template.render(Context({"articles": articles, "pinned": pinned}))


@pytest.fixture
def awkward_articles(county_channel):
    """Titles, summaries, names and alt text that need escaping, with and without covers."""
    county_channel.name = '泸溪<县> & "沅水"'
    county_channel.save()
    hostile = ImageFactory(alt_text="\"><script>alert('x')</script>")
    plain = ImageFactory(alt_text="橘园")
    return [
        ArticleFactory(
            title="<b>泸溪</b>椪柑 & '甜'",
            summary='甜 & 酸 <i>"好"</i>',
            channel=county_channel,
            cover_image=hostile,
            first_published_at=beijing(2024, 3, 5, 8, 7),
        ),
        ArticleFactory(
            title="无封面", summary="", first_published_at=beijing(2023, 12, 31, 23, 59, 30)
        ),
        ArticleFactory(title="同一栏目", channel=county_channel, cover_image=plain),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("pinned", [False, True])
def test_a_list_is_drawn_byte_for_byte_as_items_were_one_by_one(
    awkward_articles, language, pinned
):
    with translation.override(language):
        assert drawn(awkward_articles, pinned) == reference_list(awkward_articles, pinned)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_empty_list_says_so_in_the_reader_s_language(db, language):
    with translation.override(language):
        html, expected = drawn([]), reference_list([])

    assert html == expected
    assert ("暂无稿件。" in html) == (language == "zh-hans")


def test_one_item_is_drawn_as_in_a_list(awkward_articles):
    template = Template(
        "{% include 'articles/includes/article_item.html' with article=a pinned=True "
        "eager=True only %}"
    )

    html = template.render(Context({"a": awkward_articles[0]}))

    assert html == reference_item(awkward_articles[0], pinned=True, eager=True)


@pytest.mark.parametrize(
    "media_url", ["/media/", "https://img.example.cn/files/", "//cdn.example.cn/m/"]
)
def test_cover_addresses_are_the_storage_s_own(settings, awkward_articles, media_url):
    settings.MEDIA_URL = media_url

    assert drawn(awkward_articles) == reference_list(awkward_articles)
    assert f'src="{media_url}' in drawn(awkward_articles)


def test_copy_names_that_need_quoting_still_get_the_storage_s_address(awkward_articles):
    image = awkward_articles[0].cover_image
    for copy in image.renditions:
        copy["name"] = copy["name"].replace("/", "/湘 西 ", 1)

    html = drawn(awkward_articles[:1])

    assert html == reference_list(awkward_articles[:1])
    assert "%E6%B9%98%20%E8%A5%BF%20" in html


class BucketStorage(FileSystemStorage):
    """A storage of its own kind: its addresses are its own business."""

    def url(self, name: str | None) -> str:
        return f"https://bucket.example.cn/{name}?v=1"


def test_other_storages_give_their_own_addresses(settings, awkward_articles):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.BucketStorage"},
    }

    html = drawn(awkward_articles)

    assert html == reference_list(awkward_articles)
    assert "https://bucket.example.cn/" in html
    assert figures.media_url() == default_storage.url


def test_article_addresses_follow_the_site_s_script_prefix(awkward_articles):
    set_script_prefix("/xiangxi/")
    try:
        html, expected = drawn(awkward_articles), reference_list(awkward_articles)
    finally:
        set_script_prefix("/")

    assert html == expected
    assert 'href="/xiangxi/content/' in html


def test_sub_channel_and_section_addresses_are_each_their_own(county_channel):
    other = ChannelFactory(name="民生", slug="minsheng")
    articles = [ArticleFactory(channel=c) for c in (county_channel, other, county_channel)]

    html = drawn(articles)

    assert html == reference_list(articles)
    assert html.count('href="/channel/luxixian/"') == 2
    assert html.count('href="/channel/minsheng/"') == 1


def test_item_times_and_addresses_follow_the_active_time_zone(awkward_articles):
    with timezone.override("Europe/London"):
        html, expected = drawn(awkward_articles), reference_list(awkward_articles)

    assert html == expected
    assert '<time datetime="2024-03-05T00:07:00+00:00">2024-03-05 00:07</time>' in html


# --- Page links -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("number", "count"), [(1, 0), (1, 3), (1, 40), (2, 40), (7, 200), (100, 2000), (67, 1331)]
)
def test_page_links_are_drawn_as_the_include_draws_them(language, number, count):
    page = Paginator(range(count), 20).page(number)
    include = Template("{% include 'includes/pagination.html' with page=page only %}")
    tag = Template("{% load paging %}{% pagination page %}")

    with translation.override(language):
        expected = include.render(Context({"page": page}))
        assert tag.render(Context({"page": page})) == expected
        assert tag.render(Context({"page": page})) == expected  # drawn again, or kept


def test_page_links_follow_the_reader_s_language(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    channel = ChannelFactory(slug="jiaoyu", name="教育")
    for day in range(1, 6):
        ArticleFactory(channel=channel, first_published_at=beijing(2024, 1, day))

    chinese = client.get("/channel/jiaoyu/?page=2").content.decode()
    english = client.get("/channel/jiaoyu/?page=2", headers={"cookie": "django_language=en"})

    assert "第 2 页，共 3 页（5 篇）" in chinese
    assert "下一页" not in english.content.decode()
