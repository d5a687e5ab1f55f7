"""How machines find the site: feeds, sitemaps and robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles.text import without_invisible_characters
from delivery.pagecache import depends_on
from website import sitemaps
from website.site import absolute_url


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    depends_on(request, "sitemaps")
    return sitemap_views.index(
        request, sitemaps.sections(), sitemap_url_name="articles:sitemap_section"
    )


@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    depends_on(request, "sitemaps", reads=("p",))  # Django's sitemap view pages by ?p=
    return sitemap_views.sitemap(
        request, sitemaps.sections(), section=section, template_name="sitemaps/section.xml"
    )


@require_GET
def news_sitemap(request: HttpRequest) -> HttpResponse:
    depends_on(request, "sitemaps")
    return render(
        request,
        "sitemaps/news.xml",
        {
            "articles": [
                # XML 1.0 has no place for control characters, whatever a title holds.
                (
                    absolute_url(request, article.get_absolute_url()),
                    article,
                    without_invisible_characters(article.title),
                )
                for article in sitemaps.news_items()
            ],
            "publication": sitemaps.publication_name(),
        },
        content_type="application/xml; charset=utf-8",
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    depends_on(request)  # shows nothing that changes but the site itself
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        "",
        f"Sitemap: {absolute_url(request, reverse('articles:sitemap_index'))}",
        f"Sitemap: {absolute_url(request, reverse('articles:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
