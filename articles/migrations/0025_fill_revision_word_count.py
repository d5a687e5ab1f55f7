from django.db import migrations

from articles.text import word_count


def count_words(apps, schema_editor):
    # Every version kept so far gets the 字数 of the body it holds.
    Revision = apps.get_model("articles", "Revision")
    changed = []
    for revision in Revision.objects.only("id", "content").iterator(chunk_size=500):
        revision.word_count = word_count((revision.content or {}).get("body") or "")
        changed.append(revision)
        if len(changed) == 500:
            Revision.objects.bulk_update(changed, ["word_count"])
            changed = []
    Revision.objects.bulk_update(changed, ["word_count"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0024_revision_word_count")]

    operations = [migrations.RunPython(count_words, migrations.RunPython.noop)]
