"""Content snapshots of articles: store one at every save, apply one, compare two.

One snapshot format serves four jobs: the history of an article, restoring an old version,
opening a working copy of a live article, and putting an approved working copy live.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from articles.models.history import Revision
from articles.models.relations import ArticleAuthor, RelatedLink, RelatedPick
from articles.text import word_count

if TYPE_CHECKING:
    from articles.models import Article

# Everything an editor writes; not the life-cycle fields the workflow owns.
CONTENT_FIELDS = [
    "kicker", "title", "subtitle", "summary", "body", "byline_override", "dateline",
    "origin", "source", "original_outlet", "original_author", "original_title",
    "original_url",
]  # fmt: skip
RELATED_FIELDS = ["channel_id", "editor_id", "cover_image_id"]
ATTRIBUTION_FIELDS = ["original_outlet", "original_author", "original_title", "original_url"]


def snapshot(article: Article) -> dict:
    """Everything needed to rebuild the article's content, as JSON-ready data."""
    data = {field: getattr(article, field) for field in CONTENT_FIELDS + RELATED_FIELDS}
    data["expire_at"] = article.expire_at.isoformat() if article.expire_at else None
    # Which version this is: a stale form is shown what changed since (desk/conflicts.py).
    data["edit_version"] = article.edit_version
    data["tags"] = sorted(tag.name for tag in article.tags.all())
    data["credits"] = [
        {"author_id": c.author_id, "name": c.author.name, "role": c.role, "position": c.position}
        for c in article.credits.select_related("author")
    ]
    data["picks"] = [
        {"article_id": p.to_article_id, "title": p.to_article.title, "position": p.position}
        for p in article.picks.select_related("to_article")
    ]
    data["links"] = [
        {"title": link.title, "url": link.url, "position": link.position}
        for link in article.links.all()
    ]
    data["gallery"] = [
        {"image_id": item.image_id, "caption": item.caption, "position": item.position}
        for item in article.gallery_items.all()
    ]
    return data


def apply(article: Article, data: dict) -> None:
    """Make the article's content what the snapshot says (one transaction is the caller's)."""
    from django.utils.dateparse import parse_datetime

    from articles.models import Article as ArticleModel
    from articles.models import Author, GalleryPhoto, Image

    for field in CONTENT_FIELDS + RELATED_FIELDS:
        if field in data:
            setattr(article, field, data[field])
    article.expire_at = parse_datetime(data["expire_at"]) if data.get("expire_at") else None
    if article.cover_image_id and not Image.objects.filter(pk=article.cover_image_id).exists():
        article.cover_image_id = None
    article.save()
    article.tags.set(data.get("tags", []))
    article.credits.all().delete()
    existing_authors = set(
        Author.objects.filter(pk__in=[c["author_id"] for c in data["credits"]]).values_list(
            "pk", flat=True
        )
    )
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(
            article=article, author_id=c["author_id"], role=c["role"], position=c["position"]
        )
        for c in data["credits"]
        if c["author_id"] in existing_authors
    )
    article.picks.all().delete()
    live_ids = set(
        ArticleModel.objects.filter(pk__in=[p["article_id"] for p in data["picks"]])
        .exclude(pk=article.pk)
        .values_list("pk", flat=True)
    )
    RelatedPick.objects.bulk_create(
        RelatedPick(from_article=article, to_article_id=p["article_id"], position=p["position"])
        for p in data["picks"]
        if p["article_id"] in live_ids
    )
    article.gallery_items.all().delete()
    existing_images = set(
        Image.objects.filter(pk__in=[g["image_id"] for g in data.get("gallery", [])]).values_list(
            "pk", flat=True
        )
    )
    GalleryPhoto.objects.bulk_create(
        GalleryPhoto(
            article=article, image_id=g["image_id"], caption=g["caption"], position=g["position"]
        )
        for g in data.get("gallery", [])
        if g["image_id"] in existing_images
    )
    article.links.all().delete()
    RelatedLink.objects.bulk_create(
        RelatedLink(
            article=article, title=link["title"], url=link["url"], position=link["position"]
        )
        for link in data["links"]
    )


def store(article: Article, by, reason: str, *, from_working_copy: bool = False) -> Revision:
    """Record the article's current content in its history (kept on the live article)."""
    return Revision.objects.create(
        article=article.live_article,
        created_by=by,
        reason=reason,
        from_working_copy=from_working_copy or article.revision_of_id is not None,
        content=snapshot(article),
        word_count=word_count(article.body),
    )


def clone_as_working_copy(live: Article, by) -> Article:
    """A new draft row carrying the live article's content, linked to it."""
    copy = type(live)(revision_of=live, created_by=by, channel_id=live.channel_id)
    apply(copy, snapshot(live))
    return copy


def missing_attribution(article: Article) -> list[str]:
    """Names of the reprint attribution fields that are still empty."""
    return [
        str(article._meta.get_field(field).verbose_name)
        for field in ATTRIBUTION_FIELDS
        if not getattr(article, field)
    ]


def describe_field(field: str) -> str:
    """The label an editor knows a snapshot field by."""
    labels = {
        "tags": _("标签"),
        "credits": _("作者"),
        "picks": _("相关稿件"),
        "links": _("相关链接"),
        "gallery": _("组图照片"),
        "expire_at": _("下线时间"),
    }
    if field in labels:
        return labels[field]
    from articles.models import Article

    return str(Article._meta.get_field(field.removesuffix("_id")).verbose_name)
