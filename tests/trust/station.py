"""A station with live articles, and one article in every state the public must not see.

Each hidden article carries its own marker (``LEAK-<state>-<id>``) in every field a page
could show: headline block, summary, body, its photo's caption, alt text and credit (a
real upload, so its public copies exist), a tag and an author used by it alone, external
links, a topic it belongs to, placements and an editor's pick pointing at it. A live
control article is dressed the same way with a ``LIVE-`` marker: the checks must find
that one, or they could not find a leak either.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Channel,
    GalleryPhoto,
    Image,
    Placement,
    RelatedLink,
    RelatedPick,
    Topic,
    TopicSection,
)
from search import search
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ChannelFactory,
    ImageFactory,
    credit,
    library_figure,
    review_through_chain,
)
from tests.photo_files import camera_jpeg, upload

# Words of each hidden title that no live article uses: searched for by the crawl.
STATES = {
    "draft": "吉首机场扩建",
    "review-1": "凤凰古城灯会",
    "review-2": "猛洞河漂流节",
    "rejected": "里耶秦简新展",
    "approved": "德夯苗寨开寨",
    "scheduled": "浦市古镇庙会",
    "expired": "花垣矿山复绿",
    "withdrawn": "保靖黄金茶节",
    "revision": "龙山惹巴拉节",
}
COLOURS = ["#8a3b2f", "#2f5d8a", "#5d8a2f", "#8a7b2f", "#6b2f8a", "#2f8a7b", "#8a2f5d",
           "#3b3b3b", "#a0522d", "#4682b4"]  # fmt: skip
SHARED_TAG = "湘西"
PAGE_SIZE = 3


@dataclass
class Dressed:
    """An article carrying a marker everywhere, and what carries it besides the article."""

    state: str
    marker: str
    words: str
    article: Article
    image: Image
    tag_slug: str
    author: Author

    @property
    def search_id(self) -> str:
        """The marker's own part, searched for alone: the page echoes the query, never
        the whole marker."""
        return self.marker.rsplit("-", 1)[1]


@dataclass
class Station:
    staff: object
    channels: list[Channel]
    topic: Topic
    control: Dressed
    hidden: dict[str, Dressed] = field(default_factory=dict)
    live_revision: Article | None = None

    def markers(self) -> list[str]:
        return [dressed.marker for dressed in self.hidden.values()]

    def withdraw(self, committed) -> None:
        """Withdraw the live 'withdrawn' article through the workflow, as the desk does."""
        with committed():
            self.hidden["withdrawn"].article.withdraw(by=self.staff.chief, note="事实有误")

    def expiry(self):
        return self.hidden["expired"].article.expire_at


def marker(state: str) -> str:
    return f"{state}-{uuid.uuid4().hex[:10]}"


def photo(mark: str, colour: str) -> Image:
    return ImageFactory(
        file=upload(camera_jpeg((640, 480), colour=colour)),
        caption=f"{mark}-caption",
        credit=f"{mark}-credit",
        alt_text=f"{mark}-alt",
    )


def dress(article: Article, mark: str, words: str, image: Image, shared_author: Author) -> None:
    """Put the marker in every field and relation a page could show."""
    article.kicker, article.subtitle = f"{mark}-kicker", f"{mark}-subtitle"
    article.title = f"{words} {mark}-title"
    article.summary = f"{words}。{mark}-summary"
    article.body = f"<p>{words}的消息 {mark}-body</p>{library_figure(image)}"
    article.dateline, article.source = "湘西吉首", f"{mark}-source"
    article.cover_image = image
    article.save()
    article.tags.set([f"{mark}-tag", SHARED_TAG])
    credit(article, AuthorFactory(name=f"{mark}-author"[:40]), 0)
    credit(article, shared_author, 1)
    RelatedLink.objects.create(
        article=article, title=f"{mark}-link", url=f"https://www.example.com/{mark}"
    )


def dressed(state: str, mark: str, article: Article, image: Image) -> Dressed:
    tag = article.tags.get(name=f"{mark}-tag")
    author = article.credits.select_related("author").first().author
    return Dressed(state, mark, STATES.get(state, "乾州古城"), article, image, tag.slug, author)


def build(staff, committed) -> Station:
    """The live station, the control, and one hidden article per state."""
    county = ChannelFactory(name="县市区", slug="xianshiqu")
    luxi = ChannelFactory(name="泸溪县", slug="luxixian", parent=county)
    people = ChannelFactory(name="民生", slug="minsheng")
    photos = ChannelFactory(name="红图", slug="hongtu", kind="photo")
    shared_author = AuthorFactory(name="向建国")
    now = timezone.now()
    for n in range(7):  # enough for a second page of each list
        live = ArticleFactory(
            title=f"湘西新闻第{n}篇",
            channel=[luxi, people, photos][n % 3],
            first_published_at=now - timedelta(days=n + 1),
        )
        live.tags.set([SHARED_TAG])
        credit(live, shared_author, 0)
    topic = Topic.objects.create(title="文旅融合看湘西", slug="wenlv")
    section = TopicSection.objects.create(topic=topic, title="古城新韵")

    def hidden(state: str, mark: str, channel: Channel, colour: str) -> Dressed:
        if state == "revision":
            article = working_copy(staff, committed, channel, STATES[state])
        else:
            article = ArticleFactory(draft=True, created_by=staff.writer, channel=channel)
        image = photo(mark, colour)
        dress(article, mark, STATES.get(state, "乾州古城"), image, shared_author)
        section.entries.create(article=article)
        return dressed(state, mark, article, image)

    def go_live(item: Dressed, at=None) -> None:
        review_through_chain(item.article, [staff.editor, staff.managing, staff.chief])
        with committed():
            item.article.publish(by=staff.chief, at=at)

    control = hidden("control", f"LIVE-{marker('control')}", luxi, COLOURS[-1])
    station = Station(staff, [county, luxi, people, photos], topic, control)
    channels = {"scheduled": photos, "expired": people, "withdrawn": people}
    for n, state in enumerate(STATES):
        item = hidden(state, f"LEAK-{marker(state)}", channels.get(state, luxi), COLOURS[n])
        station.hidden[state] = item
        for slot in Placement.Slot.values:  # rows the desk could not add, read all the same
            Placement.objects.create(article=item.article, slot=slot)
        RelatedPick.objects.create(from_article=control.article, to_article=item.article)
    scheduled = station.hidden["scheduled"]
    GalleryPhoto.objects.create(article=scheduled.article, image=scheduled.image)
    article = {state: item.article for state, item in station.hidden.items()}
    article["review-1"].submit(by=staff.writer)
    article["review-2"].submit(by=staff.writer)
    article["review-2"].approve(by=staff.editor, note="同意")
    article["rejected"].submit(by=staff.writer)
    article["rejected"].reject(by=staff.editor, note="事实需要核实")
    review_through_chain(article["approved"], [staff.editor, staff.managing, staff.chief])
    go_live(scheduled, at=now + timedelta(days=30))
    article["expired"].expire_at = now + timedelta(hours=2)
    article["expired"].save()
    go_live(station.hidden["expired"])
    go_live(station.hidden["withdrawn"])
    go_live(control)
    station.live_revision = article["revision"].revision_of
    search.index_articles(Article.objects.published().prefetch_related("tags"))
    return station


def working_copy(staff, committed, channel: Channel, words: str) -> Article:
    """The working copy of a live article: the desk's next version, not yet reviewed."""
    live = ArticleFactory(
        draft=True, created_by=staff.writer, channel=channel,
        title=f"{words}（已发布版本）", summary="线上版本的摘要。",
    )  # fmt: skip
    review_through_chain(live, [staff.editor, staff.managing, staff.chief])
    with committed():
        live.publish(by=staff.chief)
    return live.start_revision(by=staff.writer)
