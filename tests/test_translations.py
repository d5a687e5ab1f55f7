"""Every string of ours has an English translation, and the compiled catalogue is current."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def po_entries() -> dict[str, str]:
    """Map each msgid of the English .po file to its (first) msgstr, joining wrapped lines."""
    entries = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if match := re.match(
                r'^(msgid|msgid_plural|msgstr(?:\[0\])?|msgstr\[\d\]) (".*")$', line
            ):
                key = match[1].replace("[0]", "")
                fields[key] = match[2][1:-1]
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            entries[fields["msgid"].replace('\\"', '"')] = fields["msgstr"].replace('\\"', '"')
    return entries


def test_every_chinese_string_has_an_english_translation():
    untranslated = [msgid for msgid, msgstr in po_entries().items() if not msgstr]

    assert po_entries()
    assert untranslated == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)

    for msgid, msgstr in po_entries().items():
        assert catalogue.gettext(msgid) == msgstr, msgid
