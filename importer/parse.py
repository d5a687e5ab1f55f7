"""Reading one old article page with a profile: what it says, where each part lives.

Nothing here touches the database: ``read`` turns a page into a ``Story`` (or raises
``NotAnArticle`` with the reason), and ``importer.store`` files it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _
from selectolax.lexbor import LexborHTMLParser, LexborNode

from articles.models.people import Role
from importer.profile import Profile

# Checked longest first, so that 特约记者 is not read as 记者.
ROLE_WORDS = {
    "特约记者": Role.SPECIAL_REPORTER,
    "通讯员": Role.CORRESPONDENT,
    "实习生": Role.INTERN,
    "记者": Role.REPORTER,
    "摄影": Role.PHOTOGRAPHER,
}
# Dates as old sites print them, after NFKC (full-width digits and colons made ASCII).
MOMENT = re.compile(
    r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?"
    r"(?:\s*(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2}))?)?"
)
NAME_SEPARATORS = re.compile(r"[\s,、;/|]+")
CRUMB_SEPARATORS = re.compile(r"\s*(?:>|›|»|→|/|\|)\s*")
BLOCK_TAGS = {"div", "section", "article", "center", "tbody", "table", "tr", "td", "span", "font"}
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}


class NotAnArticle(Exception):
    """The page is not an article the profile can read; the message says why."""


@dataclass
class Photo:
    src: str  # as written in the page
    alt: str = ""
    caption: str = ""
    url: str = ""  # resolved against the page's address once it is known


@dataclass
class Block:
    """One piece of the body in reading order: a paragraph, a heading or a photo."""

    kind: str  # "p", "h" or "photo"
    text: str = ""
    photo: Photo | None = None


@dataclass
class Credit:
    name: str
    role: str
    outlet: str


@dataclass
class Story:
    old_url: str
    old_id: int
    title: str
    published: datetime
    kicker: str = ""
    subtitle: str = ""
    channels: list[str] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    dateline: str = ""
    blocks: list[Block] = field(default_factory=list)
    source: str = ""
    editor: str = ""
    tags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def photos(self) -> list[Photo]:
        return [block.photo for block in self.blocks if block.photo is not None]


def plain(text: str) -> str:
    """Text as metadata is matched: NFKC (：→:, ，→, full-width digits) and single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def tidy(text: str) -> str:
    """Story text as written (full-width punctuation kept), with its spacing made single."""
    return " ".join(text.split())


