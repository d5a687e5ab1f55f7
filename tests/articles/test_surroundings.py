"""What surrounds an article on its page (相关链接, 上一篇, 阅读下一篇) is kept in the shared
cache, and no page drawn from it shows a state that has changed since."""

from datetime import timedelta

import pytest
import time_machine
from django.db.utils import ConnectionDoesNotExist
from django.utils import timezone

from articles.models import Article, RelatedLink
from ops.routers import reading_from
from search import related
from tests.factories import ArticleFactory, ChannelFactory, go_live, review_through_chain
from website import surroundings

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(staff, django_capture_on_commit_callbacks):
    """A channel with two live articles, the newer one suggesting the older, and the staff
    to move articles (work that waits for a commit runs, as a real commit would)."""
    staff.channel = ChannelFactory(name="民生", slug="minsheng")
    now = timezone.now()
    staff.older = ArticleFactory(
        title="上周的民生新闻", channel=staff.channel, created_by=staff.writer,
        first_published_at=now - timedelta(days=7),
    )  # fmt: skip
    staff.article = ArticleFactory(
        title="今天的民生新闻", channel=staff.channel, first_published_at=now - timedelta(hours=1)
    )
    related.refresh(staff.article)
    staff.committed = lambda: django_capture_on_commit_callbacks(execute=True)
    return staff


def page_of(client, article: Article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def related_block(html: str) -> str:
    start = html.find('class="related"')
    return "" if start == -1 else html[start : html.index("</section>", start)]


def neighbours_block(html: str) -> str:
    start = html.find('class="neighbours"')
    return "" if start == -1 else html[start : html.index("</nav>", start)]


def test_a_withdrawn_neighbour_leaves_a_page_already_drawn(client, desk):
    oldest = ArticleFactory(
        title="一个月前的民生新闻", channel=desk.channel,
        first_published_at=timezone.now() - timedelta(days=30),
    )  # fmt: skip
    assert "上周的民生新闻" in neighbours_block(page_of(client, desk.article))

    with desk.committed():
        desk.older.withdraw(by=desk.chief, note="事实有误")

    html = page_of(client, desk.article)
    assert "上周的民生新闻" not in html
    assert oldest.title in neighbours_block(html)


def test_an_article_published_above_a_page_already_drawn_becomes_its_previous(client, desk):
    assert "上一篇：" not in neighbours_block(page_of(client, desk.article))

    newer = go_live(desk, title="刚刚发布的民生新闻")

    assert newer.title in neighbours_block(page_of(client, desk.article))


def test_a_picked_article_withdrawn_and_published_again_leaves_and_returns(client, desk):
    elsewhere = ArticleFactory(title="别的栏目的稿件", created_by=desk.writer)
    desk.article.picks.create(to_article=elsewhere)
    related.refresh(desk.article)
    assert "别的栏目的稿件" in related_block(page_of(client, desk.article))

    with desk.committed():
        elsewhere.withdraw(by=desk.chief, note="核实中")
    gone = related_block(page_of(client, desk.article))
    with desk.committed():
        elsewhere.reopen(by=desk.chief)
    review_through_chain(elsewhere, [desk.editor, desk.managing, desk.chief])
    with desk.committed():
        elsewhere.publish(by=desk.chief)

    assert "别的栏目的稿件" not in gone
    assert "别的栏目的稿件" in related_block(page_of(client, desk.article))


def test_a_stored_page_shows_a_picked_article_published_again(client, desk, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    elsewhere = ArticleFactory(title="别的栏目的稿件", created_by=desk.writer)
    desk.article.picks.create(to_article=elsewhere)
    related.refresh(desk.article)
    with desk.committed():
        elsewhere.withdraw(by=desk.chief, note="核实中")
        elsewhere.reopen(by=desk.chief)
    stored = related_block(page_of(client, desk.article))
    review_through_chain(elsewhere, [desk.editor, desk.managing, desk.chief])

    with desk.committed():
        elsewhere.publish(by=desk.chief)

    assert "别的栏目的稿件" not in stored
    assert "别的栏目的稿件" in related_block(page_of(client, desk.article))


def test_a_picked_draft_is_not_shown_and_shows_once_published(client, desk):
    draft = ArticleFactory(title="还在写的稿件", draft=True, created_by=desk.writer)
    desk.article.picks.create(to_article=draft)
    related.refresh(desk.article)
    before = page_of(client, desk.article)
    review_through_chain(draft, [desk.editor, desk.managing, desk.chief])

    with desk.committed():
        draft.publish(by=desk.chief)

    assert "还在写的稿件" not in before
    assert "还在写的稿件" in related_block(page_of(client, desk.article))


def test_a_suggested_article_edited_shows_its_new_title(client, desk):
    page_of(client, desk.article)
    copy = desk.older.start_revision(by=desk.writer)
    copy.title = "改过标题的民生新闻"
    copy.save()
    review_through_chain(copy, [desk.editor, desk.managing, desk.chief])

    with desk.committed():
        copy.publish(by=desk.chief)

    html = page_of(client, desk.article)
    assert "改过标题的民生新闻" in related_block(html)
    assert "改过标题的民生新闻" in neighbours_block(html)


def test_a_link_added_with_the_article_shows_at_once(client, desk):
    page_of(client, desk.article)

    RelatedLink.objects.create(article=desk.article, title="办事指南", url="https://example.com/")
    desk.article.save()

    assert "办事指南" in related_block(page_of(client, desk.article))


def test_a_scheduled_article_appears_as_previous_at_its_time(client, desk):
    moment = timezone.now() + timedelta(minutes=30)
    go_live(desk, title="半小时后发布的稿件", at=moment)

    before = page_of(client, desk.article)
    with time_machine.travel(moment + timedelta(seconds=1)):
        after = page_of(client, desk.article)

    assert "半小时后发布的稿件" not in before
    assert "半小时后发布的稿件" in neighbours_block(after)


def test_a_neighbour_leaves_when_its_notice_expires(client, desk):
    end = timezone.now() + timedelta(minutes=10)
    Article.objects.filter(pk=desk.older.pk).update(expire_at=end)

    before = page_of(client, desk.article)
    with time_machine.travel(end + timedelta(seconds=1)):
        after = page_of(client, desk.article)

    assert "上周的民生新闻" in neighbours_block(before)
    assert "上周的民生新闻" in related_block(before)
    assert "上周的民生新闻" not in after


def test_surroundings_are_read_where_the_router_sends_the_request(desk):
    # A reader's request reads from the replica its router chose.
    with reading_from("replica-not-configured"), pytest.raises(ConnectionDoesNotExist):
        surroundings.read_rows(desk.article)
