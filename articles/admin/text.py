"""The desk's forms: typed text without control or direction-override characters, and web
addresses that are web addresses."""

from django.core.validators import URLValidator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from articles.text import refuse_invisible_characters

# Links printed on public pages: a web page, never a script (javascript:), an inline
# document (data:) or a file elsewhere (ftp:, file:).
web_address = URLValidator(
    schemes=["http", "https"],
    message=_("请填写以 http:// 或 https:// 开头的网页地址。"),
    code="not_a_web_address",  # not "invalid": the form field would put its own message
)


class RefusesInvisibleCharacters:
    """Admin mixin (ModelAdmin or inline): typed text is checked before anything is saved."""

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        typed = isinstance(db_field, models.CharField | models.TextField) and not db_field.choices
        if formfield is not None and typed:
            formfield.validators.append(refuse_invisible_characters)
        if formfield is not None and isinstance(db_field, models.URLField):
            formfield.validators = [web_address, refuse_invisible_characters]
        return formfield
