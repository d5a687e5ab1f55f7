"""What the article page's content fragment shows from other tables: the tags, the credits
(with their authors) and the corrections, read in one query.

Three small queries cost three round trips; the page reads them together whenever it
draws the fragment, so they come as the parts of one UNION ALL, and are turned back into
the models' own objects in each relation's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import router
from django.db.models import DateTimeField, IntegerField, Model, QuerySet, Value
from django.db.models.functions import Cast

from articles.models import ArticleAuthor, Author, Correction, TaggedArticle

# What each row is. Rows are (kind, position, id, author, user, text ×4, created).
TAG, CREDIT, CORRECTION = range(3)
# Typed, so that PostgreSQL can match each part's columns with the others'.
NO_ID = Cast(Value(None), IntegerField())
NO_TIME = Cast(Value(None), DateTimeField())
BLANK = Value("")
Tag = TaggedArticle._meta.get_field("tag").related_model


@dataclass(frozen=True, slots=True)
class PageParts:
    """The article's tags, credits and corrections, each in its relation's order."""

    tags: list
    credits: list
    corrections: list


def read(article_pk: int) -> PageParts:
    """An article's tags, credits and corrections as the database has them now."""
    by_kind: dict[int, list[tuple]] = {TAG: [], CREDIT: [], CORRECTION: []}
    for row in _rows(article_pk):
        by_kind[row[0]].append(row)
    return PageParts(
        tags=[_tag(row) for row in sorted(by_kind[TAG], key=lambda row: row[1])],
        credits=[_credit(row, article_pk) for row in sorted(by_kind[CREDIT], key=_by_position)],
        corrections=[
            _correction(row, article_pk) for row in sorted(by_kind[CORRECTION], key=_by_time)
        ],
    )


def _rows(pk: int) -> QuerySet:
    """The one query: every tag, credit and correction of the article, in no order."""
    tags = TaggedArticle.objects.filter(content_object_id=pk).values_list(
        Value(TAG), "id", "tag_id", NO_ID, NO_ID, "tag__name", "tag__slug", BLANK, BLANK, NO_TIME
    )
    credits = ArticleAuthor.objects.filter(article_id=pk).values_list(
        Value(CREDIT), "position", "id", "author_id", "author__user_id", "author__name", "role",
        "author__role", "author__outlet", NO_TIME,
    )  # fmt: skip
    corrections = Correction.objects.filter(article_id=pk).values_list(
        Value(CORRECTION), Value(0), "id", NO_ID, "created_by_id", "kind", "text", BLANK, BLANK,
        "created_at",
    )  # fmt: skip
    parts = [part.order_by() for part in (tags, credits, corrections)]
    return parts[0].union(*parts[1:], all=True).order_by()


def _by_position(row: tuple) -> tuple:
    return row[1], row[2]


def _by_time(row: tuple) -> tuple:
    return row[9] or datetime.min.replace(tzinfo=UTC), row[2]


def _tag(row: tuple) -> Model:
    _, _, pk, _, _, name, slug, *_ = row
    return _loaded(Tag, id=pk, name=name, slug=slug)


def _credit(row: tuple, article_pk: int) -> ArticleAuthor:
    _, position, pk, author_pk, user_pk, name, role, author_role, outlet, _ = row
    credit = _loaded(
        ArticleAuthor, id=pk, article_id=article_pk, author_id=author_pk, role=role,
        position=position,
    )  # fmt: skip
    credit.author = _loaded(
        Author, id=author_pk, name=name, role=author_role, outlet=outlet, user_id=user_pk
    )
    return credit


def _correction(row: tuple, article_pk: int) -> Correction:
    _, _, pk, _, user_pk, kind, text, _, _, created_at = row
    return _loaded(
        Correction, id=pk, article_id=article_pk, kind=kind, text=text, created_at=created_at,
        created_by_id=user_pk,
    )  # fmt: skip


def _loaded(model: type[Model], **values: object) -> Model:
    """A model object as a query would load it; every field must be given."""
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(router.db_for_read(model), names, [values[name] for name in names])
