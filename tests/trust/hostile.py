"""A site filled with one hostile payload in every field people type in, the pages that
show it, and an inspector that finds anything executable in their HTML."""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote

from django.urls import reverse
from taggit.models import Tag

from articles.models import (
    Article,
    Correction,
    RelatedLink,
    Revision,
    Topic,
    TopicEntry,
    TopicSection,
    Transition,
)
from desk import revisions
from search import related
from tests import factories

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
# Scripts a page may carry: data blocks, and the admin's own files.
DATA_TYPES = {"application/ld+json", "application/json"}
DANGEROUS_ELEMENTS = {"iframe", "object", "embed", "base", "frame"}
# Public templates draw no SVG or MathML; the admin draws its own icons.
FOREIGN_ELEMENTS = {"svg", "math"}
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def fit(text: str, length: int) -> str:
    return text[:length]


def tail(text: str, length: int) -> str:
    """The end of the text: short fields take turns at the last payloads of a group."""
    return text[-length:]


def storable(payload: str) -> str:
    """What a database can keep: PostgreSQL text cannot hold NUL (forms refuse it)."""
    return payload.replace("\x00", "")


@dataclass
class HostileSite:
    """Every row a page or admin screen shows, each text field holding the payload."""

    payload: str
    article: Article
    topic: Topic
    tag: Tag
    fields: list[str] = field(default_factory=list)

    def public_paths(self) -> list[str]:
        article, channel = self.article, self.article.channel
        author = article.credit_list[0].author
        return [
            article.get_absolute_url(),
            "/",
            channel.get_absolute_url(),
            reverse("articles:tag", args=[self.tag.slug]),
            author.get_absolute_url(),
            self.topic.get_absolute_url(),
            # A NUL in an address is refused before any page is drawn (RefuseNulMiddleware,
            # tested on its own): the search page is read with the rest of the payload.
            "/search/?q=" + quote(self.payload.replace("\x00", "")),
            "/search/?q="
            + quote(fit(self.payload.replace("\x00", ""), 4))
            + "&channel="
            + quote(self.payload.replace("\x00", "")),
        ]

    def feed_paths(self) -> list[str]:
        slug = self.article.channel.slug
        return ["/feeds/rss/", "/feeds/atom/", f"/channel/{slug}/rss/", f"/channel/{slug}/atom/"]

    def sitemap_paths(self) -> list[str]:
        month = f"{self.article.first_published_at:%Y-%m}"
        return ["/sitemap-news.xml", "/sitemap-channels.xml", f"/sitemap-articles-{month}.xml"]

    def admin_paths(self) -> list[str]:
        pk = self.article.pk
        older, newer = self.article.revisions.order_by("created_at", "id")[:2]
        image = self.article.cover_image
        author = self.article.credit_list[0].author
        return [
            "/admin/",
            "/admin/articles/article/",
            "/admin/articles/article/?q=" + quote(self.payload.replace("\x00", "")),
            f"/admin/articles/article/{pk}/change/",
            f"/admin/articles/article/{pk}/history/",
            f"/admin/articles/article/{pk}/revisions/",
            f"/admin/articles/article/{pk}/revisions/compare/?a={older.pk}&b={newer.pk}",
            f"/admin/articles/article/{pk}/review-record/",
            "/admin/articles/article/schedule/",
            f"/admin/articles/channel/{self.article.channel_id}/change/",
            "/admin/articles/channel/",
            f"/admin/articles/author/{author.pk}/change/",
            "/admin/articles/author/",
            f"/admin/articles/editor/{self.article.editor_id}/change/",
            f"/admin/articles/image/{image.pk}/change/",
            "/admin/articles/image/",
            f"/admin/taggit/tag/{self.tag.pk}/change/",
            "/admin/taggit/tag/",
            f"/admin/articles/topic/{self.topic.pk}/change/",
            "/admin/articles/topic/",
        ]

    def export_paths(self) -> dict[str, str]:
        record = f"/admin/articles/article/{self.article.pk}/review-record/"
        return {"csv": record + "?format=csv", "json": record + "?format=json"}


