"""The photo library at work: adding and replacing photos, drawing their public copies,
and knowing where each photo is used. The pixels themselves are ``photos.images``."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils.translation import gettext_lazy as _

from articles.figures import photo_ids, refresh_figures, render_body
from articles.models import Article, Image
from photos import images

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

# Files written by the upload or edit in progress (this thread or task), so that a failure
# before its transaction commits can take them back.
written_files: ContextVar[list[tuple[Storage, str]] | None] = ContextVar(
    "written_photo_files", default=None
)


@contextmanager
def kept_only_if_committed() -> Iterator[None]:
    """Run a block in a transaction; if it fails, delete the files it wrote, so that no
    photo row is left without its file and no file without its row."""
    token = written_files.set([]) if written_files.get() is None else None
    written = written_files.get()
    start = len(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in written[start:]:
            if not still_listed(storage, name):
                storage.delete(name)
        del written[start:]
        raise
    finally:
        if token is not None:
            written_files.reset(token)


def note_written(storage: Storage, name: str) -> None:
    if (written := written_files.get()) is not None:
        written.append((storage, name))


def still_listed(storage: Storage, name: str) -> bool:
    """Whether a committed photo names this file (identical photos share public copies)."""
    try:
        if storage is default_storage:
            return Image.objects.filter(renditions__icontains=name).exists()
        return Image.objects.filter(file=name).exists()
    except DatabaseError:  # cannot tell: keep it; clean_orphan_files finds it later
        return True


def read_upload(upload: File) -> bytes:
    """The bytes of an upload within the size limit; a larger one is refused unread (Django
    streams uploads over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file)."""
    images.check_size(upload.size)
    upload.seek(0)
    return upload.read()


def add_photo(upload: File, *, uploaded_by: AbstractBaseUser | None = None, **fields) -> Image:
    """Check an upload, keep its original privately and have its public copies drawn.

    A refused upload raises ValidationError before anything is stored.
    """
    probe = images.check_upload(read_upload(upload))
    with kept_only_if_committed():
        image = Image(uploaded_by=uploaded_by, **fields)
        attach_original(image, probe)
        image.save()
        schedule_rendering(image)
    return image


def attach_original(image: Image, probe: images.Probe) -> None:
    """Store a checked original under its fingerprint and copy its facts onto the photo.

    The photo's current public copies stay in place until the new ones are all drawn.
    """
    name = f"{probe.sha256[:2]}/{probe.sha256}.{probe.extension}"
    image.file.save(name, ContentFile(probe.data), save=False)
    note_written(image.file.storage, image.file.name)
    image.sha256, image.format = probe.sha256, probe.format
    image.width, image.height = probe.width, probe.height
    image.taken_at, image.camera = probe.taken_at, probe.camera


def replace_original(image: Image, probe: images.Probe) -> None:
    """Put a new file behind a photo: every article using it shows the new one once drawn."""
    old_name = image.file.name
    attach_original(image, probe)
    image.save()
    # Only once the new name is committed: a rolled-back edit still has its old file.
    transaction.on_commit(partial(delete_unused_original, image.file.storage, old_name))
    schedule_rendering(image)


def delete_unused_original(storage: Storage, name: str) -> None:
    if name and not Image.objects.filter(file=name).exists():
        storage.delete(name)


def adopt_public_original(image: Image) -> bool:
    """Move a photo uploaded before the pipeline (kept in public media) into private
    storage; figures that linked its file become library figures. Returns whether there
    was one to move."""
    if image.sha256 or not default_storage.exists(image.file.name):
        return False
    public_name = image.file.name
    with default_storage.open(public_name, "rb") as public:
        probe = images.check_upload(public.read())
    attach_original(image, probe)
    image.save()
    old_figure = f'<figure><img src="{default_storage.url(public_name)}"'
    new_figure = f'<figure data-photo="{image.pk}"><img src=""'
    for article in Article.objects.filter(body__contains=old_figure).only("id", "body"):
        body = article.body.replace(old_figure, new_figure)
        Article.objects.filter(pk=article.pk).update(body=body)  # drawn once copies exist
    default_storage.delete(public_name)
    return True


def schedule_rendering(image: Image) -> None:
    """Queue the drawing of a photo's copies (run at once where no worker is configured)."""
    from photos.tasks import render_photo

    result = render_photo.enqueue(image.pk)
    if result.status == TaskResultStatus.FAILED:
        logger.error("Drawing photo %s failed:\n%s", image.pk, result.errors[-1].traceback)
    image.refresh_from_db(fields=["renditions", "rendered_with"])


