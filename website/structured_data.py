"""schema.org descriptions of pages, for search engines (JSON-LD)."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.templatetags.static import static

from articles.models import Article, Image
from videos.figures import leads_with_video, shown_videos
from videos.models import Video
from website.templatetags.dates import machine_time

# The station's logo, for publisher logos and for pages without a photo of their own.
LOGO = "site/icon-512.png"


def logo_url(absolute) -> str:
    """The absolute URL of the station's logo."""
    return absolute(static(LOGO))


def publisher(absolute) -> dict:
    """The station as a NewsMediaOrganization, with its logo and its network."""
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_STATION_NAME,
        "url": absolute("/"),
        "logo": {"@type": "ImageObject", "url": logo_url(absolute), "width": 512, "height": 512},
        "parentOrganization": {
            "@type": "NewsMediaOrganization",
            "name": settings.NEWSROOM_NETWORK_NAME,
            "url": settings.NEWSROOM_NETWORK_URL,
        },
    }


def collection_page(
    name: str, description: str, url: str, trail: list[tuple[str, str]], links: list[str], absolute
) -> list[dict]:
    """A list page: the CollectionPage with its articles as an ItemList, and the
    BreadcrumbList of ``trail`` ((name, path) from the home page down to the page)."""
    return [
        {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": name,
            "description": description,
            "url": url,
            "inLanguage": "zh-CN",
            "image": logo_url(absolute),
            "publisher": publisher(absolute),
            "mainEntity": {
                "@type": "ItemList",
                "itemListElement": [
                    {"@type": "ListItem", "position": n, "url": absolute(path)}
                    for n, path in enumerate(links, start=1)
                ],
            },
        },
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": step, "item": absolute(path)}
                for n, (step, path) in enumerate(trail, start=1)
            ],
        },
    ]


def news_article(article: Article, permalink: str, absolute) -> dict:
    """A NewsArticle for the article page; ``absolute`` turns a site path into a URL.

    Reads only what ``Article.objects.for_page()`` loaded (the cover's copies, not the
    photo itself).
    """
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "url": permalink,
        "mainEntityOfPage": {"@type": "WebPage", "@id": permalink},
        "datePublished": machine_time(article.first_published_at),
        "dateModified": machine_time(article.revised_at or article.first_published_at),
        "inLanguage": "zh-CN",
        "articleSection": article.channel.name,
        "keywords": [tag.name for tag in article.tag_list],
        "author": [
            {"@type": "Person", "name": credit.author.name, "url": absolute(
                credit.author.get_absolute_url()
            )}
            for credit in article.credit_list
        ] or [{"@type": "Organization", "name": settings.NEWSROOM_STATION_NAME}],
        "publisher": publisher(absolute),
        "isAccessibleForFree": True,
    }  # fmt: skip
    cover = Image(renditions=article.cover_renditions) if article.cover_image_id else None
    if cover and (copies := cover.copies("full", "jpeg")):
        data["image"] = [absolute(default_storage.url(copies[-1]["name"]))]
    else:  # search engines and share cards want a picture: the station's logo
        data["image"] = [logo_url(absolute)]
    if article.origin == Article.Origin.REPRINT and article.original_url:
        data["isBasedOn"] = article.original_url
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": correction.text,
            "datePublished": machine_time(correction.created_at),
        }
        for correction in article.correction_list
    ]
    if corrections:
        data["correction"] = corrections
    return data


def add_videos(data: dict, article: Article, absolute) -> dict:
    """The videos an article's body shows, as VideoObjects; a story that opens with a
    video (a 视频 story) is pictured by that video's poster (og:image and ``image``)."""
    videos = shown_videos(article)
    if not videos:
        return data
    data["video"] = [video_object(video, article, data, absolute) for video in videos]
    first = videos[0]
    if leads_with_video(article) and first.poster:
        data["image"] = [absolute(first.poster_url()), *data.get("image", [])]
    return data


def video_object(video: Video, article: Article, data: dict, absolute) -> dict:
    """A schema.org VideoObject for one video of the article."""
    found = {
        "@type": "VideoObject",
        "name": video.title,
        "description": video.caption or article.summary or video.title,
        "uploadDate": machine_time(video.uploaded_at),
    }
    if video.poster:
        found["thumbnailUrl"] = [absolute(video.poster_url())]
    elif data.get("image"):
        found["thumbnailUrl"] = data["image"][:1]
    if video.is_embed:
        found["embedUrl"] = video.player_url
        return found
    found["duration"] = video.iso_duration()
    found["contentUrl"] = absolute(video.source_urls()[0]["url"])
    return found
