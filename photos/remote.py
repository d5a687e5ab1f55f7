"""Fetching a remote image into the photo library, safely.

An editor pastes a story whose pictures live on another site; the desk asks this module
for each one. Only http and https are fetched, redirects included; the server's address
must be a public one (no private, loopback, link-local or reserved network, so a body
cannot make the server read its own network), and the connection goes to the address that
was checked. The answer must say it is an image, stay within the time and size limits and
pass the library's own checks (Pillow decodes it whole); then it is added to the library
like an upload: original kept privately, EXIF stripped from the public copies, watermark.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from photos import photos

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from articles.models import Image

MAX_REDIRECTS = 3
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
USER_AGENT = "Newsroom image fetcher"


class FetchFailed(Exception):
    """A remote image that was not fetched; the message says why, for the desk. A
    ``transient`` failure (network, server error) may succeed on a later attempt."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the address that was checked, whatever the name resolves to by then."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address; the certificate is still verified for the host name."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def is_public(address: str) -> bool:
    """Whether an IP address belongs to the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def checked_address(host: str, port: int) -> str:
    """The address to connect to for ``host``: every address it resolves to must be public,
    unless the site allows the host by name (NEWSROOM_FETCH_ALLOW_HOSTS)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchFailed(_("找不到图片所在的服务器（%(host)s）。") % {"host": host}) from error
    addresses = [info[4][0] for info in found]
    if host.lower() not in {h.lower() for h in settings.NEWSROOM_FETCH_ALLOW_HOSTS}:
        for address in addresses:
            if not is_public(address):
                raise FetchFailed(
                    _("图片地址指向内部网络地址（%(address)s），出于安全考虑不予获取。")
                    % {"address": address}
                )
    return addresses[0]


def fetch(url: str) -> tuple[bytes, str]:
    """Return the bytes and content type of a remote image, or raise FetchFailed."""
    deadline = time.monotonic() + settings.NEWSROOM_FETCH_TIMEOUT_SECONDS
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchFailed(_("只能获取 http 或 https 地址的图片：%(url)s") % {"url": url})
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchFailed(_("图片地址的端口不正确。")) from error
        response = request(parts.scheme, parts.hostname, port, parts, deadline)
        try:
            if response.status in REDIRECTS and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            return read_image(response, deadline)
        finally:
            response.close()
    raise FetchFailed(_("图片地址重定向次数过多。"))


def request(scheme: str, host: str, port: int, parts, deadline: float):
    address = checked_address(host, port)
    kind = PinnedHTTPSConnection if scheme == "https" else PinnedHTTPConnection
    timeout = max(deadline - time.monotonic(), 0.1)
    connection = kind(host, port, address=address, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
        return connection.getresponse()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        why = str(error) or type(error).__name__
        raise FetchFailed(
            _("连接图片所在的服务器失败：%(error)s") % {"error": why}, transient=True
        ) from error


def read_image(response: http.client.HTTPResponse, deadline: float) -> tuple[bytes, str]:
    """The body of an answer that says it is an image, within the size and time limits."""
    if response.status != 200:
        raise FetchFailed(
            _("对方服务器回应 HTTP %(code)s，没有给出图片。") % {"code": response.status},
            transient=response.status >= 500 or response.status == 429,
        )
    kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    if not kind.startswith("image/"):
        raise FetchFailed(
            _("对方返回的不是图片（内容类型：%(type)s）。") % {"type": kind or _("未注明")}
        )
    limit = settings.NEWSROOM_FETCH_MAX_MB * 1024 * 1024
    too_large = _("图片超过 %(limit)s MB，没有获取。") % {"limit": settings.NEWSROOM_FETCH_MAX_MB}
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchFailed(too_large)
    chunks, size = [], 0
    try:
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise FetchFailed(too_large)
            if time.monotonic() > deadline:
                raise FetchFailed(_("获取图片超时。"), transient=True)
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as error:
        raise FetchFailed(_("读取图片时连接中断。"), transient=True) from error
    return b"".join(chunks), kind


def add_to_library(
    url: str,
    *,
    caption: str = "",
    credit: str = "",
    alt_text: str = "",
    watermark: bool = True,
    uploaded_by: AbstractBaseUser | None = None,
) -> Image:
    """Fetch a remote image and add it to the photo library as an upload is added."""
    data, _kind = fetch(url)
    name = urlsplit(url).path.rsplit("/", 1)[-1] or "remote"
    try:
        return photos.add_photo(
            ContentFile(data, name=name[:100]),
            uploaded_by=uploaded_by,
            caption=caption[:300],
            credit=credit[:100],
            alt_text=alt_text[:200],
            watermark=watermark,
        )
    except ValidationError as refused:
        raise FetchFailed(
            _("图片没有通过图库检查：%(why)s") % {"why": "；".join(refused.messages)}
        ) from refused
