"""Preview links: a story as readers will see it, for a reviewer with no session.

A link is a signed address (``django.core.signing``, a salt of its own) naming one
``PreviewLink`` row, the article and the revision it was shared at. It works until its
row's ``expires_at`` (NEWSROOM_PREVIEW_HOURS after sharing), and stops earlier when the row
is revoked, when the story is edited past that revision, or once the story is published or
withdrawn; the reader is then told which, and where the public page is. Sharing and revoking
are written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from http import HTTPStatus

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PreviewLink, Revision
from articles.transitions import Status
from audit.chain import record as audit
from audit.models import Entry

SALT = "newsroom.desk.preview-link"


class Refusal(Enum):
    """Why a link no longer shows the story."""

    INVALID = "invalid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    EDITED = "edited"

    @property
    def status(self) -> HTTPStatus:
        """Not found for an address never given out; refused for a revoked link; gone for
        one whose time or story has passed."""
        if self is Refusal.INVALID:
            return HTTPStatus.NOT_FOUND
        return HTTPStatus.FORBIDDEN if self is Refusal.REVOKED else HTTPStatus.GONE


@dataclass(frozen=True)
class Opened:
    """What a preview address leads to: the article and its link, or why not."""

    link: PreviewLink | None = None
    article: Article | None = None
    refusal: Refusal | None = None
    public_path: str = ""


def latest_revision(article: Article) -> int:
    """The number of the story's newest edited version (0 before the first): every save in
    the desk stores one (desk/revisions.py), under the live article. The copy stored on
    publishing (or scheduling) changes nothing that a reviewer read."""
    versions = Revision.objects.filter(article_id=article.live_article.pk).exclude(
        reason=Revision.Reason.PUBLISHED
    )
    found = versions.aggregate(Max("pk"))
    return found["pk__max"] or 0


def token(link: PreviewLink) -> str:
    """The signed part of the link's address."""
    live = link.article.live_article
    payload = {"l": link.pk, "a": link.article_id, "p": live.pk, "r": link.revision}
    return signing.dumps(payload, salt=SALT, compress=False)


def path(link: PreviewLink) -> str:
    return reverse("desk:shared_preview", args=[token(link)])


@transaction.atomic
def share(article: Article, *, by) -> PreviewLink:
    """A new link to the article's current revision, working for NEWSROOM_PREVIEW_HOURS."""
    now = timezone.now()
    link = PreviewLink.objects.create(
        article=article,
        revision=latest_revision(article),
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(hours=settings.NEWSROOM_PREVIEW_HOURS),
    )
    details = {
        "link": link.pk,
        "row": article.pk,
        "revision": link.revision,
        "expires_at": link.expires_at.isoformat(),
    }
    audit(Entry.Action.PREVIEW_SHARED, actor=by, obj=article.live_article, details=details)
    return link


@transaction.atomic
def revoke(link: PreviewLink, *, by) -> bool:
    """Stop the link at once; False when it was already revoked."""
    locked = PreviewLink.objects.select_for_update().get(pk=link.pk)
    if locked.is_revoked():
        return False
    locked.revoked_at, locked.revoked_by = timezone.now(), by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    link.revoked_at, link.revoked_by = locked.revoked_at, by
    details = {"link": link.pk, "row": link.article_id, "revision": link.revision}
    audit(Entry.Action.PREVIEW_REVOKED, actor=by, obj=link.article.live_article, details=details)
    return True


def open_link(value: str) -> Opened:
    """The article a preview address shows now, loaded for its page, or why it shows none."""
    try:
        payload = signing.loads(value, salt=SALT)
        ids = (int(payload["l"]), int(payload["a"]), int(payload["p"]), int(payload["r"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Opened(refusal=Refusal.INVALID)
    link_id, article_id, live_id, revision = ids
    link = PreviewLink.objects.filter(pk=link_id, article_id=article_id, revision=revision).first()
    if link is None:
        # A working copy is gone once it has replaced its live article: say where that is.
        return _after(Article.objects.filter(pk=live_id).first(), Opened(refusal=Refusal.INVALID))
    if link.is_revoked():
        return Opened(link=link, refusal=Refusal.REVOKED)
    rows = Article.objects.for_page().select_related("revision_of")
    article = rows.get(pk=article_id)
    if article.revision_of_id is None and (refused := _after(article, None)) is not None:
        return refused
    if link.has_expired():
        return Opened(link=link, refusal=Refusal.EXPIRED)
    if latest_revision(article) != link.revision:
        return Opened(link=link, refusal=Refusal.EDITED)
    return Opened(link=link, article=article)


def _after(live: Article | None, otherwise: Opened | None) -> Opened | None:
    """Published (with its public address) or withdrawn: a preview has no more to show."""
    if live is not None and live.status == Status.PUBLISHED and live.has_been_public():
        return Opened(refusal=Refusal.PUBLISHED, public_path=live.get_absolute_url())
    if live is not None and live.status in (Status.WITHDRAWN, Status.KILLED):
        return Opened(refusal=Refusal.WITHDRAWN)
    return otherwise


def qr_code(url: str) -> dict:
    """The QR code of ``url`` as runs of dark modules, for a template to draw as SVG:
    ``size`` (with the quiet zone) and ``runs`` of (x, y, width)."""
    # Imported here: only the admin's preview page draws a code, and the library would
    # otherwise sit in every worker's memory (docs/performance.md, worker memory).
    import segno

    code = segno.make(url, error="m")
    runs = []
    for y, row in enumerate(code.matrix_iter(scale=1, border=4)):
        x = 0
        cells = list(row)
        while x < len(cells):
            if cells[x]:
                start = x
                while x < len(cells) and cells[x]:
                    x += 1
                runs.append((start, y, x - start))
            else:
                x += 1
    size, _ = code.symbol_size(scale=1, border=4)
    return {"size": size, "runs": runs}
