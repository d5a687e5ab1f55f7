from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("内容")

    def ready(self) -> None:
        from taggit.models import Tag

        from articles.slugs import give_tag_a_slug

        pre_save.connect(give_tag_a_slug, sender=Tag, dispatch_uid="articles_tag_slug")
