"""What the delivery layer must remember in the database, where no cache outage reaches it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageGeneration(models.Model):
    """One row: raised in the same transaction as a change no stored page may outlive
    (a withdrawal, an expiry moved), and checked by every stored-page answer."""

    number = models.BigIntegerField(_("代数"), default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("页面缓存代数")
        verbose_name_plural = _("页面缓存代数")

    def __str__(self) -> str:
        return str(self.number)