def hostile_site(payload: str, desk_user, slug: str = "hostile") -> HostileSite:
    """Fill every text field an editor or author can type in with ``payload``.

    Sites with different slugs live side by side: list pages then show them all at once.
    """
    text = storable(payload)
    channel = factories.ChannelFactory(name=fit(text, 40), slug=slug, description=text)
    photo = factories.ImageFactory(
        caption=fit(text, 200), credit=fit(text, 60), alt_text=fit(text, 200)
    )
    body = f"<p>{text}</p>{factories.library_figure(photo, text)}<p>{payload}</p>"
    article = factories.ArticleFactory(
        channel=channel,
        kicker=tail(text, 100),
        title=fit(text, 200),
        subtitle=fit(text, 200),
        summary=text,
        body=body,
        dateline=tail(text, 40),
        source=fit(text, 100),
        origin=Article.Origin.REPRINT,
        original_outlet=fit(text, 100),
        original_author=fit(text, 100),
        original_title=fit(text, 200),
        original_url="https://example.cn/news?title=" + quote(fit(text, 80)),
        editor=factories.EditorFactory(display_name=fit(text, 40)),
        cover_image=photo,
        created_by=desk_user,
        first_published_at=factories.beijing(2026, 1, 5, 9, 0),
    )
    article.tags.set([tail(text, 100)])
    author = factories.AuthorFactory(name=tail(text, 40), outlet=fit(text, 40))
    factories.credit(article, author, 0)
    RelatedLink.objects.create(
        article=article, title=fit(text, 200), url="https://example.cn/?q=" + quote(fit(text, 80))
    )
    Correction.objects.create(article=article, text=text)
    topic = Topic.objects.create(title=fit(text, 100), slug=f"{slug}-topic", intro=text)
    section = TopicSection.objects.create(topic=topic, title=fit(text, 60))
    TopicEntry.objects.create(section=section, article=article)
    Transition.objects.create(
        article=article,
        action="approve",
        from_status="in_review",
        to_status="approved",
        actor=desk_user,
        actor_name=fit(text, 150),
        note=text,
    )
    revisions.store(article, desk_user, Revision.Reason.SAVED)
    article.title = fit("改过的" + text, 200)
    article.save()
    revisions.store(article, desk_user, Revision.Reason.SAVED)
    related.refresh(article)
    return HostileSite(payload=payload, article=article, topic=topic, tag=article.tags.get())


class Inspector(HTMLParser):
    """Parse a page as a browser would tokenise it and list what could run."""

    def __init__(self, *, admin: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.admin = admin
        self.findings: list[str] = []
        self.json_blocks: list[str] = []
        self._script_type: str | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES or name == "srcset":
                scheme = INVISIBLE.sub("", value).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.findings.append(f"<{tag} {name}={value[:40]}>")
            if name == "style" and not self.admin:
                self.findings.append(f"<{tag} style=…> (inline style on a public page)")
        if tag in DANGEROUS_ELEMENTS or (tag in FOREIGN_ELEMENTS and not self.admin):
            self.findings.append(f"<{tag}>")
        if tag == "style" and not self.admin:
            self.findings.append("<style> on a public page")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.findings.append("<meta http-equiv=refresh>")
        if tag == "script":
            kind = values.get("type", "").lower()
            source = values.get("src", "")
            if kind in DATA_TYPES:
                self._script_type = kind
            # Our own files: the admin's, and on public pages the read beacon and the
            # search suggestions; never a script written into the page.
            elif not source.startswith("/static/") and not (
                self.admin and source.startswith("/admin/jsi18n/")
            ):
                self.findings.append(f"<script {attrs}>")
            self._script_text = []

    def handle_data(self, data: str) -> None:
        if self._script_type:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script_type:
            self.json_blocks.append("".join(self._script_text))
            self._script_type = None


def executable_markup(html: str, *, admin: bool = False) -> list[str]:
    """What in ``html`` could run script; JSON blocks that do not parse count too."""
    inspector = Inspector(admin=admin)
    inspector.feed(html)
    inspector.close()
    for block in inspector.json_blocks:
        try:
            json.loads(block)
        except ValueError:
            inspector.findings.append(f"JSON block that does not parse: {block[:60]}")
    return inspector.findings
