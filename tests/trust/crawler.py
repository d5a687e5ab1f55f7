"""A reader with no account walking the site: every same-site link, asset and data URL,
breadth first, with every answer kept for the checks."""

from __future__ import annotations

import html
import json
import re
from collections import deque
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from django.test import Client

HOST = "testserver"
# Only GET is followed; the language switch is a form the reader posts on purpose.
NOT_FOLLOWED = ("/admin/", "/i18n/")
LINK_ATTRIBUTES = {"href", "src", "action", "poster", "data-src"}
ABSOLUTE_URL = re.compile(rf"https?://{HOST}[^\s\"'<>)]*")
XML_URL = re.compile(r"<(?:loc|link|id|guid)>([^<]+)</(?:loc|link|id|guid)>")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
TAG = re.compile(r"<[^>]+>")


@dataclass
class Answer:
    url: str
    status: int
    headers: str
    body: str  # text, or bytes read as Latin-1 for images and other files
    cache: str  # the page cache's verdict: HIT, MISS or "" (not a stored page)

    @cached_property
    def readings(self) -> list[str]:
        """The answer as a checker reads it: raw, without markup, and with URLs decoded,
        all lower case (tag slugs are lower-cased markers; <mark> splits a marker)."""
        text = f"{self.headers}\n{self.body}"
        plain = html.unescape(TAG.sub("", text))
        return [t.lower() for t in (text, plain, unquote(text))]


class LinkParser(HTMLParser):
    """Collect every URL an HTML page names: links, sources, srcsets, JSON-LD."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if value and name in LINK_ATTRIBUTES:
                self.urls.append(value)
            elif value and name in ("srcset", "imagesrcset"):
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
        content = values.get("content") or ""
        if tag == "meta" and content.startswith(("http://", "https://", "/")):
            self.urls.append(content)
        self._in_json_ld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.urls += list(strings_in(json.loads(data)))


def strings_in(data) -> list[str]:
    """Every string in a JSON document that looks like a URL."""
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings_in(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings_in(value)]
    if isinstance(data, str) and data.startswith(("http://", "https://", "/")):
        return [data]
    return []


def same_site(base: str, found: str) -> str | None:
    """The path (with query) of a URL on this site, or None for any other."""
    url = urldefrag(urljoin(base, html.unescape(found.strip())))[0]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc not in ("", HOST):
        return None
    if parts.path.startswith(NOT_FOLLOWED):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def urls_in(answer: Answer, content_type: str) -> list[str]:
    if "html" in content_type:
        parser = LinkParser()
        parser.feed(answer.body)
        found = parser.urls
    elif "css" in content_type:
        found = CSS_URL.findall(answer.body)
    elif "xml" in content_type or "text" in content_type:
        found = [html.unescape(url) for url in XML_URL.findall(answer.body)]
    else:
        return []
    found += ABSOLUTE_URL.findall(answer.body)
    return found


@dataclass
class Crawl:
    """Breadth-first from the seeds, at most ``limit`` URLs; every answer is kept."""

    client: Client
    limit: int = 600
    answers: dict[str, Answer] = field(default_factory=dict)
    truncated: bool = False

    def run(self, seeds: list[str]) -> Crawl:
        queue = deque(dict.fromkeys(seeds))
        queued = set(queue)
        while queue:
            if len(self.answers) >= self.limit:
                self.truncated = True
                break
            path = queue.popleft()
            answer, content_type = self.fetch(path)
            self.answers[path] = answer
            for found in urls_in(answer, content_type):
                target = same_site(f"http://{HOST}{path}", found)
                if target and target not in queued:
                    queued.add(target)
                    queue.append(target)
        return self

    def fetch(self, path: str) -> tuple[Answer, str]:
        response = self.client.get(path)
        content_type = response.get("Content-Type", "")
        # Reading a file served from disk to the end is what closes it.
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        textual = any(kind in content_type for kind in ("text", "xml", "json", "javascript"))
        body = raw.decode("utf-8", "replace") if textual else raw.decode("latin-1")
        headers = "\n".join(f"{k}: {v}" for k, v in response.items())
        cache = response.get("X-Page-Cache", "")
        return Answer(path, response.status_code, headers, body, cache), content_type

    def showing(self, marker: str) -> list[str]:
        """The URLs whose answer (body or headers) carries the marker, in any reading."""
        needle = marker.lower()
        return [
            url
            for url, answer in self.answers.items()
            if any(needle in text for text in answer.readings)
        ]

    def statuses(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for answer in self.answers.values():
            counts[answer.status] = counts.get(answer.status, 0) + 1
        return counts
