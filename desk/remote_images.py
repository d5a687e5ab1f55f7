"""Remote images in a story's body, brought into the photo library behind the desk's back.

When the desk saves a story, each remote image of its body (articles/remote.py) gets a
``RemoteImage`` row and a background task fetches it (photos/remote.py). A fetched image
becomes a library photo, and the figure in the body is rewritten to show it: on the row as
it is then (locked, re-read), replacing that one address only, saved the normal way (its
edit version rises, so a form open on the old version is refused with what changed, not
silently overwritten) and kept as a version of its own. What could not be fetched stays
listed with the reason on the story's page, with a button to try again; while any remote
image remains, the story cannot be submitted or approved (desk/workflow.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.models import Article, RemoteImage, Revision
from articles.remote import caption_of, remote_images, replace_remote_image
from articles.transitions import Status
from desk import revisions
from ops.tasks import retried
from photos.remote import FetchFailed, add_to_library

if TYPE_CHECKING:
    from articles.models import Image

logger = logging.getLogger(__name__)

# Attempts of one image that failed for a passing reason before it is listed as failed.
MAX_ATTEMPTS = 3
# Only a story still being written or reviewed is changed behind the desk's back.
EDITABLE = (Status.DRAFT, Status.IN_REVIEW)


class ImagesStillRemote(Exception):
    """Some images failed for a passing reason: the task is tried again later."""


def note(article: Article, *, by) -> list[str]:
    """After a desk save: list the body's remote images and fetch the new ones in the
    background (once the save commits). Returns the addresses queued."""
    urls = [url for url, _alt in remote_images(article.body)]
    RemoteImage.objects.filter(article=article).exclude(url__in=urls).delete()
    known = set(RemoteImage.objects.filter(article=article).values_list("url", flat=True))
    new = [url for url in urls if url not in known]
    RemoteImage.objects.bulk_create(
        [RemoteImage(article=article, url=url) for url in new], ignore_conflicts=True
    )
    enqueue(article, new, by)
    return new


def retry(article: Article, *, by) -> list[str]:
    """Try every listed image of the story again (the desk's 重新获取 button)."""
    urls = [url for url, _alt in remote_images(article.body)]
    RemoteImage.objects.filter(article=article).exclude(url__in=urls).delete()
    RemoteImage.objects.filter(article=article).update(
        state=RemoteImage.State.WAITING, reason="", attempts=0
    )
    RemoteImage.objects.bulk_create(
        [RemoteImage(article=article, url=url) for url in urls], ignore_conflicts=True
    )
    enqueue(article, urls, by)
    return urls


def enqueue(article: Article, urls: list[str], by) -> None:
    if urls:
        pk, user = article.pk, getattr(by, "pk", None)
        transaction.on_commit(lambda: fetch_remote_images.enqueue(pk, urls, user))


def listed(article: Article) -> list[RemoteImage]:
    """The story's remote images still waiting or failed, as its page lists them."""
    return list(article.remote_images.all())


@retried(max_attempts=MAX_ATTEMPTS, backoff_seconds=60)
@task()
def fetch_remote_images(article_id: int, urls: list[str], user_id: int | None) -> int:
    """Fetch these remote images of a story into the library and show the library photos
    in their place; return how many were put in. Safe to repeat: an image already put in,
    given up on, or gone from the body is skipped."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    put_in, passing = 0, []
    with translation.override(settings.LANGUAGE_CODE):  # reasons are kept as text
        for url in urls:
            try:
                put_in += fetch_one(article_id, url, user)
            except FetchFailed as failure:
                record_failure(article_id, url, failure)
                if failure.transient:
                    passing.append(url)
    if passing:
        raise ImagesStillRemote(", ".join(passing))
    return put_in


def fetch_one(article_id: int, url: str, user) -> bool:
    """Fetch one remote image into the library and put it in the story's body."""
    row = RemoteImage.objects.filter(
        article_id=article_id, url=url, state=RemoteImage.State.WAITING
    ).first()
    article = Article.objects.filter(pk=article_id).first()
    if row is None or article is None:
        return False
    alt = dict(remote_images(article.body)).get(url)
    if alt is None or article.status not in EDITABLE:
        row.delete()
        return False
    RemoteImage.objects.filter(pk=row.pk).update(
        attempts=row.attempts + 1, tried_at=timezone.now()
    )
    # The library photo and its place in the story together: a run cut short (its worker
    # killed) leaves no photo behind, so the run after it adds one, not a second.
    with transaction.atomic():
        image = add_to_library(
            url,
            caption=caption_of(article.body, url),
            credit=article.original_outlet or article.source,
            alt_text=alt,
            # Someone else's picture in a reprint does not carry the station's mark.
            watermark=article.origin != Article.Origin.REPRINT,
            uploaded_by=user,
        )
        return put_in_place(article_id, url, image)


@transaction.atomic
def put_in_place(article_id: int, url: str, image: Image) -> bool:
    """Show the library photo where the body shows ``url``, in the story as it is now."""
    article = Article.objects.select_for_update(of=("self",)).filter(pk=article_id).first()
    if article is None:
        return False
    RemoteImage.objects.filter(article=article, url=url).delete()
    if article.status not in EDITABLE or url not in dict(remote_images(article.body)):
        return False  # the photo stays in the library for whoever wants it
    article.body = replace_remote_image(article.body, url, image)
    article.save(update_fields=["body", "updated_at"])
    article.refresh_from_db(fields=["edit_version"])
    revisions.store(article, None, Revision.Reason.IMAGES_FETCHED)
    return True


def record_failure(article_id: int, url: str, failure: FetchFailed) -> None:
    """Keep why an image was not fetched; a passing failure waits for the next attempt
    until the attempts run out."""
    row = RemoteImage.objects.filter(article_id=article_id, url=url).first()
    if row is None:
        return
    row.refresh_from_db()
    given_up = not failure.transient or row.attempts >= MAX_ATTEMPTS
    row.state = RemoteImage.State.FAILED if given_up else RemoteImage.State.WAITING
    row.reason = str(failure)
    row.tried_at = timezone.now()
    row.save(update_fields=["state", "reason", "tried_at"])
    logger.info("Remote image %s of article %s not fetched: %s", url, article_id, failure)


def blocker(article: Article) -> str | None:
    """Why a story with remote images cannot go forward yet, naming them; None if it has
    none."""
    urls = [url for url, _alt in remote_images(article.body)]
    if not urls:
        return None
    return _(
        "正文中有 %(count)d 张图片仍链接在其他网站（%(urls)s）：请等系统把它们存入图库，"
        "或在稿件页面的“外链图片”处重新获取；获取不到的，请删除或换成图库照片"
    ) % {"count": len(urls), "urls": "、".join(shorten(url) for url in urls)}


def shorten(url: str, limit: int = 60) -> str:
    return url if len(url) <= limit else f"{url[: limit - 1]}…"
