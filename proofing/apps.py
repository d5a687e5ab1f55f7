"""Proofing: the desk's word list (禁用, 慎用, 错别字) and the check of a story against it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProofingConfig(AppConfig):
    name = "proofing"
    verbose_name = _("校对词表")
