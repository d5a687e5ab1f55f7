"""Give every tag, channel and topic stored with an empty slug a numbered one (tag-1, ...).

A name of punctuation only used to make an empty slug, and the pages showing it failed.
"""

from django.db import migrations

from articles.slugs import usable_slug

FALLBACKS = [("taggit", "Tag", "tag"), ("articles", "Channel", "channel"), ("articles", "Topic", "topic")]


def fill_empty_slugs(apps, schema_editor):
    for app_label, model_name, fallback in FALLBACKS:
        model = apps.get_model(app_label, model_name)
        rows = model.objects.using(schema_editor.connection.alias)
        for row in rows.filter(slug=""):
            row.slug = usable_slug(
                "", fallback=fallback, taken=lambda slug: rows.filter(slug=slug).exists()
            )
            row.save(update_fields=["slug"])


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0027_backdate_permission"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    # Going back leaves the numbered slugs in place: they are valid slugs either way.
    operations = [migrations.RunPython(fill_empty_slugs, migrations.RunPython.noop)]
