"""Load the demo station: channels, editors, authors, photos and articles.

Every step looks for what is already there first, so loading twice changes nothing; an
article already loaded keeps its first-publish time, and so its permanent URL.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from articles.figures import editor_figure
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Channel,
    Editor,
    GalleryPhoto,
    Image,
    Placement,
    RelatedLink,
    Topic,
)
from articles.models.people import Role
from articles.slugs import pinyin_slug
from desk.demo.photos import draw_photo
from desk.demo.videos import make_clip
from photos import photos as library
from search import related, search, vocabulary
from search.models import Synonym
from videos import ffmpeg
from videos import library as video_library
from videos.figures import editor_figure as video_figure
from videos.models import Video

DATA = Path(__file__).resolve().parent
ROLES = {str(label): value for value, label in Role.choices}
SLOTS = {"headline": "headline", "pinned": "pinned", "featured": "featured"}
ADMIN_USERNAME, ADMIN_PASSWORD = "admin", "newsroom-demo"
DEMO_WRITER = "xiangminghui"


@dataclass
class Report:
    """What a load created, for the command to print."""

    created: dict[str, int] = field(default_factory=dict)
    admin_created: bool = False
    notes: list[str] = field(default_factory=list)

    def count(self, what: str, created: bool) -> None:
        self.created[what] = self.created.get(what, 0) + int(created)


def read(name: str) -> dict:
    with (DATA / name).open("rb") as file:
        return tomllib.load(file)


@transaction.atomic
def load_demo() -> Report:
    """Create whatever part of the demo station is missing."""
    report = Report()
    site = read("channels.toml")
    load_channels(site["channel"], report)
    editors = load_editors(site["editor"], report)
    report.admin_created = ensure_admin()
    entries = read("articles.toml")["article"]
    articles = {entry["key"]: load_article(entry, editors, report) for entry in entries}
    for entry in entries:
        link_related(articles[entry["key"]], entry, articles)
    load_topics(read("topics.toml")["topic"], articles, report)
    for article in Article.objects.published():
        related.refresh(article)
    # Loaded as history, not through the workflow: index what is public ourselves.
    search.index_articles(
        Article.objects.filter(pk__in=[a.pk for a in articles.values()]).prefetch_related("tags")
    )
    for group in read("synonyms.toml")["synonym"]:
        Synonym.objects.get_or_create(terms=group["terms"], defaults={"note": group["note"]})
    vocabulary.rebuild()
    return report


def load_channels(entries: list[dict], report: Report) -> None:
    for position, entry in enumerate(entries, start=1):
        parent, created = Channel.objects.get_or_create(
            slug=pinyin_slug(entry["name"]),
            defaults={
                "name": entry["name"],
                "kind": entry["kind"],
                "position": position * 10,
                "description": entry["description"],
            },
        )
        report.count("channels", created)
        for child_position, name in enumerate(entry.get("children", []), start=1):
            _, created = Channel.objects.get_or_create(
                slug=pinyin_slug(name),
                defaults={"name": name, "parent": parent, "position": child_position},
            )
            report.count("channels", created)


def load_editors(entries: list[dict], report: Report) -> dict[str, Editor]:
    editors = {}
    for entry in entries:
        user, created = get_user_model().objects.get_or_create(
            username=entry["username"],
            defaults={"is_staff": True, "email": f"{entry['username']}@hongling.example"},
        )
        if created:
            user.set_password(ADMIN_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=entry["role"]))
        editor, created = Editor.objects.get_or_create(
            user=user, defaults={"display_name": entry["display_name"]}
        )
        if created:
            editor.channels.set(Channel.objects.filter(slug__in=entry["channels"]))
        report.count("editors", created)
        editors[entry["username"]] = editor
    return editors


def desk_accounts() -> list[tuple[str, str]]:
    """The demo's desk accounts and their roles, for the command to print."""
    return [(entry["username"], entry["role"]) for entry in read("channels.toml")["editor"]]


def ensure_admin() -> bool:
    """Create the demo administrator unless an account of that name exists."""
    users = get_user_model().objects
    if users.filter(username=ADMIN_USERNAME).exists():
        return False
    users.create_superuser(ADMIN_USERNAME, "admin@example.com", ADMIN_PASSWORD)
    return True


