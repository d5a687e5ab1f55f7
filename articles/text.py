"""Characters that have no place in text people type: control and direction overrides;
and the desk's 字数 of a body.

Forms refuse them with a message (``refuse_invisible_characters``); what reached the
database another way is cleaned where it would break a format, such as XML feeds.
"""

import re
from functools import cache
from html.parser import HTMLParser

import opencc
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls except tab, line feed and carriage return, DEL, C1 controls (XML 1.0 allows
# none of the C0 ones), and the bidirectional embeddings and overrides that make text read
# backwards (U+202A-U+202E, U+2066-U+2069).
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def without_invisible_characters(text: str) -> str:
    """Return ``text`` without control or direction-override characters."""
    return INVISIBLE.sub("", text)


def refuse_invisible_characters(text: str) -> None:
    """Validate typed text: no control or direction-override characters."""
    if isinstance(text, str) and (found := INVISIBLE.search(text)):
        raise ValidationError(
            _("含有不可见的控制字符（U+%(code)04X），请删除后再保存。"),
            code="invisible_character",
            params={"code": ord(found.group())},
        )


@cache
def _traditional_to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Return ``text`` in simplified characters (OpenCC's ``t2s``, phrases included), so
    瀘溪 and 泸溪 read as one word wherever text is compared: search, the word check."""
    return _traditional_to_simplified().convert(text)


LINE_BREAK = re.compile("[\r\n\u2028\u2029]")


def refuse_line_breaks(text: str) -> None:
    """Validate one-line text (titles, captions, names): no line breaks."""
    if isinstance(text, str) and LINE_BREAK.search(text):
        raise ValidationError(_("这一栏只能填一行文字，请删除其中的换行。"), code="line_break")


# 字数 as the desk counts it: a run of ASCII letters and digits is one word, any other
# character that is not white space is one (the editor's live count in JavaScript uses
# the same pattern: white space is JavaScript's \s, which includes U+FEFF).
COUNTED = re.compile(r"[A-Za-z0-9]+|[^\s\ufeff]")
# Elements that end a run of text: words on either side of them are not joined.
BREAKING_TAGS = frozenset(
    {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote"}
    | {"figure", "figcaption", "img", "table", "thead", "tbody", "tr", "td", "th", "div"}
)
SILENT_TAGS = frozenset({"script", "style"})


class TextOfHTML(HTMLParser):
    """The text of an HTML fragment as a reader sees it: tags gone, entities read, blocks
    kept apart by a line break."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.silent = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SILENT_TAGS:
            self.silent += 1
        elif tag in BREAKING_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SILENT_TAGS:
            self.silent = max(self.silent - 1, 0)
        elif tag in BREAKING_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.silent:
            self.parts.append(data)


def text_of_html(html: str) -> str:
    """Return the text of an HTML fragment, blocks on lines of their own."""
    parser = TextOfHTML()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.parts)


def word_count(html: str) -> int:
    """字数 of body HTML: each character counts 1, a run of ASCII letters or digits counts 1
    as a whole; tags and white space count nothing."""
    return len(COUNTED.findall(text_of_html(html)))
