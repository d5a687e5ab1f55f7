"""Autosave: what an editor typed and has not saved yet, kept on the server.

The article form posts its own fields (not its inline rows) every
``NEWSROOM_AUTOSAVE_SECONDS`` and whenever a field loses focus
(static/articles/admin/autosave.js). Each person has one record per article, and one for
the new article they are writing; it never touches the article nor its history. Opening
the form again offers what differs from the saved article; saving the form clears it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Autosave

if TYPE_CHECKING:
    from django import forms

    from articles.models import Article

# Posted with the form but not content: the CSRF token and the version the page showed.
NOT_CONTENT = {"csrfmiddlewaretoken", "edit_version"}


class Refused(ValueError):
    """An autosave that cannot be stored; the message says why, for the editor."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


@dataclass(frozen=True)
class Offer:
    """Unsaved input found for the form being opened: when, which fields, their values."""

    record: Autosave
    labels: list[str]
    initial: dict


def is_content(name: str) -> bool:
    """The article's own fields: not buttons (``_…``), inline rows (``prefix-0-…``) or tokens."""
    return not name.startswith("_") and "-" not in name and name not in NOT_CONTENT


def refuse_size(size: int) -> None:
    """Refuse an autosave of more than ``NEWSROOM_AUTOSAVE_MAX_BYTES``."""
    limit = settings.NEWSROOM_AUTOSAVE_MAX_BYTES
    if size > limit:
        raise Refused(
            _("自动保存的内容超过 %(kb)d KB，没有保存；请点击“保存”按钮手动保存。")
            % {"kb": limit // 1000},
            too_large=True,
        )


def parse(body: bytes) -> tuple[dict[str, list[str]], int | None]:
    """The fields and page version in an autosave request's JSON body, or ``Refused``."""
    refuse_size(len(body))
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise Refused(_("自动保存的数据不是有效的 JSON，没有保存。")) from error
    posted = payload.get("fields") if isinstance(payload, dict) else None
    if not isinstance(posted, dict):
        raise Refused(_("自动保存的数据缺少表单内容（fields），没有保存。"))
    fields = {}
    for name, values in posted.items():
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise Refused(_("自动保存的字段“%(name)s”格式不正确，没有保存。") % {"name": name})
        if is_content(name):
            fields[name] = values
    version = payload.get("edit_version")
    if version is not None and (type(version) is not int or version < 0):
        raise Refused(_("自动保存的页面版本号不正确，没有保存。"))
    return fields, version


def find(article: Article | None, user) -> Autosave | None:
    """This person's autosave of the article (``None``: of their new article)."""
    return Autosave.objects.filter(article=article, user=user).first()


@transaction.atomic
def store(article: Article | None, user, fields: dict, version: int | None) -> Autosave:
    """Keep the latest input, replacing this person's earlier autosave of the same form."""
    record, _created = Autosave.objects.update_or_create(
        article=article,
        user=user,
        defaults={"fields": fields, "base_version": version, "saved_at": timezone.now()},
    )
    return record


def discard(article: Article | None, user) -> None:
    """Forget this person's autosave of the article (after a save, or when they say so)."""
    Autosave.objects.filter(article=article, user=user).delete()


def offer(article: Article | None, user, form_class: type[forms.ModelForm]) -> Offer | None:
    """What this person's autosave holds that the saved article does not, if anything.

    An autosave with nothing new (for example one that arrived just after a save) is
    dropped instead of offered.
    """
    record = find(article, user)
    if record is None:
        return None
    data = QueryDict(mutable=True)
    for name, values in record.fields.items():
        data.setlist(name, values)
    form = form_class(data=data, instance=article)
    posted = [bound for bound in form if _was_posted(bound.html_name, record.fields)]
    changed = [bound for bound in posted if bound.name in form.changed_data]
    if not changed:
        record.delete()
        return None
    initial = {bound.name: bound.data for bound in posted}
    if article is not None and record.base_version is not None:
        # Saving the restored text is then checked against changes made since it was typed.
        initial["edit_version"] = record.base_version
    return Offer(record, [str(bound.label) for bound in changed], initial)


def _was_posted(html_name: str, fields: dict) -> bool:
    """A field is in the autosave under its name, or its parts' (``expire_at_0``)."""
    parts = re.compile(rf"{re.escape(html_name)}_\d+")
    return html_name in fields or any(parts.fullmatch(name) for name in fields)
