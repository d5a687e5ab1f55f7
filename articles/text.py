"""Characters that have no place in text people type: control and direction overrides.

Forms refuse them with a message (``refuse_invisible_characters``); what reached the
database another way is cleaned where it would break a format, such as XML feeds.
"""

import re

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


LINE_BREAK = re.compile("[\r\n\u2028\u2029]")


def refuse_line_breaks(text: str) -> None:
    """Validate one-line text (titles, captions, names): no line breaks."""
    if isinstance(text, str) and LINE_BREAK.search(text):
        raise ValidationError(_("这一栏只能填一行文字，请删除其中的换行。"), code="line_break")
