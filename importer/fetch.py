"""Fetching an old site politely: one request at a time per host with a pause between
them, retries with back-off, robots.txt obeyed, and a cache on disk so that a re-run
fetches nothing it already has."""

from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from django.utils.translation import gettext as _

RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """The address could not be had; the message says why (for the report)."""


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    data: bytes
    content_type: str

    @property
    def charset(self) -> str | None:
        return charset_of(self.content_type)


def charset_of(content_type: str) -> str | None:
    """The charset parameter of a Content-Type header, if it has one."""
    for part in content_type.split(";")[1:]:
        key, _sep, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"'")
    return None


class Fetcher:
    """GET with a disk cache; ``requests`` counts what really went over the network."""

    def __init__(
        self,
        cache: Path,
        *,
        delay: float,
        retries: int = 3,
        timeout: float = 20.0,
        user_agent: str = "NewsroomImporter/1.0",
    ) -> None:
        self.cache, self.delay, self.retries = Path(cache), delay, retries
        self.timeout, self.user_agent = timeout, user_agent
        self.cache.mkdir(parents=True, exist_ok=True)
        self.last_request: dict[str, float] = {}
        self.robots: dict[str, RobotFileParser] = {}
        self.requests = 0

    def get(self, url: str) -> Response:
        """The page or file at ``url``, from the cache when it has been fetched before."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(_("不是网页地址：%(url)s") % {"url": url})
        if (stored := self.cached(url)) is not None:
            return self.checked(stored)
        if not self.allowed(url):
            raise FetchError(_("robots.txt 不允许抓取：%(url)s") % {"url": url})
        response = self.download(url)
        self.store(response)
        return self.checked(response)

    @staticmethod
    def checked(response: Response) -> Response:
        if response.status != 200:
            raise FetchError(
                _("%(url)s 返回 HTTP %(status)s")
                % {"url": response.url, "status": response.status}
            )
        return response

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            rules = RobotFileParser(f"{origin}/robots.txt")
            robots_url = f"{origin}/robots.txt"
            response = self.cached(robots_url)
            if response is None:
                try:
                    response = self.download(robots_url)
                except FetchError:
                    response = Response(robots_url, 404, b"", "")
                self.store(response)
            if response.status == 200:
                rules.parse(response.data.decode("utf-8", errors="replace").splitlines())
            else:
                rules.allow_all = response.status >= 400 and response.status not in (401, 403)
                rules.disallow_all = response.status in (401, 403)
            self.robots[origin] = rules
        return self.robots[origin].can_fetch(self.user_agent, url)

    def download(self, url: str) -> Response:
        """One address over the network: paced per host, retried on a busy or failing server."""
        host = urlsplit(url).netloc
        for attempt in range(self.retries + 1):
            wait = self.last_request.get(host, 0) + self.delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self.last_request[host] = time.monotonic()
            self.requests += 1
            try:
                response = self.request(url)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt == self.retries:
                    raise FetchError(
                        _("无法连接 %(url)s：%(error)s") % {"url": url, "error": error}
                    ) from error
            else:
                if response.status not in RETRY_STATUSES or attempt == self.retries:
                    return response
            time.sleep(min(self.delay * 2**attempt, 30))
        raise AssertionError("unreachable")

    def request(self, url: str) -> Response:
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return Response(
                    url, answer.status, answer.read(), answer.headers.get("Content-Type", "")
                )
        except urllib.error.HTTPError as error:
            return Response(url, error.code, b"", error.headers.get("Content-Type", ""))

    # --- The disk cache: one body and one small JSON file per address ------------------------

    def paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()
        folder = self.cache / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body"

    def cached(self, url: str) -> Response | None:
        meta_path, body_path = self.paths(url)
        try:
            meta = json.loads(meta_path.read_text())
            return Response(url, meta["status"], body_path.read_bytes(), meta["content_type"])
        except (OSError, ValueError, KeyError):
            return None

    def store(self, response: Response) -> None:
        """Keep final answers (a page, a missing page), not a server's passing trouble."""
        if response.status in RETRY_STATUSES:
            return
        meta_path, body_path = self.paths(response.url)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        body_path.write_bytes(response.data)
        meta = {
            "url": response.url,
            "status": response.status,
            "content_type": response.content_type,
        }
        meta_path.write_text(json.dumps(meta))
