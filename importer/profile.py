"""Mapping profiles: where each part of an old article page lives, read from TOML and
checked before any page is read, so a mistake is reported once with where it is."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from selectolax.lexbor import LexborHTMLParser

DEFAULT = Path(__file__).with_name("profiles") / "regional.toml"

SELECTORS = ("title", "kicker", "subtitle", "breadcrumb", "byline", "time", "body", "credits",
             "tags", "permalink", "video")  # fmt: skip
REQUIRED_SELECTORS = ("title", "body")
LABELS = ("breadcrumb", "source", "author", "editor", "permalink", "tags")
SECTIONS = {"name", "select", "text", "ids", "channels", "redirects", "photos"}
ID_GROUPS = ("id",)


class ProfileError(ValueError):
    """The profile cannot be used; the message names the file, the setting and why."""


@dataclass(frozen=True)
class Profile:
    name: str
    select: dict[str, str]
    labels: dict[str, tuple[str, ...]]
    drop: tuple[re.Pattern, ...]
    breadcrumb_skip: frozenset[str]
    dateline_suffix: str
    caption_max: int
    id_pattern: re.Pattern
    channels: dict[str, str] = field(default_factory=dict)
    redirect_shapes: tuple[str, ...] = ()
    watermark: bool = True
    source: str = ""


def load(path: Path | str | None = None) -> Profile:
    """Read and check a profile (the default one without a path)."""
    path = Path(path) if path else DEFAULT
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise ProfileError(
            _("无法读取映射配置 %(path)s：%(error)s") % {"path": path, "error": error}
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(
            _("映射配置 %(path)s 不是有效的 TOML：%(error)s") % {"path": path, "error": error}
        ) from error
    try:
        return build(data, source=str(path))
    except ProfileError as error:
        raise ProfileError(f"{path}: {error}") from error


def build(data: dict, *, source: str = "") -> Profile:
    """Turn a profile's parsed TOML into a Profile, or raise ProfileError saying what's wrong."""
    unknown(data, SECTIONS, "")
    select = table(data, "select")
    unknown(select, set(SELECTORS), "select")
    for key in REQUIRED_SELECTORS:
        if not select.get(key):
            raise ProfileError(_("[select] 缺少必填项 %(key)s。") % {"key": key})
    for key, value in select.items():
        check_selector(f"select.{key}", value)
    text = table(data, "text")
    known_text = {*LABELS, "drop", "breadcrumb_skip", "dateline_suffix", "caption_max"}
    unknown(text, known_text, "text")
    labels = {key: tuple(strings(text, key, "text")) for key in LABELS}
    ids = table(data, "ids")
    unknown(ids, {"url"}, "ids")
    id_pattern = pattern("ids.url", ids.get("url", ""))
    if "id" not in id_pattern.groupindex:
        raise ProfileError(_("[ids] url 必须含有名为 id 的分组：(?P<id>\\d+)。"))
    channels = table(data, "channels")
    for name, slug in channels.items():
        if not isinstance(slug, str) or not re.fullmatch(r"[-\w]+", slug, re.ASCII):
            raise ProfileError(
                _("[channels] “%(name)s” 的值必须是栏目网址别名。") % {"name": name}
            )
    redirects = table(data, "redirects")
    unknown(redirects, {"shapes"}, "redirects")
    shapes = strings(redirects, "shapes", "redirects")
    for shape in shapes:
        if not shape.startswith("/") or "{id}" not in shape:
            raise ProfileError(
                _("[redirects] shapes 中的 “%(shape)s” 必须以 / 开头并含有 {id}。")
                % {"shape": shape}
            )
    photos = table(data, "photos")
    unknown(photos, {"watermark"}, "photos")
    caption_max = text.get("caption_max", 150)
    if not isinstance(caption_max, int) or isinstance(caption_max, bool) or caption_max < 1:
        raise ProfileError(_("[text] caption_max 必须是正整数。"))
    watermark = photos.get("watermark", True)
    if not isinstance(watermark, bool):
        raise ProfileError(_("[photos] watermark 必须是 true 或 false。"))
    name = data.get("name", "")
    if not isinstance(name, str):
        raise ProfileError(_("name 必须是文字。"))
    return Profile(
        name=name,
        select=select,
        labels=labels,
        drop=tuple(pattern("text.drop", p) for p in strings(text, "drop", "text")),
        breadcrumb_skip=frozenset(strings(text, "breadcrumb_skip", "text")),
        dateline_suffix=text.get("dateline_suffix", "报道"),
        caption_max=caption_max,
        id_pattern=id_pattern,
        channels=channels,
        redirect_shapes=tuple(shapes),
        watermark=watermark,
        source=source,
    )


def table(data: dict, key: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ProfileError(_("[%(key)s] 必须是一个表（[%(key)s] 段）。") % {"key": key})
    return value


def unknown(data: dict, known: set[str], section: str) -> None:
    if extra := sorted(set(data) - known):
        where = f"[{section}] " if section else ""
        raise ProfileError(
            _("%(where)s未知的设置项：%(keys)s（可用：%(known)s）。")
            % {"where": where, "keys": ", ".join(extra), "known": ", ".join(sorted(known))}
        )


def strings(data: dict, key: str, section: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ProfileError(
            _("[%(section)s] %(key)s 必须是文字的列表。") % {"section": section, "key": key}
        )
    return value


def pattern(where: str, value: object) -> re.Pattern:
    if not isinstance(value, str) or not value:
        raise ProfileError(_("%(where)s 必须是非空的正则表达式。") % {"where": where})
    try:
        return re.compile(value)
    except re.error as error:
        raise ProfileError(
            _("%(where)s 不是有效的正则表达式：%(error)s") % {"where": where, "error": error}
        ) from error


def check_selector(where: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ProfileError(_("%(where)s 必须是非空的 CSS 选择器。") % {"where": where})
    try:
        LexborHTMLParser("<p></p>").css(value)
    except Exception as error:  # selectolax raises several kinds for a bad selector
        raise ProfileError(
            _("%(where)s 不是有效的 CSS 选择器：%(error)s") % {"where": where, "error": error}
        ) from error
