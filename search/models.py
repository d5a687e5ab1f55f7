"""What the desk tells search: synonyms (同义词); and the index's own vocabulary (检索词表),
from which pinyin is read and corrections and suggestions are drawn."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.text import refuse_invisible_characters, refuse_line_breaks

# Terms of a synonym group are separated by spaces, commas (either width) or 、.
SEPARATORS = re.compile(r"[\s,，、;；]+")


class Synonym(models.Model):
    """A group of ways of saying the same thing: a search for any finds them all."""

    terms = models.CharField(
        _("同义说法"),
        max_length=200,
        unique=True,
        validators=[refuse_invisible_characters, refuse_line_breaks],
        help_text=_(
            "两个或更多同义的说法，用空格、逗号或顿号分开，例如“养牛 肉牛养殖”。"
            "搜索其中任何一个，也会找到含有其他说法的稿件。"
        ),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = pgettext_lazy("plural", "同义词")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    def clean(self) -> None:
        if len(self.term_list()) < 2:
            raise ValidationError({"terms": _("至少要填两个不同的说法。")})

    def term_list(self) -> list[str]:
        """The group's terms, each once, in the order written."""
        return list(dict.fromkeys(t for t in SEPARATORS.split(self.terms) if t))


class Keyword(models.Model):
    """A word of the index's titles and tags, with its pinyin: what pinyin queries, "你是不是要
    找" and suggestions as you type are drawn from. Rebuilt by ``manage.py reindex_search``;
    words of newly published titles are added as they go live."""

    word = models.CharField(_("词语"), max_length=50, unique=True)
    pinyin = models.CharField(_("拼音"), max_length=200, db_index=True)
    initials = models.CharField(_("首字母"), max_length=50, db_index=True)
    articles = models.PositiveIntegerField(_("稿件数"), default=0)

    class Meta:
        verbose_name = _("检索词")
        verbose_name_plural = pgettext_lazy("plural", "检索词")
        ordering = ["-articles", "word"]

    def __str__(self) -> str:
        return self.word
