"""The content model: channels, bylines, publication, the published() rule, neighbours."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation

from articles.models import Article, Channel
from articles.models.people import Role
from search import related
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ChannelFactory,
    beijing,
    credit,
    review_through_chain,
)
from website import surroundings

pytestmark = pytest.mark.django_db


# --- Channels ---------------------------------------------------------------------------


def test_channel_slug_defaults_to_pinyin_of_its_name():
    channel = Channel.objects.create(name="公示公告")

    assert channel.slug == "gongshigonggao"


def test_channel_keeps_a_slug_given_by_the_editor():
    channel = Channel.objects.create(name="精彩视频", slug="video")

    assert channel.slug == "video"


def test_channel_tree_is_at_most_two_levels_deep(county_channel):
    grandchild = Channel(name="浦市镇", parent=county_channel)

    with pytest.raises(ValidationError, match="上级栏目必须是一级栏目"):
        grandchild.full_clean()


def test_channel_with_children_cannot_get_a_parent(county_channel):
    top = county_channel.parent
    top.parent = ChannelFactory()

    with pytest.raises(ValidationError, match="已有下级栏目"):
        top.full_clean()


def test_database_refuses_a_channel_that_is_its_own_parent():
    channel = ChannelFactory()
    channel.parent_id = channel.pk

    with pytest.raises(IntegrityError):
        channel.save()


def test_channel_lineage_runs_from_top_level_to_itself(county_channel):
    assert county_channel.lineage() == [county_channel.parent, county_channel]
    assert county_channel.parent.lineage() == [county_channel.parent]


def test_navigation_lists_visible_top_level_channels_in_order():
    second = ChannelFactory(name="时政", position=2)
    first = ChannelFactory(name="重要新闻", position=1)
    ChannelFactory(name="隐藏", position=0, in_navigation=False)
    ChannelFactory(name="泸溪县", parent=first)

    assert list(Channel.objects.in_navigation()) == [first, second]


# --- Bylines ----------------------------------------------------------------------------


def test_byline_reads_outlet_role_name_and_dateline():
    article = ArticleFactory(dateline="湘西泸溪")
    credit(article, AuthorFactory(name="杨丽芳", role=Role.CORRESPONDENT, outlet="红岭时刻"), 0)

    assert article.byline() == "红岭时刻通讯员 杨丽芳 湘西泸溪报道"


def test_byline_groups_people_of_the_same_role_and_names_the_outlet_once():
    article = ArticleFactory(dateline="湘西凤凰")
    credit(article, AuthorFactory(name="张远", role=Role.REPORTER), 0)
    credit(article, AuthorFactory(name="杨丽芳"), 1)
    credit(article, AuthorFactory(name="龙春燕"), 2)

    assert article.byline() == "红岭时刻记者 张远 通讯员 杨丽芳 龙春燕 湘西凤凰报道"


def test_byline_uses_the_role_given_for_this_article():
    article = ArticleFactory(dateline="")
    credit(article, AuthorFactory(name="彭雪", role=Role.REPORTER, outlet=""), 0, "photographer")

    assert article.byline() == "摄影 彭雪"


def test_byline_override_replaces_the_composed_byline():
    article = ArticleFactory(dateline="湘西龙山", byline_override="本网综合报道")
    credit(article, AuthorFactory(name="杨丽芳"), 0)

    assert article.byline() == "本网综合报道"


def test_byline_stays_chinese_when_the_reader_uses_english():
    article = ArticleFactory(dateline="湘西吉首")
    credit(article, AuthorFactory(name="杨丽芳"), 0)

    with translation.override("en"):
        assert article.byline() == "红岭时刻通讯员 杨丽芳 湘西吉首报道"


# --- Publication ------------------------------------------------------------------------


def test_publishing_sets_the_first_publish_time_once(staff):
    article = ArticleFactory(draft=True, created_by=staff.writer)
    review_through_chain(article, [staff.editor, staff.managing, staff.chief])
    article.publish(by=staff.chief)
    first = article.first_published_at

    article.withdraw(by=staff.chief, note="核实中")
    article.reopen(by=staff.chief)
    review_through_chain(article, [staff.editor, staff.managing, staff.chief])
    article.publish(by=staff.chief)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.first_published_at == first


def test_permanent_url_uses_the_beijing_date_of_first_publication():
    # 16:30 UTC on the 26th is 00:30 on the 27th in Beijing.
    article = ArticleFactory(first_published_at=beijing(2022, 4, 27, 0, 30))

    assert article.get_absolute_url() == f"/content/2022/04/27/{article.pk}.html"


def test_a_draft_has_no_public_url():
    with pytest.raises(ValueError, match="no public URL"):
        ArticleFactory(draft=True).get_absolute_url()


def test_database_refuses_a_published_article_without_a_publish_time():
    with pytest.raises(IntegrityError):
        ArticleFactory(status=Article.Status.PUBLISHED, first_published_at=None)


def test_reprint_must_name_its_original_outlet():
    article = ArticleFactory.build(origin=Article.Origin.REPRINT, original_outlet="")

    with pytest.raises(ValidationError, match="原发媒体"):
        article.clean()


MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
# Times are offsets from the moment the test runs (negative: in the past).
VISIBILITY_TABLE = [
    ("draft", {"draft": True}, False, False),
    ("live", {"first_published_at": -MINUTE}, True, False),
    ("scheduled", {"first_published_at": HOUR}, False, False),
    ("in-review", {"status": "in_review", "review_level": 1, "first_published_at": None},
     False, False),
    ("approved", {"status": "approved", "first_published_at": None}, False, False),
    ("withdrawn", {"status": "withdrawn", "first_published_at": -DAY}, False, True),
    ("expired", {"first_published_at": -9 * DAY, "expire_at": -DAY}, False, True),
    ("not-yet-expired", {"first_published_at": -9 * DAY, "expire_at": DAY}, True, False),
    ("reopened-after-withdrawal", {"status": "draft", "first_published_at": beijing(2022, 1, 1)},
     False, False),
]  # fmt: skip


def from_now(fields: dict) -> dict:
    """The fields, each offset (a timedelta) turned into a moment from now."""
    now = timezone.now()
    return {
        name: now + value if isinstance(value, timedelta) else value
        for name, value in fields.items()
    }


@pytest.mark.parametrize(
    ("fields", "public", "gone"),
    [pytest.param(*row[1:], id=row[0]) for row in VISIBILITY_TABLE],
)
def test_published_and_gone_split_the_articles_the_public_knows(fields, public, gone):
    article = ArticleFactory(**from_now(fields))

    assert (article in Article.objects.published()) is public
    assert (article in Article.objects.gone()) is gone


def test_scheduled_lists_only_articles_whose_time_is_ahead():
    ahead = ArticleFactory(first_published_at=timezone.now() + HOUR)
    ArticleFactory(first_published_at=timezone.now() - HOUR)
    ArticleFactory(status="approved", first_published_at=None)

    assert list(Article.objects.scheduled()) == [ahead]


def test_admin_visibility_contributors_see_their_own_and_live_articles(staff):
    own = ArticleFactory(draft=True, created_by=staff.writer)
    others_draft = ArticleFactory(draft=True, created_by=staff.editor)
    live = ArticleFactory(created_by=staff.editor)

    assert set(Article.objects.visible_to(staff.writer)) == {own, live}
    assert others_draft in Article.objects.visible_to(staff.editor)


# --- Related articles and neighbours ----------------------------------------------------


def related_links(article: Article) -> list[surroundings.Link]:
    """相关链接 as the article page reads them."""
    return surroundings.read(Article.objects.for_page().get(pk=article.pk)).related


def related_titles(article: Article, limit: int = 6) -> list[str]:
    related.refresh(article)
    return [a.title for a in related_links(article)[:limit]]


def test_related_puts_editor_picks_first_then_shared_tags_then_channel(full_article):
    channel = full_article.channel
    sharing_tag = ArticleFactory(title="同标签", first_published_at=beijing(2021, 1, 1))
    sharing_tag.tags.set(["乡村振兴"])
    ArticleFactory(title="同栏目", channel=channel)
    hidden = ArticleFactory(title="草稿", channel=channel, draft=True)
    hidden.tags.set(["乡村振兴"])

    assert related_titles(full_article) == ["编辑挑选的相关稿件", "同标签", "同栏目"]


def test_articles_sharing_more_tags_rank_higher(full_article):
    one = ArticleFactory(title="共享一个标签", first_published_at=beijing(2022, 4, 26))
    one.tags.set(["乡村振兴"])
    two = ArticleFactory(title="共享两个标签", first_published_at=beijing(2022, 4, 20))
    two.tags.set(["乡村振兴", "柑橘产业"])

    assert related_titles(full_article)[1:3] == ["共享两个标签", "共享一个标签"]


def test_with_equal_tags_the_article_published_closer_in_time_ranks_higher(full_article):
    far = ArticleFactory(title="一年前的同标签稿件", first_published_at=beijing(2021, 4, 27))
    near = ArticleFactory(title="一周前的同标签稿件", first_published_at=beijing(2022, 4, 20))
    for other in (far, near):
        other.tags.set(["乡村振兴"])

    assert related_titles(full_article)[1:3] == ["一周前的同标签稿件", "一年前的同标签稿件"]


def test_related_never_shows_an_unpublished_pick_or_suggestion(full_article):
    pick = full_article.picks.get().to_article
    suggested = ArticleFactory(title="会被撤下的稿件", channel=full_article.channel)
    related.refresh(full_article)
    Article.objects.filter(pk__in=[pick.pk, suggested.pk]).update(status="withdrawn")

    titles = [a.title for a in related_links(full_article)]

    assert pick.title not in titles
    assert "会被撤下的稿件" not in titles


def test_related_is_cut_to_the_limit(full_article):
    for n in range(5):
        ArticleFactory(title=f"同栏目{n}", channel=full_article.channel)

    assert len(related_titles(full_article, limit=3)) == 3


def test_going_live_computes_the_suggestions(staff, django_capture_on_commit_callbacks):
    channel = ChannelFactory()
    ArticleFactory(title="同栏目的旧稿", channel=channel)
    article = ArticleFactory(draft=True, created_by=staff.writer, channel=channel)
    review_through_chain(article, [staff.editor, staff.managing, staff.chief])

    with django_capture_on_commit_callbacks(execute=True):
        article.publish(by=staff.chief)

    assert list(article.suggestions.values_list("to_article__title", flat=True)) == [
        "同栏目的旧稿"
    ]


def test_neighbours_follow_publish_time_within_the_channel_with_ties_by_id():
    channel = ChannelFactory()
    moment = beijing(2024, 5, 1, 8, 0)
    older = ArticleFactory(channel=channel, first_published_at=moment - timedelta(hours=1))
    tie_a = ArticleFactory(channel=channel, first_published_at=moment)
    tie_b = ArticleFactory(channel=channel, first_published_at=moment)
    newer = ArticleFactory(channel=channel, first_published_at=moment + timedelta(hours=1))
    ArticleFactory(first_published_at=moment + timedelta(minutes=5))  # another channel
    ArticleFactory(channel=channel, draft=True)

    assert Article.objects.read_next(tie_b) == tie_a
    assert Article.objects.read_next(tie_a) == older
    assert Article.objects.read_next(older) is None
    assert Article.objects.previous_to(tie_a) == tie_b
    assert Article.objects.previous_to(tie_b) == newer
    assert Article.objects.previous_to(newer) is None


def test_in_channel_includes_sub_channel_articles(county_channel):
    in_county = ArticleFactory(channel=county_channel)
    in_parent = ArticleFactory(channel=county_channel.parent)
    elsewhere = ArticleFactory()

    found = set(Article.objects.in_channel(county_channel.parent))

    assert found == {in_county, in_parent}
    assert elsewhere not in found
