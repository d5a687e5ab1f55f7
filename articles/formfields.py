"""The desk's forms: typed text without control or direction-override characters, one-line
fields on one line, and web addresses that are web addresses."""

from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from articles.text import refuse_invisible_characters, refuse_line_breaks

# Links printed on public pages: a web page, never a script (javascript:), an inline
# document (data:) or a file elsewhere (ftp:, file:).
web_address = URLValidator(
    schemes=["http", "https"],
    message=_("请填写以 http:// 或 https:// 开头的网页地址。"),
    code="not_a_web_address",  # not "invalid": the form field would put its own message
)


def guard(formfield: forms.Field | None, db_field: models.Field) -> forms.Field | None:
    """Add the desk's checks on typed text to the form field made for ``db_field``."""
    if formfield is None:
        return None
    typed = isinstance(db_field, models.CharField | models.TextField) and not db_field.choices
    if typed:
        formfield.validators.append(refuse_invisible_characters)
    # A title, name or caption is printed on one line (and a title heads the review mail,
    # whose subject cannot hold a line break).
    if (
        typed
        and isinstance(db_field, models.CharField)
        and not isinstance(formfield.widget, forms.Textarea)
    ):
        formfield.validators.append(refuse_line_breaks)
    if isinstance(db_field, models.URLField):
        formfield.validators = [web_address, refuse_invisible_characters, refuse_line_breaks]
    return formfield


def guarded_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """``formfield_callback`` for model forms built outside an admin class."""
    return guard(db_field.formfield(**kwargs), db_field)


class RefusesInvisibleCharacters:
    """Admin mixin (ModelAdmin or inline): typed text is checked before anything is saved."""

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs):
        return guard(super().formfield_for_dbfield(db_field, request, **kwargs), db_field)