def load_article(entry: dict, editors: dict[str, Editor], report: Report) -> Article:
    existing = Article.objects.filter(title=entry["title"]).first()
    report.count("articles", existing is None)
    if existing:
        return existing
    photos = {p["key"]: load_photo(p, report) for p in entry.get("photos", [])}
    video = load_video(entry, report) if "video" in entry else None
    draft = entry.get("draft", False)
    writer = editors[DEMO_WRITER].user
    channel = Channel.objects.get(slug=entry["channel"])
    # A photo set shows its photos as a gallery rather than between paragraphs; a video
    # story opens with its video, its still kept for the lists.
    inline = {} if channel.kind == Channel.Kind.PHOTO or video else photos
    body = body_html(entry, inline)
    if video:
        body = f"{video_figure(video)}\n{body}"
    published_at = timezone.localtime().replace(
        hour=entry["hour"], minute=entry["minute"], second=0, microsecond=0
    ) - timedelta(days=entry["days_ago"])
    # Demo articles arrive as already-published history, backdated, like an import.
    article = Article.objects.create(
        channel=channel,
        title=entry["title"],
        kicker=entry.get("kicker", ""),
        subtitle=entry.get("subtitle", ""),
        summary=entry["summary"],
        body=body,
        dateline=entry.get("dateline", ""),
        byline_override=entry.get("byline", ""),
        origin=entry["origin"],
        source=entry.get("source", ""),
        original_outlet=entry.get("source", "") if entry["origin"] == "reprint" else "",
        original_author=entry.get("original_author", ""),
        original_title=entry.get("original_title", ""),
        original_url=entry.get("original_url", ""),
        editor=editors.get(entry.get("editor", "")),
        created_by=writer,
        cover_image=photos.get(entry.get("cover", "")),
        status=Article.Status.DRAFT if draft else Article.Status.PUBLISHED,
        first_published_at=None if draft else min(published_at, timezone.now()),
    )
    article.tags.set(entry.get("tags", []))
    for position, flag in enumerate(entry.get("flags", [])):
        Placement.objects.create(article=article, slot=SLOTS[flag], position=position)
    if channel.kind == Channel.Kind.PHOTO:
        GalleryPhoto.objects.bulk_create(
            GalleryPhoto(article=article, image=image, position=position)
            for position, image in enumerate(photos.values())
        )
    for position, (name, role, outlet) in enumerate(entry.get("authors", [])):
        author, created = Author.objects.get_or_create(
            name=name, outlet=outlet, defaults={"role": ROLES[role]}
        )
        report.count("authors", created)
        ArticleAuthor.objects.create(
            article=article, author=author, role=ROLES[role], position=position
        )
    if entry.get("submitted"):
        article.submit(by=writer)
    return article


def load_photo(entry: dict, report: Report) -> Image:
    image = Image.objects.filter(caption=entry["caption"], credit=entry["credit"]).first()
    report.count("photos", image is None)
    if image:
        return image
    # Through the library's front door, like an upload: checked, kept, drawn, watermarked.
    drawn = ContentFile(draw_photo(entry["palette"], entry["key"]), name=f"{entry['key']}.jpg")
    return library.add_photo(
        drawn, caption=entry["caption"], credit=entry["credit"], alt_text=entry["alt"]
    )


def load_video(entry: dict, report: Report) -> Video | None:
    """The story's clip, made with FFmpeg's test sources and uploaded like any other; None
    (and a note for the command to print) where FFmpeg is not installed."""
    clip = entry["video"]
    video = Video.objects.filter(title=entry["title"], caption=clip["caption"]).first()
    report.count("videos", video is None and ffmpeg.available())
    if video:
        return video
    if not ffmpeg.available():
        note = (
            "FFmpeg is not installed (apt-get install ffmpeg): the 精彩视频 stories have no video."
        )
        if note not in report.notes:
            report.notes.append(note)
        return None
    data = make_clip(clip["pattern"], clip["text"], clip["seconds"], clip["tone"])
    return video_library.add_video(
        ContentFile(data, name=f"{entry['key']}.mp4"),
        title=entry["title"],
        caption=clip["caption"],
        credit=clip["credit"],
        poster_at=clip["poster_at"],
    )


def body_html(entry: dict, photos: dict[str, Image]) -> str:
    """Turn blank-line separated paragraphs into HTML, with each photo after its paragraph."""
    after: dict[int, list[Image]] = {}
    for photo in entry.get("photos", []):
        if photo["key"] in photos:
            after.setdefault(photo["after"], []).append(photos[photo["key"]])
    parts = []
    for index, paragraph in enumerate(p.strip() for p in entry["body"].split("\n\n")):
        if paragraph:
            parts.append(f"<p>{escape(paragraph)}</p>")
        parts.extend(figure_html(image) for image in after.get(index, []))
    return "\n".join(parts)


def figure_html(image: Image) -> str:
    """A library figure as the body editor writes it (drawn on save by articles.figures)."""
    return editor_figure(image)


def load_topics(entries: list[dict], articles: dict[str, Article], report: Report) -> None:
    for position, entry in enumerate(entries):
        lead = articles[entry["lead"]].cover_image
        topic, created = Topic.objects.get_or_create(
            title=entry["title"],
            defaults={"intro": entry["intro"], "lead_image": lead, "position": position},
        )
        report.count("topics", created)
        if not created:
            continue
        for number, section in enumerate(entry["section"]):
            part = topic.sections.create(title=section["title"], position=number)
            for place, key in enumerate(section["articles"]):
                part.entries.create(article=articles[key], position=place)


def link_related(article: Article, entry: dict, articles: dict[str, Article]) -> None:
    for position, key in enumerate(entry.get("picks", [])):
        article.picks.get_or_create(to_article=articles[key], defaults={"position": position})
    for position, (title, url) in enumerate(entry.get("links", [])):
        RelatedLink.objects.get_or_create(
            article=article, url=url, defaults={"title": title, "position": position}
        )
