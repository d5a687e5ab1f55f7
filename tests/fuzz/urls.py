"""Every address the project defines, found from the URL resolver, and the hostile values
the fuzzer fills them with."""

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.contrib.admin import ModelAdmin, SimpleListFilter
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
# Every app of the project (the packages import-linter checks): their views' parameters.
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
APPS = PROJECT["tool"]["importlinter"]["root_packages"]

# What an attacker types where a value is expected.
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "00000",
    "1.5",
    "1e309",
    "NaN",
    "9" * 30,  # past every integer column
    "2147483648",
    "9223372036854775808",
    "abc",
    "true",
    "null",
    "\x00",
    "a\x00b",
    "\u202e\u2066evil\u2069",  # bidi overrides
    "\x01\x1b[31m\x7f",  # control characters
    "\ufeff\u200b",
    "x" * 10_000,
    "湘西州吉首市乾州古城",  # traditional Chinese
    "瀘溪鳳凰古城門戶網站",
    "' OR '1'='1",
    "1; DROP TABLE articles_article;--",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "../../../../etc/passwd",
    "%00%2e%2e%2f",
    "{{ settings.SECRET_KEY }}",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
    "-0001-01-01",
    "🀄" * 50,
]
# Query parameters Django's admin reads on every list and form.
ADMIN_PARAMETERS = ["p", "o", "q", "e", "all", "_popup", "_to_field", "_changelist_filters",
                    "term", "app_label", "model_name", "field_name"]  # fmt: skip
READS = re.compile(
    r"""(?:GET|QUERY_PARAMS)(?:\.get|\.getlist)?\(\s*["']([\w-]+)["']"""
    r"""|GET\[\s*["']([\w-]+)["']\s*\]|["']([\w-]+)["']\s+in\s+request\.GET"""
    r"""|reads=\(([^)]*)\)"""
)
QUOTED = re.compile(r"""["']([\w-]+)["']""")


def parameters_read_in_code() -> set[str]:
    """Every query parameter a view of the project reads, found in the source: request.GET
    lookups and what views tell the page cache they read (``depends_on(reads=...)``)."""
    from search.forms import SearchForm  # reads=(*SearchForm.base_fields, ...)

    names = set(SearchForm.base_fields)
    for app in APPS:
        for source in (ROOT / app).rglob("*.py"):
            for match in READS.finditer(source.read_text()):
                *single, listed = match.groups()
                names |= {name for name in single if name}
                names |= set(QUOTED.findall(listed or ""))
    return names


@dataclass
class Pattern:
    """One URL pattern: its route, the regex of each parameter, the view behind it."""

    route: str  # e.g. admin/articles/article/<path:object_id>/change/
    parts: list[tuple[str, str | None]]  # literal text, or (regex, name) for a parameter
    callback: object
    parameters: dict[str, str] = field(default_factory=dict)  # name → regex

    def path(self, values: dict[str, str]) -> str:
        built = []
        for text, name in self.parts:
            built.append(text if name is None else quote(values[name], safe=""))
        return "/" + "".join(built)

    def query_parameters(self) -> list[str]:
        """Parameters this view reads: the project's, and the admin's list filters."""
        model_admin = getattr(self.callback, "model_admin", None)
        names = set(ADMIN_PARAMETERS) if self.route.startswith("admin/") else set()
        if isinstance(model_admin, ModelAdmin):
            names |= admin_filter_parameters(model_admin)
        return sorted(names)


def admin_filter_parameters(model_admin: ModelAdmin) -> set[str]:
    """The lookups a model's change list accepts from its filters and date drill-down."""
    names = set()
    for entry in model_admin.list_filter:
        if isinstance(entry, type) and issubclass(entry, SimpleListFilter):
            names.add(entry.parameter_name)
            continue
        name = entry[0] if isinstance(entry, tuple | list) else entry
        names |= {f"{name}__{lookup}" for lookup in ("exact", "id__exact", "isnull", "gte", "lt")}
    if hierarchy := model_admin.date_hierarchy:
        names |= {f"{hierarchy}__{part}" for part in ("year", "month", "day", "gte", "lt")}
    return names


PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def split_route(pattern: RoutePattern) -> list[tuple[str, str | None]]:
    """A route's literal text and its <converter:name> parameters, in order."""
    route, parts, position = str(pattern), [], 0
    for match in PARAMETER.finditer(route):
        parts.append((route[position : match.start()], None))
        converter = pattern.converters[match["name"]]
        parts.append((converter.regex, match["name"]))
        position = match.end()
    parts.append((route[position:], None))
    return parts


def split_regex(pattern: RegexPattern) -> list[tuple[str, str | None]]:
    """A regex's literal text and its named groups (literal parts are plain text in every
    pattern the project and Django's admin define)."""
    source, parts, position = pattern.regex.pattern.strip("^$"), [], 0
    for match in re.finditer(r"\(\?P<(\w+)>", source):
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(source[end], 0)
            end += 1
        parts.append((source[position : match.start()].replace("\\", ""), None))
        parts.append((source[match.end() : end - 1], match[1]))
        position = end
    parts.append((source[position:].replace("\\", ""), None))
    return parts


def walk(resolver: URLResolver, prefix: list | None = None) -> Iterator[Pattern]:
    for entry in resolver.url_patterns:
        split = split_route if isinstance(entry.pattern, RoutePattern) else split_regex
        parts = (prefix or []) + split(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, parts)
            continue
        assert isinstance(entry, URLPattern)
        merged = merge_text(parts)
        yield Pattern(
            route="".join(text if name is None else f"<{name}>" for text, name in merged),
            parts=[(text, name) for text, name in merged],
            callback=entry.callback,
            parameters={name: text for text, name in merged if name is not None},
        )


def merge_text(parts: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    merged: list[tuple[str, str | None]] = []
    for text, name in parts:
        if name is None and merged and merged[-1][1] is None:
            merged[-1] = (merged[-1][0] + text, None)
        elif name is not None or text:
            merged.append((text, name))
    return merged


def every_pattern() -> list[Pattern]:
    return list(walk(get_resolver()))


def values_for(regex: str, known: list[str]) -> st.SearchStrategy[str]:
    """Hostile values a parameter of this regex can take (a path parameter only reaches
    the view if it matches), known ids of real rows, and whatever else matches."""
    compiled = re.compile(regex)
    fitting = [v for v in [*known, *HOSTILE] if compiled.fullmatch(v)]
    generated = st.from_regex(compiled, fullmatch=True)
    return st.sampled_from(fitting) | generated if fitting else generated


def query_values() -> st.SearchStrategy[str]:
    return st.sampled_from(HOSTILE) | st.text(max_size=40)
