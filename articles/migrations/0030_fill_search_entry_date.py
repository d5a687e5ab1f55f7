"""Copy each indexed article's first publication into its search entry, so search keeps
finding what it found before ``manage.py reindex_search`` rewrites the vectors."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor) -> None:
    Article = apps.get_model("articles", "Article")
    SearchEntry = apps.get_model("articles", "SearchEntry")
    first = Article.objects.filter(pk=OuterRef("article_id")).values("first_published_at")
    SearchEntry.objects.update(published_at=Subquery(first[:1]))


class Migration(migrations.Migration):
    dependencies = [("articles", "0029_search_entry_head_and_date")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
