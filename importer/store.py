"""Filing a read story: the article under its old id and first-publication time, its
photos in the library, its people, channel, tags and the old URLs that lead to it.

Running it again for the same page updates what changed and adds nothing twice: the
article keeps its id, photos are found again by their fingerprint, people by name.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles import signals
from articles.figures import editor_img
from articles.models import Article, ArticleAuthor, Author, Channel, Editor, Image
from articles.transitions import Status
from importer.models import ImportedPage, Redirect
from importer.parse import Block, Photo, Story
from importer.profile import Profile
from importer.redirects import normalise
from photos.photos import add_photo

PhotoFinder = Callable[[Photo], bytes | None]


class Skip(Exception):
    """The page cannot be filed; the message says why (for the report)."""


@dataclass
class Filed:
    outcome: str  # "created", "updated" or "unchanged"
    article: Article
    photos: int = 0
    warnings: list[str] = field(default_factory=list)


def digest(story: Story) -> str:
    """A fingerprint of what the page says: a re-run leaves an unchanged story alone."""
    content = asdict(story)
    content.pop("warnings")
    content["published"] = story.published.isoformat()
    return hashlib.sha256(
        json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()


def file_story(story: Story, find_photo: PhotoFinder, profile: Profile, *, user=None) -> Filed:
    """Create or update the article a story becomes, with everything hanging off it."""
    fingerprint = digest(story)
    with transaction.atomic():
        imported = ImportedPage.objects.filter(article_id=story.old_id).first()
        if imported is None and Article.objects.filter(pk=story.old_id).exists():
            raise Skip(_("编号 %(id)s 已被本站的另一篇稿件占用。") % {"id": story.old_id})
        if imported is not None and imported.digest == fingerprint:
            return Filed("unchanged", imported.article)
        article = imported.article if imported else Article(pk=story.old_id, created_by=user)
        warnings = list(story.warnings)
        body, photos = draw_body(story, find_photo, profile, user, warnings)
        fill(article, story, body, photos, profile)
        # An imported story was published on the old site: it arrives as it was there. The
        # review chain's transitions are for stories made here; the audit log records the run.
        article.status = Status.PUBLISHED
        article.first_published_at = story.published
        article.save()
        credit(article, story)
        article.tags.set(story.tags)
        point_old_urls(article, story, profile)
        ImportedPage.objects.update_or_create(
            article=article, defaults={"old_url": story.old_url, "digest": fingerprint}
        )
        signal = signals.article_revised if imported else signals.article_published
        extra = {} if imported else {"scheduled": False}
        transaction.on_commit(partial(signal.send, sender=Article, article=article, **extra))
    return Filed("updated" if imported else "created", article, len(photos), warnings)


def fill(article: Article, story: Story, body: str, photos: list[Image], profile: Profile) -> None:
    article.title = story.title[:200]
    article.kicker = story.kicker[:100]
    article.subtitle = story.subtitle[:200]
    article.body = body
    article.channel = channel_for(story.channels, profile)
    article.dateline = story.dateline[:40]
    article.source = story.source[:100]
    article.editor = editor_named(story.editor) if story.editor else None
    article.cover_image = photos[0] if photos else None
    article.summary = next((b.text for b in story.blocks if b.kind == "p"), "")[:120]


def draw_body(
    story: Story, find_photo: PhotoFinder, profile: Profile, user, warnings: list[str]
) -> tuple[str, list[Image]]:
    """The body as the editor stores it: paragraphs, headings, and library figures with
    the caption line each photo had under it."""
    parts, photos = [], []
    for block in story.blocks:
        if block.kind == "p":
            parts.append(format_html("<p>{}</p>", block.text))
        elif block.kind == "h":
            parts.append(format_html("<h3>{}</h3>", block.text))
        elif (image := library_photo(block, find_photo, profile, user, warnings)) is not None:
            photos.append(image)
            parts.append(
                format_html(
                    '<figure data-photo="{}">{}<figcaption>{}</figcaption></figure>',
                    image.pk,
                    editor_img(image),
                    block.photo.caption,
                )
            )
    return "".join(parts), photos


def library_photo(
    block: Block, find_photo: PhotoFinder, profile: Profile, user, warnings: list[str]
) -> Image | None:
    """The library photo for a picture of the page: found again by fingerprint, or added
    through the photo pipeline (EXIF removed, copies drawn, watermark as the profile says)."""
    photo = block.photo
    data = find_photo(photo)
    if data is None:
        warnings.append(_("图片缺失，未迁入：%(url)s") % {"url": photo.url})
        return None
    existing = Image.objects.filter(sha256=hashlib.sha256(data).hexdigest()).first()
    if existing is not None:
        return existing
    name = posixpath.basename(urlsplit(photo.url).path) or "photo.jpg"
    try:
        return add_photo(
            ContentFile(data, name=name),
            uploaded_by=user,
            caption=photo.caption[:300],
            alt_text=(photo.alt or photo.caption)[:200],
            watermark=profile.watermark,
        )
    except ValidationError as error:
        warnings.append(
            _("图片无法使用，未迁入：%(url)s（%(why)s）")
            % {"url": photo.url, "why": " ".join(error.messages)}
        )
        return None


def channel_for(names: list[str], profile: Profile) -> Channel:
    """The channel the breadcrumb names: by the profile's table, else by name, else new."""
    if not names:
        raise Skip(_("没有找到栏目（当前位置）。"))
    parent = None
    for depth, name in enumerate(names):
        slug = profile.channels.get(name)
        found = Channel.objects.filter(slug=slug).first() if slug else None
        if found is None:
            found = Channel.objects.filter(name=name, parent=parent).first()
        if found is None and depth == len(names) - 1 and parent is None:
            found = Channel.objects.filter(name=name).first()
        if found is None:
            found = Channel.objects.create(name=name[:40], parent=parent)
        parent = found if found.parent_id is None else found.parent
        channel = found
    return channel


def editor_named(name: str) -> Editor:
    """The responsible editor: the one of that name, or a new record without an account."""
    return Editor.objects.filter(display_name=name).first() or Editor.objects.create(
        display_name=name[:40]
    )


def credit(article: Article, story: Story) -> None:
    """Credit the byline's people in order, each an author record (without an account)."""
    article.credits.all().delete()
    for position, person in enumerate(story.credits):
        author = Author.objects.filter(name=person.name, outlet=person.outlet).first()
        if author is None:
            author = Author.objects.create(
                name=person.name[:40], outlet=person.outlet[:40], role=person.role
            )
        role = "" if person.role == author.role else person.role
        ArticleAuthor.objects.create(article=article, author=author, role=role, position=position)


def point_old_urls(article: Article, story: Story, profile: Profile) -> None:
    """The old site's other shapes of this story's URL answer 301 (and its old URL too,
    where it differs from the permanent one)."""
    paths = [shape.format(id=story.old_id) for shape in profile.redirect_shapes]
    parts = urlsplit(story.old_url)
    old_path = parts.path + (f"?{parts.query}" if parts.query else "")
    if old_path and old_path != article.get_absolute_url():
        paths.append(old_path)
    for path in paths:
        Redirect.objects.update_or_create(
            old_path=normalise(path), defaults={"article": article, "target": ""}
        )
