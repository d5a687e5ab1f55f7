"""Where photo originals are kept: settings.STORAGES["originals"], never public."""

import posixpath
from collections.abc import Callable, Iterator

from django.core.files.storage import Storage, storages

# The Storage API: each is handed to the configured storage.
STORAGE_METHODS = (
    "open", "save", "is_name_available", "get_valid_name", "get_alternative_name",
    "get_available_name", "generate_filename", "path", "delete", "exists", "listdir", "size",
    "url", "get_accessed_time", "get_created_time", "get_modified_time",
)  # fmt: skip


class OriginalsStorage(Storage):
    """The originals' storage as configured now: every call goes to
    ``storages["originals"]``, so a change of STORAGES (in tests) needs no reset."""

    def __getattr__(self, name: str) -> object:
        # What the Storage API does not name: a folder's location, a bucket's settings.
        return getattr(storages["originals"], name)


def forwarded(name: str) -> Callable:
    """A method that calls the configured storage's own."""

    def method(self: OriginalsStorage, *args: object, **kwargs: object) -> object:
        return getattr(storages["originals"], name)(*args, **kwargs)

    method.__name__ = name
    return method


for method_name in STORAGE_METHODS:
    setattr(OriginalsStorage, method_name, forwarded(method_name))

originals_storage = OriginalsStorage()


def originals() -> OriginalsStorage:
    """The storage of ``Image.file`` (a callable, so migrations name no location)."""
    return originals_storage


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
