"""稿签: the one-page slip that goes with a story, printed from the admin.

Station, headline, channel, authors, 字数, source, the editor in charge, each level's
signature (name, opinion, time) and the publication time; print CSS fits it on one A4 page.
"""

from django.conf import settings

from articles.models import Article
from articles.text import word_count
from articles.transitions import review_levels
from desk import reviewsheet


def source_line(article: Article) -> str:
    """原创 or 转载, with the outlet the story comes from when there is one."""
    origin = article.get_origin_display()
    outlet = article.original_outlet if article.origin == Article.Origin.REPRINT else ""
    outlet = outlet or article.source
    return f"{origin}（{outlet}）" if outlet else str(origin)


def slip_context(article: Article) -> dict:
    """What the 稿签 of the row shown prints; a working copy is signed by its latest round."""
    live = article.live_article
    signatures = reviewsheet.signatures(
        live, review_levels(article), latest=article.revision_of_id is not None
    )
    return {
        "station": settings.NEWSROOM_STATION_NAME,
        "article": article,
        "authors": reviewsheet.author_line(article),
        "characters": word_count(article.body),
        "source": source_line(article),
        "signatures": signatures,
        "published_at": live.first_published_at,
    }
