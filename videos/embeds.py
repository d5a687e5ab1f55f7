"""Players from the video sites Chinese desks publish on, embedded by their share links.

Only these sites are allowed: a share link from any of them becomes the site's own player
address, and the public pages' policy (SECURE_CSP ``frame-src``) lets exactly these
players be framed. Anything else is refused with a message.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The player origins framed on public pages, one per site (settings.SECURE_CSP frame-src).
PLAYERS = {
    "bilibili": "https://player.bilibili.com",
    "tencent": "https://v.qq.com",
    "yangshipin": "https://w.yangshipin.cn",
}
SITES = {
    "bilibili": {"bilibili.com", "www.bilibili.com", "m.bilibili.com", "player.bilibili.com"},
    "tencent": {"v.qq.com", "m.v.qq.com"},
    "yangshipin": {"yangshipin.cn", "www.yangshipin.cn", "w.yangshipin.cn", "m.yangshipin.cn"},
}
BVID = re.compile(r"BV[0-9A-Za-z]{10}")
AID = re.compile(r"av(\d{1,12})", re.I)
# 腾讯视频 and 央视频 name a clip by an id of letters and digits (11 for 腾讯视频).
VID = re.compile(r"[0-9A-Za-z]{8,24}")
# A clip's page: /x/page/<vid>.html, or /x/cover/<series>/<vid>.html within a series.
TENCENT_PAGE = re.compile(r"/x/(?:page|cover/[0-9A-Za-z]+)/(?P<vid>[0-9A-Za-z]{8,24})\.html")
MESSAGES = {
    "host": _("只能嵌入央视频、腾讯视频或哔哩哔哩的视频；请粘贴这些网站的分享链接。"),
    "short": _("这是短链接，请在浏览器中打开后复制地址栏中的完整链接。"),
    "no_id": _("没有在链接中找到视频编号，请复制视频播放页的完整分享链接。"),
}


def site_of(host: str) -> str | None:
    return next((site for site, hosts in SITES.items() if host in hosts), None)


def player_url(share_url: str) -> str:
    """The official player address for a share link; ValidationError for anything else."""
    parts = urlsplit(share_url.strip())
    host = (parts.hostname or "").lower()
    if host in {"b23.tv", "url.cn"}:
        raise ValidationError(MESSAGES["short"], code="short")
    site = site_of(host)
    if parts.scheme not in {"http", "https"} or site is None:
        raise ValidationError(MESSAGES["host"], code="host")
    # Sites built as one page keep the clip's id after "#" (yangshipin.cn/#/video/home?vid=).
    query = parse_qs(urlsplit(parts.fragment).query) | parse_qs(parts.query)
    url = {"bilibili": bilibili, "tencent": tencent, "yangshipin": yangshipin}[site](
        parts.path, query
    )
    if url is None:
        raise ValidationError(MESSAGES["no_id"], code="no_id")
    return url


def bilibili(path: str, query: dict[str, list[str]]) -> str | None:
    page = query.get("p", ["1"])[0]
    page = page if page.isdigit() else "1"
    if found := BVID.search(path) or BVID.fullmatch(query.get("bvid", [""])[0]):
        clip = {"bvid": found[0]}
    elif found := AID.search(path):
        clip = {"aid": found[1]}
    else:
        return None
    return f"{PLAYERS['bilibili']}/player.html?" + urlencode(
        {**clip, "page": page, "autoplay": "0", "isOutside": "true"}
    )


def tencent(path: str, query: dict[str, list[str]]) -> str | None:
    vid = query.get("vid", [""])[0]
    if not VID.fullmatch(vid):
        found = TENCENT_PAGE.fullmatch(path)
        if found is None:
            return None
        vid = found["vid"]
    return f"{PLAYERS['tencent']}/txp/iframe/player.html?" + urlencode({"vid": vid})


def yangshipin(path: str, query: dict[str, list[str]]) -> str | None:
    vid = query.get("vid", [""])[0]
    if not VID.fullmatch(vid):
        return None
    return f"{PLAYERS['yangshipin']}/video?" + urlencode({"type": "0", "vid": vid})