def labelled(text: str, labels: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The values of a line such as "来源：红岭时刻　作者：张三 编辑：王五", by label key."""
    by_word = {word: key for key, words in labels.items() for word in words}
    if not by_word:
        return {}
    words = "|".join(re.escape(word) for word in sorted(by_word, key=len, reverse=True))
    marker = re.compile(rf"(?:^|(?<=[\s|/,;.【\[(]))({words})\s*:\s*")
    line = plain(text)
    found = list(marker.finditer(line))
    values: dict[str, str] = {}
    for match, following in zip(found, [*found[1:], None], strict=False):
        end = following.start() if following else len(line)
        value = line[match.end() : end].strip(" |/,;【】[]()")
        values.setdefault(by_word[match[1]], value)
    return values


def read(html: str, *, url: str, profile: Profile) -> Story:
    """Read one page: raise NotAnArticle when it is not a story the profile can place."""
    tree = LexborHTMLParser(html)
    title_node, body_node = (
        first(tree, profile.select["title"]),
        first(tree, profile.select["body"]),
    )
    if title_node is None or body_node is None or not title_node.text(strip=True):
        missing = _("标题") if title_node is None or not title_node.text(strip=True) else _("正文")
        raise NotAnArticle(_("不是文章页：没有找到%(part)s。") % {"part": missing})
    reader = BodyReader(profile)
    reader.walk(body_node)
    for key in ("credits", "permalink"):
        for node in all_of(tree, profile.select.get(key)):
            reader.meta_line(node.text(separator=" ", strip=True))
    old_url = old_address(tree, reader.values.get("permalink", ""), url)
    old_id, url_date = identify(old_url, url, profile)
    published = publication_time(tree, profile, url_date, reader.warnings)
    byline_text = text_of(tree, profile.select.get("byline"))
    for key, value in labelled(byline_text, profile.labels).items():
        reader.values.setdefault(key, value)
    credits, dateline = byline(byline_text, profile)
    story = Story(
        old_url=old_url,
        old_id=old_id,
        title=tidy(title_node.text()),
        published=published,
        kicker=tidy(text_of(tree, profile.select.get("kicker"))),
        subtitle=tidy(text_of(tree, profile.select.get("subtitle"))),
        channels=breadcrumb(text_of(tree, profile.select.get("breadcrumb")), profile),
        credits=credits,
        dateline=dateline,
        blocks=reader.blocks,
        source=reader.values.get("source", ""),
        editor=first_name(reader.values.get("editor", "")),
        tags=tags(tree, profile, reader.values.get("tags", "")),
        warnings=reader.warnings,
    )
    add_named_authors(story, reader.values.get("author", ""))
    # Photos are found where the page was read from (a URL list, a WARC), else where the
    # page says it lived (a saved file).
    base = url if urlsplit(url).scheme in ("http", "https") else old_url
    for photo in story.photos():
        photo.url = urljoin(base, photo.src)
    return story


def decode(data: bytes, charset: str | None = None) -> str:
    """A page's text: its declared encoding (HTTP, then <meta>), else UTF-8, else GB18030,
    which old Chinese sites wrote as gb2312 or gbk."""
    declared = charset or meta_charset(data[:4096])
    candidates = [declared] if declared else []
    candidates += ["utf-8", "gb18030"]
    for name in candidates:
        name = "gb18030" if name.lower() in {"gb2312", "gbk", "x-gbk"} else name
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def meta_charset(head: bytes) -> str | None:
    match = re.search(rb"<meta[^>]+charset=[\"']?([-\w]+)", head, re.I)
    return match[1].decode("ascii") if match else None


def first(tree: LexborHTMLParser, selector: str | None) -> LexborNode | None:
    """The first match of the first selector of a list that matches (tried in order)."""
    for part in (selector or "").split(","):
        if part.strip() and (node := tree.css_first(part.strip())) is not None:
            return node
    return None


def all_of(tree: LexborHTMLParser, selector: str | None) -> list[LexborNode]:
    return tree.css(selector) if selector else []


def text_of(tree: LexborHTMLParser, selector: str | None) -> str:
    node = first(tree, selector)
    return node.text(separator=" ", strip=True) if node is not None else ""


class BodyReader:
    """Walks the body in reading order: paragraphs, photos with the line under each, and
    the lines that are metadata (来源/作者/编辑, 本文链接) or the old site's furniture."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.blocks: list[Block] = []
        self.values: dict[str, str] = {}
        self.warnings: list[str] = []
        self.awaiting_caption: Photo | None = None

    def walk(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            if child.is_text_node:
                self.line(child.text(), centred=False)
            elif child.is_element_node:
                self.element(child)

    def element(self, node: LexborNode) -> None:
        tag = node.tag
        if tag in {"script", "style", "noscript"}:
            return
        if node.css_matches(self.profile.select["video"]) or (
            node.css_first(self.profile.select["video"]) is not None and not node.css_first("p")
        ):
            self.warnings.append(_("视频未迁入：%(what)s") % {"what": video_name(node)})
            return
        if tag == "img":
            self.photo(node, "")
        elif tag == "figure":
            caption = node.css_first("figcaption")
            for image in node.css("img"):
                self.photo(image, caption.text(strip=True) if caption else "")
        elif tag in BLOCK_TAGS and node.css_first("p, div, h2, h3, h4, figure, table, br"):
            self.walk(node)
        elif images := node.css("img"):
            for image in images:
                self.photo(image, "")
            self.line(text_with_breaks(node), centred=True)
        elif tag in HEADINGS:
            self.close_photo()
            if text := tidy(node.text()):
                self.blocks.append(Block("h", text))
        else:
            style = (node.attributes.get("style") or "") + (node.attributes.get("class") or "")
            self.line(text_with_breaks(node), centred="center" in style or "caption" in style)

    def photo(self, image: LexborNode, caption: str) -> None:
        self.close_photo()
        src = image.attributes.get("src") or image.attributes.get("data-src") or ""
        if not src.strip():
            self.warnings.append(_("图片没有地址，未迁入。"))
            return
        photo = Photo(src.strip(), tidy(image.attributes.get("alt") or ""))
        self.blocks.append(Block("photo", photo=photo))
        if caption:
            photo.caption = tidy(caption)
        else:
            self.awaiting_caption = photo

    def close_photo(self) -> None:
        self.awaiting_caption = None

    def line(self, text: str, *, centred: bool) -> None:
        lines = [line for line in (tidy(part) for part in text.split("\n")) if line]
        if not lines:
            return
        joined = " ".join(lines)
        if self.meta_line(joined):
            return
        photo, self.awaiting_caption = self.awaiting_caption, None
        one_line = len(lines) == 1 and not text.lstrip("\n").startswith("\u3000")
        if photo is not None and one_line and len(joined) <= self.profile.caption_max:
            photo.caption = joined
            return
        if photo is not None and centred and len(joined) <= self.profile.caption_max:
            photo.caption = joined
            return
        for paragraph in lines if len(lines) > 1 and not centred else [joined]:
            self.blocks.append(Block("p", paragraph))

    def meta_line(self, text: str) -> bool:
        """Keep what a metadata line says; True when the line is not part of the story."""
        line = plain(text)
        if not line:
            return True
        if any(pattern.search(line) for pattern in self.profile.drop):
            return True
        values = labelled(line, self.profile.labels)
        if not values or not line.startswith(
            tuple(w for ws in self.profile.labels.values() for w in ws)
        ):
            return False
        for key, value in values.items():
            self.values.setdefault(key, value)
        return True


def text_with_breaks(node: LexborNode) -> str:
    """A block's text with its <br> as line breaks and inline markup run together."""
    parts = []
    for piece in node.traverse(include_text=True):
        if piece.is_text_node:
            parts.append(piece.text())
        elif piece.tag == "br":
            parts.append("\n")
    return "".join(parts)


def video_name(node: LexborNode) -> str:
    found = node if node.tag in {"video", "iframe", "embed", "object"} else node.css_first("[src]")
    src = found.attributes.get("src") if found is not None else None
    return src or node.text(strip=True) or node.tag


def old_address(tree: LexborHTMLParser, permalink: str, url: str) -> str:
    """The story's old URL: its 本文链接 line, else its canonical link, else where it was read."""
    if match := re.search(r"https?://\S+", permalink):
        return match[0]
    canonical = tree.css_first("link[rel=canonical]")
    if canonical is not None and (href := canonical.attributes.get("href")):
        return urljoin(url, href)
    return url


def identify(old_url: str, url: str, profile: Profile) -> tuple[int, tuple[int, int, int] | None]:
    """The old id (and the date in the URL, where it has one)."""
    for candidate in (old_url, url):
        match = profile.id_pattern.search(urlsplit(candidate).path)
        if match:
            groups = match.groupdict()
            date = None
            if all(groups.get(part) for part in ("year", "month", "day")):
                date = (int(groups["year"]), int(groups["month"]), int(groups["day"]))
            return int(groups["id"]), date
    raise NotAnArticle(_("没有找到原稿件编号：网址 %(url)s 不符合 [ids] url。") % {"url": old_url})


def publication_time(
    tree: LexborHTMLParser, profile: Profile, url_date: tuple | None, warnings: list[str]
) -> datetime:
    """When the story first appeared, in Beijing time; the URL's date wins over the page's
    where they differ, since the URL must stay exactly as it was."""
    texts = [text_of(tree, profile.select.get("time"))]
    for meta in tree.css("meta[name=publishdate], meta[property='article:published_time']"):
        texts.append(meta.attributes.get("content") or "")
    moment = None
    for text in texts:
        if match := MOMENT.search(plain(text)):
            parts = [int(value) if value else 0 for value in match.groups()]
            try:
                moment = datetime(*parts)
            except ValueError:
                continue
            break
    if url_date and (moment is None or (moment.year, moment.month, moment.day) != url_date):
        if moment is not None:
            warnings.append(_("页面日期与网址日期不同，按网址日期。"))
        moment = datetime(
            *url_date, *((moment.hour, moment.minute, moment.second) if moment else (0, 0, 0))
        )
    if moment is None:
        raise NotAnArticle(_("没有找到发布时间。"))
    return timezone.make_aware(moment)


def byline(text: str, profile: Profile) -> tuple[list[Credit], str]:
    """ "红岭时刻记者 张三 通讯员 李四 湘西泸溪报道" → credits and the dateline (湘西泸溪)."""
    tokens, dropping = [], False
    for token in MOMENT.sub(" ", plain(text)).split():
        # Labelled parts on the same line (发布时间：…, 来源：…) are not the byline.
        if ":" in token:
            dropping = token.endswith(":")
            continue
        if not dropping:
            tokens.append(token)
        dropping = False
    line = tokens
    dateline = ""
    if (
        line
        and line[-1].endswith(profile.dateline_suffix)
        and len(line[-1]) > len(profile.dateline_suffix)
    ):
        dateline = line.pop()[: -len(profile.dateline_suffix)]
    credits: list[Credit] = []
    role, outlet = Role.CORRESPONDENT, ""
    for token in line:
        word = next((w for w in ROLE_WORDS if token.endswith(w)), None)
        if word is not None:
            role, outlet = ROLE_WORDS[word], token[: -len(word)] or outlet
            continue
        for name in NAME_SEPARATORS.split(token):
            if name and all(c.name != name for c in credits):
                credits.append(Credit(name, role, outlet))
    return credits, dateline


def add_named_authors(story: Story, names: str) -> None:
    """作者 named on the credits line and not in the byline are credited after it."""
    outlet = story.credits[-1].outlet if story.credits else ""
    for name in NAME_SEPARATORS.split(names):
        if name and all(credit.name != name for credit in story.credits):
            story.credits.append(Credit(name, Role.CORRESPONDENT, outlet))


def first_name(names: str) -> str:
    return next((name for name in NAME_SEPARATORS.split(names) if name), "")


def breadcrumb(text: str, profile: Profile) -> list[str]:
    """ "当前位置：首页 > 湘西新闻 > 泸溪 > 正文" → ["湘西新闻", "泸溪"] (at most two levels)."""
    line = plain(text)
    for word in profile.labels["breadcrumb"]:
        line = re.sub(rf"^{re.escape(word)}\s*:\s*", "", line)
    crumbs = [crumb for crumb in CRUMB_SEPARATORS.split(line) if crumb]
    return [crumb for crumb in crumbs if crumb not in profile.breadcrumb_skip][-2:]


def tags(tree: LexborHTMLParser, profile: Profile, labelled_tags: str) -> list[str]:
    found = [plain(node.text()) for node in all_of(tree, profile.select.get("tags"))]
    found += NAME_SEPARATORS.split(labelled_tags)
    unique: list[str] = []
    for tag in found:
        if tag and tag not in unique:
            unique.append(tag[:100])
    return unique
