"""Public URLs at list speed: reverse() once per URL shape, then fill in each item's values.

A list page links every item and its channel; reverse() per link is a good share of the
page's cost. The shape of a URL depends only on the URL name, the URLconf, the script
prefix (a site served under a path) and the language (translated routes), so it is worked
out once for each combination and checked against reverse() before it is trusted.
"""

import re
from collections.abc import Callable
from functools import lru_cache

from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Characters every converter in use leaves as written and URL quoting never touches.
AS_WRITTEN = re.compile(r"[-a-zA-Z0-9_]+")
# Two sets of stand-in values per URL argument, of distinct digits or letters, that
# reverse() accepts. The first marks where each value goes; the second checks the shape.
STAND_INS = {
    "year": ("7777", "2001"),
    "month": ("88", "03"),
    "day": ("99", "04"),
    "pk": ("6666666", "5"),
    "slug": ("qqslugqq", "a-b_c"),
}


def url_for(viewname: str, **values: str) -> str:
    """reverse(viewname, kwargs=values) for values its converters accept, without
    reverse()'s cost when they are plain (digits, letters, - and _)."""
    if not all(AS_WRITTEN.fullmatch(value) for value in values.values()):
        return reverse(viewname, kwargs=values)
    where = (get_script_prefix(), get_resolver(get_urlconf()), get_language())
    shape = _shape(viewname, tuple(values), *where)
    if shape is None:
        return reverse(viewname, kwargs=values)
    return shape.format_map(values)


def url_former(viewname: str, *names: str) -> Callable[..., str]:
    """url_for(viewname, ...) for many values in one request: the shape is looked up once
    (for this URLconf, script prefix and language), then only filled in."""
    where = (get_script_prefix(), get_resolver(get_urlconf()), get_language())
    shape = _shape(viewname, names, *where)

    def form(**values: str) -> str:
        plain = tuple(values) == names and all(map(AS_WRITTEN.fullmatch, values.values()))
        if shape is None or not plain:
            return reverse(viewname, kwargs=values)
        return shape.format_map(values)

    return form


@lru_cache(maxsize=128)
def _shape(viewname: str, names: tuple[str, ...], *where: object) -> str | None:
    """The URL with ``{name}`` for each value, or None where stand-ins cannot mark it."""
    if not set(names) <= STAND_INS.keys():
        return None
    try:
        marked = reverse(viewname, kwargs={name: STAND_INS[name][0] for name in names})
    except NoReverseMatch:
        return None  # the URL's converters refuse a stand-in
    shape = marked.replace("{", "{{").replace("}", "}}")
    for name in names:
        if marked.count(STAND_INS[name][0]) != 1:
            return None
        shape = shape.replace(STAND_INS[name][0], f"{{{name}}}")
    check = {name: STAND_INS[name][1] for name in names}
    try:
        return shape if shape.format_map(check) == reverse(viewname, kwargs=check) else None
    except NoReverseMatch:
        return None
