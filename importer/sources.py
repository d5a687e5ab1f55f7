"""Where old pages come from: a folder of saved pages, a WARC file, or a list of URLs.

Each source yields ``Page`` objects and finds the bytes of the photos a page shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _
from warcio.archiveiterator import ArchiveIterator

from importer.fetch import Fetcher, FetchError, charset_of
from importer.parse import Photo

PAGE_SUFFIXES = {".html", ".htm", ".shtml"}


class SourceError(Exception):
    """The source cannot be read at all (missing, not a WARC, empty list)."""


@dataclass(frozen=True)
class Page:
    url: str  # where it was read: file://, or the address in the WARC or the list
    data: bytes | None
    charset: str | None = None
    error: str = ""  # why there is no data (for the report)


class FolderSource:
    """Saved pages in a folder; photos beside them, or under the folder by URL path."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def label(self) -> str:
        return str(self.root)

    def pages(self) -> list[Page]:
        files = sorted(p for p in self.root.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES)
        return [Page(path.as_uri(), path.read_bytes()) for path in files]

    def photo(self, page: Page, photo: Photo) -> bytes | None:
        page_dir = Path(unquote(urlsplit(page.url).path)).parent
        src_path = unquote(urlsplit(photo.src).path)
        candidates = [self.root / unquote(urlsplit(photo.url).path).lstrip("/")]
        if src_path and not src_path.startswith("/"):
            candidates.append(page_dir / src_path)
        for candidate in candidates:
            path = candidate.resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return path.read_bytes()
        return None


class WarcSource:
    """A WARC (or .warc.gz) file: its 200 responses, found again by their target URI."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.index: dict[str, tuple[int, str]] = {}
        try:
            with path.open("rb") as stream:
                records = ArchiveIterator(stream)
                for record in records:
                    if record.rec_type != "response" or record.http_headers is None:
                        continue
                    if record.http_headers.get_statuscode() != "200":
                        continue
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    kind = record.http_headers.get_header("Content-Type") or ""
                    self.index[uri] = (records.get_record_offset(), kind)
        except OSError as error:
            raise SourceError(_("无法读取 WARC 文件：%(error)s") % {"error": error}) from error
        except Exception as error:  # warcio raises plain exceptions for a file that is not one
            raise SourceError(
                _("%(path)s 不是有效的 WARC 文件：%(error)s") % {"path": path, "error": error}
            ) from error

    def label(self) -> str:
        return str(self.path)

    def read(self, offset: int) -> bytes:
        with self.path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            return record.content_stream().read()

    def pages(self) -> Iterator[Page]:
        for uri, (offset, kind) in self.index.items():
            if "html" in kind.lower():
                yield Page(uri, self.read(offset), charset_of(kind))

    def photo(self, page: Page, photo: Photo) -> bytes | None:
        found = self.index.get(photo.url)
        return self.read(found[0]) if found else None


class UrlListSource:
    """A text file of page URLs, one a line (# starts a comment), fetched politely."""

    def __init__(self, path: Path, fetcher: Fetcher) -> None:
        self.path, self.fetcher = path, fetcher
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise SourceError(_("无法读取网址列表：%(error)s") % {"error": error}) from error
        self.urls = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        if not self.urls:
            raise SourceError(_("网址列表 %(path)s 中没有网址。") % {"path": path})

    def label(self) -> str:
        return str(self.path)

    def pages(self) -> Iterator[Page]:
        for url in self.urls:
            try:
                response = self.fetcher.get(url)
            except FetchError as error:
                yield Page(url, None, error=str(error))
            else:
                yield Page(url, response.data, response.charset)

    def photo(self, page: Page, photo: Photo) -> bytes | None:
        try:
            return self.fetcher.get(photo.url).data
        except FetchError:
            return None


def open_source(source: str, *, fetcher: Fetcher) -> FolderSource | WarcSource | UrlListSource:
    """A folder, a .warc/.warc.gz file, or any other file as a list of URLs."""
    path = Path(source)
    if path.is_dir():
        return FolderSource(path)
    if not path.is_file():
        raise SourceError(_("找不到导入来源：%(path)s") % {"path": source})
    if path.name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        return WarcSource(path)
    return UrlListSource(path, fetcher)
