"""The search index (检索索引): one row of segmented words per article the public may see.

Kept apart from ``Article`` so the article table stays the editors' own: rows are written
by ``search.search`` when an article goes live and removed when it is withdrawn.
Chinese has no spaces, so the words are cut by jieba in Python and stored space-separated;
each database then indexes those words its own way (see ``search/search.py``).

On SQLite, migration 0004 adds an FTS5 table over the word columns and three triggers on
this table that keep it in step. A later migration that makes SQLite rebuild this table
(most field changes do) drops the triggers: re-create them in that migration, then run
``manage.py reindex_search``.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SearchEntry(models.Model):
    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
    )
    title_words = models.TextField(_("标题分词"), blank=True)
    summary_words = models.TextField(
        _("摘要分词"), blank=True, help_text=_("引题、副题、摘要和标签的分词。")
    )
    body_words = models.TextField(
        _("正文分词"), blank=True, help_text=_("PostgreSQL 上只写入检索向量，此栏留空。")
    )
    # PostgreSQL only (on SQLite both stay empty and an FTS5 table made by the migration
    # indexes the word columns): ``vector`` holds every word once, without positions, for
    # matching through its GIN index; ``head`` the weighted title (A) and summary (B) words,
    # small enough to rank hundreds of matches by without reading their bodies.
    vector = SearchVectorField(_("检索向量"), null=True, editable=False)
    head = SearchVectorField(_("排序向量"), null=True, editable=False)
    # The article's first publication, copied here so that the newest matches are found
    # from this table alone (a scheduled article's lies ahead and is not found yet).
    published_at = models.DateTimeField(_("发布时间"), null=True, editable=False)
    indexed_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("检索索引")
        verbose_name_plural = pgettext_lazy("plural", "检索索引")
        ordering = ["-indexed_at"]
        indexes = [
            GinIndex(fields=["vector"], name="articles_search_vector_idx"),
            models.Index(fields=["-published_at"], name="articles_search_newest_idx"),
        ]

    def __str__(self) -> str:
        return str(self.article_id)
