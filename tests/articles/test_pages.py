"""Listing pages: home, channel, tag, author and special topic."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from articles.models import Article, Image, Placement, Topic
from delivery import freshness
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ChannelFactory,
    ImageFactory,
    beijing,
    credit,
    full_article,
    review_through_chain,
)

pytestmark = pytest.mark.django_db


def assert_in_order(html: str, *fragments: str) -> None:
    position = -1
    for fragment in fragments:
        found = html.find(fragment, position + 1)
        assert found != -1, f"{fragment!r} missing (or out of order) in the page"
        position = found


def place(article, slot: str, **window) -> Placement:
    return Placement.objects.create(article=article, slot=slot, **window)


# --- Home -------------------------------------------------------------------------------


def test_home_shows_headlines_featured_latest_and_each_channel_in_order(client):
    politics = ChannelFactory(name="时政", slug="shizheng", position=2)
    news = ChannelFactory(name="重要新闻", slug="zhongyaoxinwen", position=1)
    place(ArticleFactory(title="今日头条稿件", channel=news), "headline")
    place(ArticleFactory(title="推荐稿件", channel=politics), "featured")
    ArticleFactory(title="时政新闻一则", channel=politics)
    ArticleFactory(title="未发布的草稿", channel=news, draft=True)

    html = client.get("/").content.decode()

    assert_in_order(html, "头条", "今日头条稿件", "推荐", "推荐稿件", "最新稿件")
    assert_in_order(html, ">重要新闻</a></h2>", "今日头条稿件", ">时政</a></h2>", "时政新闻一则")
    assert "未发布的草稿" not in html


def test_home_channel_boxes_hold_the_newest_five_including_sub_channels(client, county_channel):
    for day in range(1, 8):
        ArticleFactory(
            title=f"泸溪第{day}号稿件", channel=county_channel,
            first_published_at=beijing(2024, 3, day),
        )  # fmt: skip

    html = client.get("/").content.decode()
    box = html[html.index('id="section-xianshiqu"') :]
    box = box[: box.index("</section>")]

    assert [f"泸溪第{d}号稿件" in box for d in range(7, 0, -1)] == [True] * 5 + [False] * 2


def test_placements_drop_off_when_their_time_ends(client):
    end = timezone.now() + timedelta(minutes=4)  # sooner than any copy would expire
    place(ArticleFactory(title="限时头条"), "headline", ends_at=end)
    waiting = ArticleFactory(title="明天的头条")
    place(waiting, "headline", starts_at=timezone.now() + timedelta(days=1))

    now = client.get("/").content.decode()
    # Time passes: nothing is saved, the home page's kept lists must expire by themselves.
    with time_machine.travel(end + timedelta(seconds=1)):
        later = client.get("/").content.decode()

    assert "限时头条" in now[: now.index("最新稿件")]
    assert "明天的头条" not in now[: now.index("最新稿件")]
    assert "限时头条" not in later[: later.index("最新稿件")]


def test_home_shows_photos_videos_and_current_topics(client):
    photos = ChannelFactory(name="红图", slug="hongtu", kind="photo")
    videos = ChannelFactory(name="精彩视频", slug="jingcaishipin", kind="video")
    ArticleFactory(title="组图稿件", channel=photos, cover_image=ImageFactory())
    ArticleFactory(title="视频稿件", channel=videos)
    Topic.objects.create(title="乡村振兴在湘西", slug="xiangcun")
    Topic.objects.create(title="已结束的专题", slug="old", is_current=False)

    html = client.get("/").content.decode()

    assert_in_order(html, "图片新闻", "组图稿件")
    assert_in_order(html, "精彩视频", "视频稿件")
    assert_in_order(html, "专题", 'href="/topic/xiangcun/"', "乡村振兴在湘西")
    assert "已结束的专题" not in html


# --- Home: the lists kept between readers ------------------------------------------------


@pytest.fixture
def home_desk(staff, county_channel, django_capture_on_commit_callbacks):
    """The staff, a channel, and a way to publish as the desk does (purges run on commit)."""
    staff.channel = county_channel

    def go_live(title: str, at=None) -> Article:
        article = ArticleFactory(
            draft=True, created_by=staff.writer, channel=county_channel, title=title
        )
        review_through_chain(article, [staff.editor, staff.managing, staff.chief])
        with django_capture_on_commit_callbacks(execute=True):
            return article.publish(by=staff.chief, at=at)

    staff.go_live = go_live
    staff.committed = lambda: django_capture_on_commit_callbacks(execute=True)
    return staff


def latest_block(html: str) -> str:
    return html[html.index("最新稿件") : html.index('class="sections"')]


def test_home_shows_a_published_then_withdrawn_article_at_once(client, home_desk):
    ArticleFactory(title="上周的旧闻", channel=home_desk.channel)
    client.get("/")  # the lists are kept before the news breaks

    article = home_desk.go_live("刚刚发布的新闻")
    published = client.get("/").content.decode()
    with home_desk.committed():
        article.withdraw(by=home_desk.chief, note="事实有误")
    withdrawn = client.get("/").content.decode()

    assert "刚刚发布的新闻" in latest_block(published)
    assert 'id="section-xianshiqu"' in published
    assert "刚刚发布的新闻" not in withdrawn


def test_home_shows_a_scheduled_article_when_its_time_comes(client, home_desk):
    moment = timezone.now() + timedelta(minutes=5)  # sooner than any copy would expire
    home_desk.go_live("五分钟后发布的稿件", at=moment)

    before = client.get("/").content.decode()
    with time_machine.travel(moment + timedelta(seconds=1)):
        after = client.get("/").content.decode()

    assert "五分钟后发布的稿件" not in before
    assert "五分钟后发布的稿件" in latest_block(after)


def test_home_shows_a_headline_when_its_placement_starts(client, home_desk):
    start = timezone.now() + timedelta(minutes=3)  # sooner than any copy would expire
    place(ArticleFactory(title="三分钟后的头条", channel=home_desk.channel), "headline",
          starts_at=start)  # fmt: skip
    freshness.touch("home")  # as the placement admin does

    before = client.get("/").content.decode()
    with time_machine.travel(start + timedelta(seconds=1)):
        after = client.get("/").content.decode()

    assert "三分钟后的头条" not in before[: before.index("最新稿件")]
    assert "三分钟后的头条" in after[: after.index("最新稿件")]


def test_home_shows_an_edited_title_and_a_renamed_channel_at_once(client, county_channel):
    article = ArticleFactory(title="原来的标题", channel=county_channel)
    client.get("/")

    Article.objects.filter(pk=article.pk).update(title="改过的标题")
    freshness.touch(*freshness.article_topics(article))  # as publishing the edit does
    county_channel.parent.name = "县区"
    county_channel.parent.save()
    freshness.touch("site")  # as the channel admin does
    html = client.get("/").content.decode()

    assert "改过的标题" in latest_block(html)
    assert ">县区</a></h2>" in html


def test_home_shows_a_changed_cover_photo_and_alt_text_at_once(client):
    photos = ChannelFactory(name="红图", slug="hongtu", kind="photo")
    first, second = ImageFactory(alt_text="第一张照片"), ImageFactory(alt_text="第二张照片")
    article = ArticleFactory(channel=photos, cover_image=first)
    place(ArticleFactory(channel=photos, cover_image=second), "featured")
    client.get("/")

    Article.objects.filter(pk=article.pk).update(cover_image=second)
    freshness.touch(*freshness.article_topics(article))  # as publishing the edit does
    recovered = client.get("/").content.decode()
    Image.objects.filter(pk=second.pk).update(alt_text="换过说明的照片")
    freshness.touch("site")  # as the photo admin does
    retold = client.get("/").content.decode()

    assert "第一张照片" not in recovered
    assert recovered.count('alt="第二张照片"') == 3  # featured, and twice in 图片新闻
    assert "第二张照片" not in retold
    assert retold.count('alt="换过说明的照片"') == 3


def test_home_featured_follow_the_desk_order_then_newest_first(client, county_channel):
    for title, position, day in [("乙", 1, 3), ("甲", 0, 1), ("丙", 1, 2), ("丁", 2, 9)]:
        article = ArticleFactory(
            title=f"推荐{title}", channel=county_channel, first_published_at=beijing(2024, 3, day)
        )
        Placement.objects.create(article=article, slot="featured", position=position)

    html = client.get("/").content.decode()

    assert_in_order(html, "推荐甲", "推荐乙", "推荐丙", "推荐丁", "最新稿件")


def test_newest_by_section_ranks_only_public_articles_of_each_top_level_channel(
    county_channel,
):
    other = ChannelFactory(name="时政", slug="shizheng")
    live = [
        ArticleFactory(channel=county_channel, first_published_at=beijing(2024, 3, day))
        for day in (1, 2, 3)
    ]
    in_other = ArticleFactory(channel=other, first_published_at=beijing(2024, 3, 5))
    ArticleFactory(channel=county_channel, draft=True)
    ArticleFactory(channel=county_channel, first_published_at=timezone.now() + timedelta(days=1))
    gone = ArticleFactory(channel=county_channel, first_published_at=beijing(2024, 3, 4))
    Article.objects.filter(pk=gone.pk).update(status="withdrawn")

    found = Article.objects.newest_by_section(2)

    section = county_channel.parent_id
    assert found == [(in_other.pk, other.pk), (live[2].pk, section), (live[1].pk, section)]


def test_home_query_count_does_not_grow_with_data(county_channel, queries_for):
    """Cold: the channel tree, the lists (one UNION ALL on PostgreSQL; elsewhere one query
    per placement slot and one windowed query), the time of the next scheduled change
    (three), the rows and the topics. Warm: the rows alone."""
    photos = ChannelFactory(name="红图", slug="hongtu", kind="photo")
    videos = ChannelFactory(name="精彩视频", slug="jingcaishipin", kind="video")
    Topic.objects.create(title="乡村振兴在湘西", slug="xiangcun", lead_image=ImageFactory())

    def add(n: int) -> None:
        grow(county_channel, n)
        for channel in (photos, videos):
            ArticleFactory(channel=channel, cover_image=ImageFactory())
        place(ArticleFactory(channel=county_channel), "headline")

    add(2)
    counts = (queries_for("/"), queries_for("/", warm=True))
    add(6)

    lists = 1 if connection.features.supports_slicing_ordering_in_compound else 3
    assert counts == (queries_for("/"), queries_for("/", warm=True)) == (1 + lists + 3 + 2, 1)


# --- Channel pages ----------------------------------------------------------------------


def test_channel_page_lists_its_own_and_sub_channel_articles_newest_first(client, county_channel):
    ArticleFactory(
        title="县市区旧闻", channel=county_channel.parent, first_published_at=beijing(2024, 1, 1)
    )
    ArticleFactory(
        title="泸溪新闻", channel=county_channel, first_published_at=beijing(2024, 2, 1)
    )
    ArticleFactory(title="别的栏目", first_published_at=beijing(2024, 3, 1))

    html = client.get("/channel/xianshiqu/").content.decode()

    assert_in_order(html, "当前位置：", ">县市区</a>", "泸溪县", "泸溪新闻", "县市区旧闻")
    assert "别的栏目" not in html


def test_a_sub_channel_page_lists_only_its_own_articles(client, county_channel):
    ArticleFactory(title="县市区综合", channel=county_channel.parent)
    ArticleFactory(title="泸溪本地", channel=county_channel)

    html = client.get("/channel/luxixian/").content.decode()

    assert "泸溪本地" in html
    assert "县市区综合" not in html
    assert_in_order(html, ">县市区</a>", ">泸溪县</a>")


def test_pinned_articles_come_first_once_and_only_on_page_one(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    channel = ChannelFactory(slug="minsheng", name="民生")
    for day in range(1, 5):
        ArticleFactory(
            title=f"民生{day}号", channel=channel, first_published_at=beijing(2024, 5, day)
        )
    place(
        ArticleFactory(title="置顶稿件", channel=channel, first_published_at=beijing(2024, 1, 1)),
        "pinned",
    )

    first = client.get("/channel/minsheng/").content.decode()
    second = client.get("/channel/minsheng/?page=2").content.decode()

    assert_in_order(first, "置顶", "置顶稿件", "民生4号", "民生3号")
    assert first.count("置顶稿件") == 1
    assert "置顶稿件" not in second
    assert_in_order(second, "民生2号", "民生1号")


def test_channel_pages_have_chinese_pagination(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    channel = ChannelFactory(slug="jiaoyu", name="教育")
    for day in range(1, 12):
        ArticleFactory(
            title=f"教育{day}号", channel=channel, first_published_at=beijing(2024, 1, day)
        )

    html = client.get("/channel/jiaoyu/?page=3").content.decode()

    assert "教育7号" in html
    assert "教育6号" in html
    assert "教育5号" not in html
    assert "第 3 页，共 6 页（11 篇）" in html
    assert_in_order(html, "上一页", '<span aria-current="page">3</span>', "下一页")


@pytest.mark.parametrize(
    "page", ["0", "-1", "abc", "1.5", "99", "%EF%BC%91", "1e3", "", "99999999999"]
)
def test_page_numbers_that_are_not_pages_are_not_found(client, page):
    channel = ChannelFactory(slug="zhengfa")
    ArticleFactory(channel=channel)

    response = client.get(f"/channel/zhengfa/?page={page}")

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_an_empty_channel_has_a_first_page(client):
    ChannelFactory(slug="kong", name="新栏目")

    response = client.get("/channel/kong/")

    assert response.status_code == HTTPStatus.OK
    assert "暂无稿件。" in response.content.decode()


def test_a_list_item_shows_cover_title_channel_time_and_summary_escaped(client, county_channel):
    article = ArticleFactory(
        title="<b>泸溪</b>椪柑",
        summary="甜 & 酸",
        channel=county_channel,
        cover_image=ImageFactory(alt_text="橘园"),
        first_published_at=beijing(2024, 3, 5, 8, 7),
    )

    html = client.get("/channel/luxixian/").content.decode()

    item = html[html.index('<li class="article-list__item">') :]
    item = item[: item.index("</li>")]
    assert_in_order(
        item,
        '<picture><source type="image/webp"',
        'alt="橘园" class="article-list__cover" decoding="async"></picture>',
        f'<a class="article-list__title" href="/content/2024/03/05/{article.pk}.html">'
        "&lt;b&gt;泸溪&lt;/b&gt;椪柑</a>",
        '<a href="/channel/luxixian/">泸溪县</a> · ',
        '<time datetime="2024-03-05T08:07:00+08:00">2024-03-05 08:07</time>',
        '<p class="article-list__summary">甜 &amp; 酸</p>',
    )


# --- Tag and author pages ---------------------------------------------------------------


def test_tag_page_lists_the_live_articles_with_that_tag(client):
    tagged = ArticleFactory(title="柑橘稿件")
    tagged.tags.set(["柑橘产业"])
    hidden = ArticleFactory(title="柑橘草稿", draft=True)
    hidden.tags.set(["柑橘产业"])
    ArticleFactory(title="无关稿件")

    html = client.get(
        tagged.tags.get().slug and f"/tag/{tagged.tags.get().slug}/"
    ).content.decode()

    assert "标签：柑橘产业" in html
    assert "柑橘稿件" in html
    assert "柑橘草稿" not in html
    assert "无关稿件" not in html


def test_article_tags_link_to_their_tag_pages(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()

    assert '<a class="tag" href="/tag/%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4/">乡村振兴</a>' in html
    assert client.get("/tag/%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4/").status_code == HTTPStatus.OK


def test_author_page_lists_every_live_article_crediting_the_person(client):
    person = AuthorFactory(name="杨丽芳")
    for title in ("她写的稿件", "她参与的稿件"):
        credit(ArticleFactory(title=title), person, 0)
    credit(ArticleFactory(title="她的草稿", draft=True), person, 0)
    ArticleFactory(title="别人的稿件")

    html = client.get(person.get_absolute_url()).content.decode()

    assert "杨丽芳" in html
    assert "她写的稿件" in html
    assert "她参与的稿件" in html
    assert "她的草稿" not in html
    assert "别人的稿件" not in html


@pytest.mark.parametrize("path", ["/tag/no-such-tag/", "/author/999999/", "/topic/nowhere/"])
def test_unknown_tags_authors_and_topics_are_not_found(client, path):
    assert client.get(path).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "hidden",
    [
        {"draft": True},
        {"first_published_at": timedelta(days=1)},
        {"status": Article.Status.WITHDRAWN},
        {"expire_at": -timedelta(minutes=1)},
    ],
    ids=["draft", "scheduled", "withdrawn", "expired"],
)
def test_tags_and_people_of_unpublished_articles_alone_have_no_page(client, hidden):
    now = timezone.now()
    fields = {"first_published_at": now - timedelta(days=2)} | {
        name: now + value if isinstance(value, timedelta) else value
        for name, value in hidden.items()
    }  # offsets in the table are from the moment the test runs
    article = ArticleFactory(title="未公开的稿件", **fields)
    article.tags.set(["尚未公开的标签"])
    person = AuthorFactory(name="尚未署名的记者")
    credit(article, person, 0)

    tag_page = client.get("/tag/%E5%B0%9A%E6%9C%AA%E5%85%AC%E5%BC%80%E7%9A%84%E6%A0%87%E7%AD%BE/")
    author_page = client.get(person.get_absolute_url())

    assert tag_page.status_code == author_page.status_code == HTTPStatus.NOT_FOUND
    assert "尚未公开的标签" not in tag_page.content.decode()
    assert "尚未署名的记者" not in author_page.content.decode()


# --- Special topics ---------------------------------------------------------------------


def test_topic_page_shows_intro_lead_image_and_curated_sections(client):
    topic = Topic.objects.create(
        title="文旅融合看湘西", slug="wenlv", intro="古城与山水。", lead_image=ImageFactory()
    )
    towns = topic.sections.create(title="古城新韵", position=0)
    villages = topic.sections.create(title="乡村旅游", position=1)
    towns.entries.create(article=ArticleFactory(title="凤凰夜游"), position=0)
    villages.entries.create(article=ArticleFactory(title="芙蓉镇客流"), position=0)
    villages.entries.create(article=ArticleFactory(title="专题里的草稿", draft=True), position=1)

    html = client.get("/topic/wenlv/").content.decode()

    assert_in_order(html, "文旅融合看湘西", "<img", "古城与山水。", "古城新韵", "凤凰夜游",
                    "乡村旅游", "芙蓉镇客流")  # fmt: skip
    assert "专题里的草稿" not in html


# --- Query counts -----------------------------------------------------------------------


def grow(channel, count: int) -> None:
    for n in range(count):
        article = full_article(
            channel, title=f"增加的稿件{n}", first_published_at=beijing(2022, 3, n + 1)
        )
        place(article, "featured")


# Cold: every cache empty (the channel tree, the list's length and the starts of its first
# pages, the time of the next scheduled change are read again). Warm: as for every reader
# after the first.
@pytest.mark.parametrize(
    ("path", "cold", "warm"),
    [
        ("/channel/xianshiqu/", 8, 1),
        ("/channel/xianshiqu/?page=2", 8, 1),
        ("/tag/%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4/", 8, 1),
    ],
)
def test_listing_pages_query_count_does_not_grow_with_data(
    county_channel, settings, queries_for, path, cold, warm
):
    settings.NEWSROOM_PAGE_SIZE = 2
    ChannelFactory(name="红图", slug="hongtu", kind="photo")
    ChannelFactory(name="精彩视频", slug="jingcaishipin", kind="video")
    grow(county_channel, 3)
    counts = (queries_for(path), queries_for(path, warm=True))

    grow(county_channel, 6)

    assert counts == (queries_for(path), queries_for(path, warm=True)) == (cold, warm)


@pytest.mark.parametrize(
    ("path", "cold", "warm"), [("/channel/xianshiqu/", 9, 2), ("/channel/xianshiqu/?page=2", 8, 1)]
)
def test_pinned_articles_cost_one_query_on_page_one_only(
    county_channel, settings, queries_for, path, cold, warm
):
    settings.NEWSROOM_PAGE_SIZE = 2
    grow(county_channel, 3)
    place(ArticleFactory(channel=county_channel, title="置顶稿件"), "pinned")
    counts = (queries_for(path), queries_for(path, warm=True))

    grow(county_channel, 6)

    assert counts == (queries_for(path), queries_for(path, warm=True)) == (cold, warm)


def test_author_and_topic_pages_query_count_does_not_grow_with_data(county_channel, queries_for):
    person = AuthorFactory()
    topic = Topic.objects.create(title="专题", slug="zhuanti")
    section = topic.sections.create(title="版块")

    def add(n: int) -> None:
        for i in range(n):
            article = ArticleFactory(channel=county_channel, cover_image=ImageFactory())
            credit(article, person, 0)
            section.entries.create(article=article, position=i)

    def count() -> tuple[int, int, int]:
        path = person.get_absolute_url()
        return queries_for(path), queries_for(path, warm=True), queries_for("/topic/zhuanti/")

    add(2)
    counts = count()
    add(5)

    assert counts == count() == (8, 1, 4)


# --- Errors -----------------------------------------------------------------------------


def test_not_found_page_is_chinese_and_offers_a_way_on(client):
    ChannelFactory(name="民生", slug="minsheng")

    response = client.get("/no/such/page/")

    html = response.content.decode()
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "页面不存在" in html
    assert 'action="/search/"' in html
    assert 'href="/channel/minsheng/"' in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize(
    "path",
    [
        "/channel/%3Cscript%3E/",
        "/channel/" + "a" * 300 + "/",
        "/tag/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/author/0/",
        "/author/99999999999999999999/",
        "/content/2022/13/45/1.html",
        "/content/9999/99/99/99999999999999999999.html",
        "/topic/'%20OR%201=1--/",
    ],
)
def test_odd_urls_are_not_found_and_never_an_error(client, path):
    response = client.get(path)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "<script>alert" not in response.content.decode()


def test_a_nul_character_in_an_address_is_a_bad_request_in_chinese(client):
    response = client.get("/tag/%00/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "请求无法处理" in response.content.decode()


def test_pages_answer_on_a_leap_day(client, full_article):
    # With nothing scheduled, kept lists used to live until "today in the year 9999",
    # a date that does not exist on 29 February: every page answered 500 that day.
    with time_machine.travel(beijing(2028, 2, 29, 12), tick=True):
        home = client.get("/")
        channel = client.get(full_article.channel.get_absolute_url())

    assert home.status_code == channel.status_code == HTTPStatus.OK
