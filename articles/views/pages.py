"""Listing pages: home, channel, tag, author and special topic."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles import navigation
from articles.frontpage import front_page
from articles.lookups import public_or_404
from articles.models import Article, Author, Topic, TopicEntry
from articles.pagecache import depends_on
from articles.pagination import page_of
from articles.querysets import public_tags


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
