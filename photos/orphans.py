"""Files no photo names, and photos whose files are gone: what clean_orphan_files reports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from articles.models import Article, Image
from articles.storage import originals_storage, stored_files


@dataclass(frozen=True)
class StoredFile:
    place: str  # "media" or "originals"
    storage: Storage
    name: str


def places() -> dict[str, Storage]:
    return {"media": default_storage, "originals": originals_storage}


def named_files() -> dict[str, set[str]]:
    """Every file name the database refers to, per storage."""
    named = {"media": set(), "originals": set()}
    for file, sha256, renditions in Image.objects.values_list("file", "sha256", "renditions"):
        # A photo from before the pipeline still has its file in public media.
        named["originals" if sha256 else "media"].add(file)
        named["media"].update(copy["name"] for copy in renditions)
    return named


def orphans(min_age: timedelta) -> Iterator[StoredFile]:
    """Files that no photo names, older than ``min_age`` (younger ones may be uploads in
    progress, whose rows are not committed yet). An article body linking a public file
    keeps it too."""
    named, cutoff = named_files(), timezone.now() - min_age
    for place, storage in places().items():
        for name in stored_files(storage):
            if name in named[place] or name.rsplit("/", 1)[-1].startswith("."):
                continue
            if storage.get_modified_time(name) > cutoff:
                continue
            if place == "media" and Article.objects.filter(body__contains=name).exists():
                continue
            yield StoredFile(place, storage, name)


def photos_missing_files() -> Iterator[tuple[Image, str]]:
    """Each photo with a file it names but that is not there: (photo, file name)."""
    for image in Image.objects.order_by("id"):
        storage = image.file.storage if image.sha256 else default_storage
        if not storage.exists(image.file.name):
            yield image, image.file.name
        for copy in image.renditions:
            if not default_storage.exists(copy["name"]):
                yield image, copy["name"]
