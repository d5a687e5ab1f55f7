from django.db import migrations
from django.db.models import F


def copy_body(apps, schema_editor):
    # Bodies written before the photo library hold no library figures: readers get
    # them as they are. Later saves draw library photos in (articles.figures).
    apps.get_model("articles", "Article").objects.update(body_html=F("body"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_article_body_html")]

    operations = [migrations.RunPython(copy_body, migrations.RunPython.noop)]
