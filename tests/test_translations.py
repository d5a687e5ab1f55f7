"""Every string of ours has an English translation, and the compiled catalogue is current."""

import gettext
import json
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def po_entries() -> dict[tuple[str, str], str]:
    """Map (context, msgid) of the English .po file to its first msgstr; wrapped lines joined."""
    entries = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if match := re.match(
                r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?|msgstr\[\d\]) (".*")$', line
            ):
                key = match[1].replace("[0]", "")
                fields[key] = match[2][1:-1]
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            key = (unescape(fields.get("msgctxt", "")), unescape(fields["msgid"]))
            entries[key] = unescape(fields["msgstr"])
    return entries


def unescape(text: str) -> str:
    """A string as gettext reads it from the file: its backslash escapes undone."""
    return re.sub(r"\\(.)", lambda found: {"n": "\n", "t": "\t"}.get(found[1], found[1]), text)


def test_every_chinese_string_has_an_english_translation():
    untranslated = [msgid for msgid, msgstr in po_entries().items() if not msgstr]

    assert po_entries()
    assert untranslated == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)

    for (context, msgid), msgstr in po_entries().items():
        found = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
        assert found == msgstr, msgid


# --- Django's own admin strings under zh-hans: gaps in its catalogue are filled in ours ---


def test_the_admin_changelist_has_no_english_left_in_chinese(client, staff):
    from tests.factories import ArticleFactory

    ArticleFactory(created_by=staff.editor)
    client.force_login(staff.editor)

    html = client.get("/admin/articles/article/").content.decode()

    assert "Filter by" not in html
    assert "按首发时间筛选" in html


def test_a_blank_choice_reads_in_chinese():
    from articles.models import ArticleAuthor

    blank_value, blank_label = ArticleAuthor._meta.get_field("role").formfield().choices[0]

    assert blank_value == ""
    assert str(blank_label) == "- 请选择 -"


def test_the_admin_time_zone_note_is_translated(client, staff):
    client.force_login(staff.writer)

    script = client.get("/admin/jsi18n/").content.decode()

    # The catalogue is written as JSON with \\u escapes.
    assert json.dumps("请按 %(timezone)s 时区填写时间")[1:-1] in script
    assert json.dumps({"server": "服务器"})[1:-1] in script
