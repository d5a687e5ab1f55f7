"""QuerySets compiled to SQL once per process, then run again with other values.

Building and compiling a QuerySet costs more than running a small query on an index. Where
the shape of a query never changes and only a few values do (an article's id, channel and
time, and the moment "now" of ``published()``), it is built once with stand-in values and
the places of the values are found in its parameters. It is then built with a second set of
stand-ins and trusted only if that gives the same SQL and the same parameters: otherwise it
is built every time, as before. The rules stay in the QuerySets; only their SQL is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

NOW = "now"


@dataclass(frozen=True, slots=True)
class Slot:
    """Where one of the values goes in the parameters."""

    name: str


@dataclass(frozen=True, slots=True)
class Statement:
    """One query's SQL, its parameters (values, or slots), and how to read its columns."""

    sql: str
    params: tuple
    converters: dict
    # The QuerySet's model: the router sends its reads to the primary or a replica.
    source: type[Model]
    # A QuerySet of model objects: their model, and the attribute each column fills.
    model: type[Model] | None = None
    names: tuple[str, ...] = ()
    fetch_mode: object = None

    def objects(self, values: Mapping[str, object]) -> list[Model]:
        """The model objects for these values, loaded as the QuerySet would load them."""
        assert self.model is not None, "Not a QuerySet of model objects."
        count = len(self.model._meta.concrete_fields)
        alias = router.db_for_read(self.source)
        found = []
        for row in self.run(values):
            obj = self.model.from_db(
                alias, self.names[:count], row[:count], fetch_mode=self.fetch_mode
            )
            for name, value in zip(self.names[count:], row[count:], strict=True):
                setattr(obj, name, value)
            found.append(obj)
        return found

    def run(self, values: Mapping[str, object]) -> list[tuple]:
        """The rows for these values, read as the QuerySet would have read them."""
        # One "now" for every part, as if the whole query were built at once.
        values = {NOW: timezone.now(), **values}
        # Where the QuerySet itself would read: the request's replica, or the primary.
        connection = connections[router.db_for_read(self.source)]
        params = [_fill(p, values, connection) if isinstance(p, Slot) else p for p in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not self.converters:
            return [tuple(row) for row in rows]
        return [self._converted(list(row), connection) for row in rows]

    def _converted(self, row: list, connection: BaseDatabaseWrapper) -> tuple:
        for position, (converters, expression) in self.converters.items():
            for converter in converters:
                row[position] = converter(row[position], expression, connection)
        return tuple(row)


Build = Callable[[Mapping[str, object]], Sequence[QuerySet]]
_kept: dict[tuple[str, Build], list[Statement] | None] = {}


def statements(build: Build, stand_ins: tuple[dict, dict]) -> list[Statement] | None:
    """``build``'s QuerySets compiled for this database, or None where stand-ins cannot
    mark every value (the caller then builds them each time)."""
    # Compiled on the primary's connection: its replicas run the same engine.
    key = (_primary().vendor, build)
    if key not in _kept:
        _kept[key] = _compile(build, *stand_ins)
    return _kept[key]


def _compile(build: Build, marks: dict, check: dict) -> list[Statement] | None:
    """Statements marked with the first stand-ins, kept if the second confirm them."""
    found = []
    for marked, checked in zip(_parts(build, marks), _parts(build, check), strict=True):
        (sql, params, span, converters, layout, source) = marked
        (check_sql, check_params, check_span, *_) = checked
        if layout is None:
            return None
        slots = tuple(_slot(param, marks, span) for param in params)
        if sql != check_sql or None in slots or len(slots) != len(check_params):
            return None
        pairs = zip(slots, check_params, strict=True)
        if not all(_agrees(slot, param, check, check_span) for slot, param in pairs):
            return None
        found.append(Statement(sql, slots, converters, source, *layout))
    return found


def _agrees(slot: object, param: object, check: dict, span: tuple) -> bool:
    """Whether a parameter built with the second stand-ins is what the slot would give."""
    if slot == Slot(NOW):
        return _is_now(param, span)
    return param == (_fill(slot, check, _primary()) if isinstance(slot, Slot) else slot)


def _parts(build: Build, values: dict) -> list[tuple]:
    """Each QuerySet's SQL, parameters, the span "now" fell in and column converters."""
    parts = []
    before = timezone.now()
    for queryset in build(values):
        compiler = queryset.query.get_compiler(connection=_primary())
        sql, params = compiler.as_sql()
        columns = [column for column, *_ in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        layout = _layout(queryset, compiler) if queryset._iterable_class is ModelIterable else ()
        span = (before, timezone.now())
        parts.append((sql, params, span, converters, layout, queryset.model))
    return parts


def _layout(queryset: QuerySet, compiler: SQLCompiler) -> tuple | None:
    """The model and the attribute of each column, when the row holds every field of the
    model in order, then annotations, and nothing else (None otherwise)."""
    info, model = compiler.klass_info, queryset.model
    names = [column.target.attname for column, *_ in compiler.select[: len(info["select_fields"])]]
    annotations = sorted(compiler.annotation_col_map.items(), key=lambda item: item[1])
    if (
        info.get("related_klass_infos")
        or queryset._prefetch_related_lookups
        or queryset._known_related_objects
        or queryset._fetch_mode.track_peers
        or info["select_fields"] != list(range(len(names)))
        or names != [field.attname for field in model._meta.concrete_fields]
        or [position for _, position in annotations] != list(range(len(names), compiler.col_count))
    ):
        return None
    return model, tuple(names + [name for name, _ in annotations]), queryset._fetch_mode


def _slot(param: object, marks: dict, span: tuple[datetime, datetime]) -> object | None:
    """The slot a parameter is, or the parameter itself if it is a constant; None if it
    is a time that is neither a stand-in nor "now"."""
    for name, value in marks.items():
        adapted = _adapted(value, _primary())
        if type(param) is type(adapted) and param == adapted:
            return Slot(name)
    if _is_now(param, span):
        return Slot(NOW)
    # Any other time may have been worked out from "now": it cannot be kept as it is.
    if _as_moment(param) is not None or isinstance(param, date | time | timedelta):
        return None
    return param


def _primary() -> BaseDatabaseWrapper:
    return connections[DEFAULT_DB_ALIAS]


def _fill(slot: Slot, values: Mapping[str, object], connection: BaseDatabaseWrapper) -> object:
    return _adapted(values[slot.name], connection)


def _adapted(value: object, connection: BaseDatabaseWrapper) -> object:
    """A value as the database backend passes it (SQLite takes times as text)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _is_now(param: object, span: tuple[datetime, datetime]) -> bool:
    moment = _as_moment(param)
    return moment is not None and span[0] <= moment <= span[1]


def _as_moment(param: object) -> datetime | None:
    """The time a parameter stands for, if it is one."""
    if isinstance(param, str):
        try:
            param = datetime.fromisoformat(param)
        except ValueError:
            return None
    if not isinstance(param, datetime):
        return None
    if timezone.is_naive(param):
        return timezone.make_aware(param, _primary().timezone or UTC)
    return param


# --- Pages sliced from a compiled QuerySet ----------------------------------------------

LIMIT, OFFSET = "limit", "offset"
# Stand-in bounds (only compiled, never run) for checking where slicing puts them.
_SLICE_CHECK = (7654321, 1234567)


def sliced_statements(build: Build, stand_ins: tuple[dict, dict]) -> list[Statement] | None:
    """``statements()`` for QuerySets read a page at a time: each takes its LIMIT and
    OFFSET from the values ``limit`` and ``offset``. None where slicing does more than add
    them at the end of the SQL (the caller then slices the QuerySets each time)."""
    key = (_primary().vendor, build, LIMIT)
    if key not in _kept:
        _kept[key] = _sliced(build, stand_ins)
    return _kept[key]


def _sliced(build: Build, stand_ins: tuple[dict, dict]) -> list[Statement] | None:
    """The statements, with LIMIT and OFFSET as parameters once the database's own way of
    writing them is confirmed."""
    whole = statements(build, stand_ins)
    if whole is None:
        return None
    limit, offset = _SLICE_CHECK
    ops, found = _primary().ops, []
    for statement, queryset in zip(whole, build(stand_ins[0]), strict=True):
        sliced = queryset[offset : offset + limit].query.get_compiler(connection=_primary())
        if sliced.as_sql()[0] != f"{statement.sql} {ops.limit_offset_sql(offset, offset + limit)}":
            return None
        params = (*statement.params, Slot(LIMIT), Slot(OFFSET))
        found.append(replace(statement, sql=f"{statement.sql} LIMIT %s OFFSET %s", params=params))
    return found
