"""The starter list of 错别字 (proofing/typos.csv): wrong form → correct form."""

import csv
import uuid
from pathlib import Path

from django.db import migrations

TYPOS = Path(__file__).resolve().parent.parent / "typos.csv"
NOTE = "常见错别字（初始词表）"


def starter_pairs() -> list[tuple[str, str]]:
    with TYPOS.open(encoding="utf-8") as rows:
        return [(wrong, right) for wrong, right in list(csv.reader(rows))[1:]]


def new_stamp(ListVersion) -> None:
    stamp = uuid.uuid4().hex
    if not ListVersion.objects.filter(pk=1).update(stamp=stamp):
        ListVersion.objects.create(pk=1, stamp=stamp)


def add_typos(apps, schema_editor) -> None:
    Word = apps.get_model("proofing", "Word")
    present = set(Word.objects.values_list("text", flat=True))
    Word.objects.bulk_create(
        Word(text=wrong, category="typo", correction=right, note=NOTE)
        for wrong, right in starter_pairs()
        if wrong not in present
    )
    new_stamp(apps.get_model("proofing", "ListVersion"))


def remove_typos(apps, schema_editor) -> None:
    Word = apps.get_model("proofing", "Word")
    wrong_forms = [wrong for wrong, _right in starter_pairs()]
    Word.objects.filter(text__in=wrong_forms, note=NOTE, added_by=None).delete()
    new_stamp(apps.get_model("proofing", "ListVersion"))


class Migration(migrations.Migration):
    dependencies = [("proofing", "0001_word_list")]

    operations = [migrations.RunPython(add_typos, remove_typos)]
