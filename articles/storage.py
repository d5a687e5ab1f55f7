"""Where photo originals are kept: settings.STORAGES["originals"], never public."""

import posixpath
from collections.abc import Iterator

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class OriginalsStorage(LazyObject):
    """The originals' storage, looked up on first use (as Django does for the default)."""

    def _setup(self) -> None:
        self._wrapped = storages["originals"]


originals_storage = OriginalsStorage()


def originals() -> OriginalsStorage:
    """The storage of ``Image.file`` (a callable, so migrations name no location)."""
    return originals_storage


@receiver(setting_changed)
def forget_originals_storage(*, setting: str, **kwargs) -> None:
    # Mirrors Django's own reset of default_storage when STORAGES changes (in tests).
    if setting == "STORAGES":
        originals_storage._wrapped = empty


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Yield the name of every file in a storage (a local folder or a bucket), depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage whose folder was never made
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for name in sorted(folders):
        yield from stored_files(storage, posixpath.join(folder, name))