MESSAGES = {
    "abandoned": _(
        "公开图片没有生成：处理它的进程多次中断（图片可能太大，服务器内存不足）。"
        "请换一个较小的文件重新上传，或联系技术人员。"
    ),
    "crashed": _("生成公开图片时出现意外错误。请重新上传；再次失败请联系技术人员。"),
}


def rendering_given_up(image_id: int, *, abandoned: bool) -> bool:
    """Drawing a photo's copies will not be tried again (its workers kept dying, or it
    raised with no tries left): the photo says why instead of staying 处理中 for ever.
    Returns whether there was such a photo."""
    problem = str(MESSAGES["abandoned" if abandoned else "crashed"])
    return bool(Image.objects.filter(pk=image_id).update(problem=problem))


def draw_copies(image_id: int, *, force: bool = False) -> bool:
    """Draw a photo's public copies unless they match its current settings; then redraw
    the articles showing it. Returns whether anything was drawn. Safe to repeat."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return False
    focal = (image.focal_x, image.focal_y)
    key = images.recipe(image.sha256, watermark=image.watermark, focal=focal)
    if image.rendered_with == key and not force:
        return False
    with image.file.open("rb") as original:
        copies = images.render(original.read(), watermark=image.watermark, focal=focal)
    stored = [store_copy(copy) for copy in copies]
    # All copies appear at once, and only if the original was not replaced meanwhile.
    if not Image.objects.filter(pk=image.pk, sha256=image.sha256).update(
        renditions=stored, rendered_with=key, problem=""
    ):
        return False
    old, image.renditions = image.renditions, stored
    transaction.on_commit(partial(delete_unused_copies, old))
    refresh_uses(image)
    return True


def store_copy(copy: images.Rendition) -> dict:
    name = copy.name()
    if not default_storage.exists(name):  # named by content: an existing file is this one
        name = default_storage.save(name, ContentFile(copy.data))
        note_written(default_storage, name)
    return {
        "kind": copy.kind,
        "width": copy.width,
        "height": copy.height,
        "format": copy.format,
        "marked": copy.marked,
        "name": name,
    }


def delete_unused_copies(copies: list[dict]) -> None:
    """Delete public files that no photo lists any more (identical photos share files)."""
    for copy in copies:
        if not Image.objects.filter(renditions__icontains=copy["name"]).exists():
            default_storage.delete(copy["name"])


def delete_files(image: Image) -> None:
    """Remove a deleted photo's original and public copies once the deletion is committed."""
    transaction.on_commit(partial(delete_unused_copies, image.renditions))
    transaction.on_commit(partial(delete_unused_original, image.file.storage, image.file.name))


def refresh_uses(image: Image, *, old_caption: str | None = None) -> int:
    """Redraw the bodies of the articles showing a photo, with the editor's preview of it
    brought up to date; figures still reading the library's old caption follow it to
    the new one. Returns how many were redrawn."""
    articles = image.uses().only("id", "body")
    for article in articles:
        body = refresh_figures(article.body, image, old_caption)
        # Not an editorial change: leave updated_at (and any revision history) alone.
        Article.objects.filter(pk=article.pk).update(body=body, body_html=render_body(body))
    return len(articles)


def images_missing_alt_text(article: Article) -> list[Image]:
    """Return the photos an article shows (cover, body, set) that have no alt text yet."""
    shown = Q(pk__in=photo_ids(article.body)) | Q(gallery_uses__article=article)
    if article.cover_image_id:
        shown |= Q(pk=article.cover_image_id)
    return list(Image.objects.filter(shown, alt_text__exact="").distinct())
