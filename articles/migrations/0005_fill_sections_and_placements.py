"""Give every article its top-level channel, and turn the old flags into placements."""

from django.db import migrations

FLAGS = {"is_headline": "headline", "is_featured": "featured", "is_pinned": "pinned"}


def forwards(apps, schema_editor) -> None:
    Article = apps.get_model("articles", "Article")
    Channel = apps.get_model("articles", "Channel")
    Placement = apps.get_model("articles", "Placement")
    for channel in Channel.objects.all():
        section = channel.parent_id or channel.pk
        Article.objects.filter(channel=channel).update(section=section)
    for flag, slot in FLAGS.items():
        Placement.objects.bulk_create(
            Placement(article_id=pk, slot=slot)
            for pk in Article.objects.filter(**{flag: True}).values_list("pk", flat=True)
        )


def backwards(apps, schema_editor) -> None:
    Article = apps.get_model("articles", "Article")
    Placement = apps.get_model("articles", "Placement")
    for flag, slot in FLAGS.items():
        ids = Placement.objects.filter(slot=slot).values("article_id")
        Article.objects.filter(pk__in=ids).update(**{flag: True})


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_section_and_placements")]

    operations = [migrations.RunPython(forwards, backwards)]
