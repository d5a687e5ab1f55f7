"""Listing pages: home, channel, tag, author and special topic."""

from collections.abc import Mapping

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles.models import Article, Author, Channel, Topic, TopicEntry
from articles.querysets import public_tags
from audience.ranking import ranking
from delivery.pagecache import depends_on
from website import fragments, navigation
from website.frontpage import front_page
from website.lookups import public_or_404
from website.pagination import PAGE_NUMBER, ArticleList, page_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    depends_on(request, "home")
    page = front_page(navigation.tree(request))
    return render(
        request,
        "articles/home.html",
        {
            "headlines": page.headlines,
            "featured": page.featured,
            "latest": page.latest,
            "sections": page.sections,
            "photos": page.photos,
            "videos": page.videos,
            "topics": page.topics,
            "blocks_key": fragments.key(*page.shown()),
            "ranking": ranking(),
        },
    )


@require_GET
def channel(request: HttpRequest, slug: str) -> HttpResponse:
    channel = navigation.tree(request).get(slug)
    list_topic, articles = (
        (f"channel:{channel.pk}", in_sub_channel)
        if channel.parent_id
        else (f"section:{channel.pk}", in_section)
    )
    depends_on(request, list_topic, reads=(PAGE_NUMBER,))
    listing = ArticleList(list_topic, articles, {"channel": channel.pk}, pinned="pinned")
    page = page_of(request, listing, settings.NEWSROOM_PAGE_SIZE)
    return render(
        request,
        "articles/channel.html",
        {
            "channel": channel,
            "sub_channels": channel.sub_channels,
            "pinned": page.pinned,
            "page": page,
            "list_key": fragments.key(page.pinned, page.object_list),
            "ranking": ranking(channel),
        },
    )


@require_GET
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    tag = public_or_404("tag", public_tags, slug=slug)
    depends_on(request, f"tag:{tag.pk}", reads=(PAGE_NUMBER,))
    listing = ArticleList(f"tag:{tag.pk}", tagged, {"tag": tag.pk})
    page = page_of(request, listing, settings.NEWSROOM_PAGE_SIZE)
    list_key = fragments.key(page.object_list)
    return render(request, "articles/tag.html", {"tag": tag, "page": page, "list_key": list_key})


@require_GET
def author(request: HttpRequest, pk: int) -> HttpResponse:
    author = public_or_404("author", Author.objects.credited_publicly, pk=pk)
    depends_on(request, f"author:{author.pk}", reads=(PAGE_NUMBER,))
    listing = ArticleList(f"author:{author.pk}", by_author, {"author": author.pk})
    page = page_of(request, listing, settings.NEWSROOM_PAGE_SIZE)
    list_key = fragments.key(page.object_list)
    return render(
        request, "articles/author.html", {"author": author, "page": page, "list_key": list_key}
    )


# The lists these pages page through, built from ids (website/pagination.py).


def in_section(values: Mapping[str, int]) -> QuerySet:
    """Public articles of a top-level channel and its sub-channels."""
    return Article.objects.published().in_channel(Channel(pk=values["channel"]))


def in_sub_channel(values: Mapping[str, int]) -> QuerySet:
    """Public articles of a sub-channel."""
    # Any parent will do: in_channel only asks whether the channel has one.
    sub_channel = Channel(pk=values["channel"], parent_id=values["channel"])
    return Article.objects.published().in_channel(sub_channel)


def tagged(values: Mapping[str, int]) -> QuerySet:
    """Public articles carrying a tag."""
    return Article.objects.published().tagged(values["tag"])


def by_author(values: Mapping[str, int]) -> QuerySet:
    """Public articles crediting a person."""
    return Article.objects.published().by_author(values["author"])


@require_GET
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    live_entries = TopicEntry.objects.filter(
        article__in=Article.objects.published()
    ).select_related("article__channel", "article__cover_image")
    topic = get_object_or_404(
        Topic.objects.select_related("lead_image").prefetch_related(
            "sections", Prefetch("sections__entries", queryset=live_entries)
        ),
        slug=slug,
    )
    shown = {e.article_id for section in topic.sections.all() for e in section.entries.all()}
    depends_on(request, f"topic:{topic.pk}", *(f"article:{pk}" for pk in shown))
    return render(request, "articles/topic.html", {"topic": topic})
