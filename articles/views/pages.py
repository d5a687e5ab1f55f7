"""Listing pages: home, channel, tag, author and special topic."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles import navigation
from articles.lookups import public_or_404
from articles.models import Article, Author, Topic, TopicEntry
from articles.pagecache import depends_on
from articles.pagination import page_of
from articles.querysets import public_tags

SECTION_SIZE = 5
LATEST_SIZE = 10


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    depends_on(request, "home")
    channels = navigation.tree(request)
    sections = channels.navigation()
    articles = Article.objects.for_listing()
    newest = articles.published().newest_first()
    grouped = Article.objects.newest_by_section(sections, SECTION_SIZE)
    for section in sections:
        section.newest = grouped[section.pk]
    return render(
        request,
        "articles/home.html",
        {
            "headlines": articles.placed("headline")[:2],
            "featured": articles.placed("featured")[:6],
            "latest": newest[:LATEST_SIZE],
            "sections": [section for section in sections if section.newest],
            "photos": newest.filter(section__in=channels.of_kind("photo"))[:8],
            "videos": newest.filter(section__in=channels.of_kind("video"))[:4],
            "topics": Topic.objects.current().select_related("lead_image")[:4],
        },
    )


@require_GET
def channel(request: HttpRequest, slug: str) -> HttpResponse:
    channel = navigation.tree(request).get(slug)
    list_topic = f"channel:{channel.pk}" if channel.parent_id else f"section:{channel.pk}"
    depends_on(request, list_topic)
    in_channel = Article.objects.published().in_channel(channel)
    page = page_of(
        request,
        in_channel.newest_first(),
        settings.NEWSROOM_PAGE_SIZE,
        list_topic,
        pinned=lambda: in_channel.placed("pinned"),  # built only when the list is read again
    )
    return render(
        request,
        "articles/channel.html",
        {
            "channel": channel,
            "sub_channels": channel.sub_channels,
            "pinned": page.pinned,
            "page": page,
        },
    )


@require_GET
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    tag = public_or_404("tag", public_tags, slug=slug)
    depends_on(request, f"tag:{tag.pk}")
    articles = Article.objects.published().tagged(tag).newest_first()
    page = page_of(request, articles, settings.NEWSROOM_PAGE_SIZE, topic=f"tag:{tag.pk}")
    return render(request, "articles/tag.html", {"tag": tag, "page": page})


@require_GET
def author(request: HttpRequest, pk: int) -> HttpResponse:
    author = public_or_404("author", Author.objects.credited_publicly, pk=pk)
    depends_on(request, f"author:{author.pk}")
    articles = Article.objects.published().by_author(author).newest_first()
    page = page_of(request, articles, settings.NEWSROOM_PAGE_SIZE, topic=f"author:{author.pk}")
    return render(request, "articles/author.html", {"author": author, "page": page})


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
