"""Product code uses Django's public API only: no private module or name is imported from
django, and no private attribute of a Django object is read, set or overridden.

Private means a dotted segment starting with an underscore (``django.utils._os``, ``from
django.x import _y``), the ORM's compiler package (``django.db.models.sql``), and the
underscore attributes Django keeps for itself listed in DJANGO_PRIVATE. ``Model._meta``,
``Model._state``, ``Model._base_manager`` and namedtuple's ``_make``/``_fields`` are
documented, so they are allowed. Tests, benchmarks and migrations are not product code.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOT_PRODUCT = {"tests", "bench", "migrations", "node_modules"}
PRIVATE_MODULES = ("django.db.models.sql",)
# Underscore attributes of Django's objects (connections, QuerySets, responses, requests,
# lazy objects, sitemaps, management commands, cache backends) that code here once used.
DJANGO_PRIVATE = {
    "_commit", "_rollback", "_savepoint", "_cursor",
    "_csp_config", "_csp_ro_config", "_csp_nonce",
    "_wrapped", "_setup",
    "_items", "_urls",
    "_out",
    "_iterable_class", "_prefetch_related_lookups", "_known_related_objects", "_fetch_mode",
    "_result_cache", "_hints", "_db", "_clone", "_chain", "_filter_or_exclude",
    "_get_raw_host", "_get_scheme", "_current_scheme_host",
    "_cache", "_class", "_client", "_servers", "_options", "_get_connection_pool",
}  # fmt: skip
# Receivers whose attributes are the object's own, unless its class extends Django's.
OWN = {"self", "cls"}


def product_files() -> list[Path]:
    """Every Python file of the product, from the repository root."""
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not any(
            part.startswith(".") or part in NOT_PRODUCT for part in path.relative_to(ROOT).parts
        )
    )


def is_private_module(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "django" and (
        any(part.startswith("_") for part in parts)
        or any(module == bad or module.startswith(f"{bad}.") for bad in PRIVATE_MODULES)
    )


class Finder(ast.NodeVisitor):
    """Collects every use of a private Django name in one module."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []
        self.django_names: set[str] = set()
        self.in_django_subclass = [False]

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if is_private_module(alias.name):
                self.found.append((node.lineno, f"import {alias.name}"))
            if alias.name.split(".")[0] == "django":
                self.django_names.add((alias.asname or alias.name).split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if module.split(".")[0] != "django":
            return
        for alias in node.names:
            if is_private_module(f"{module}.{alias.name}"):
                self.found.append((node.lineno, f"from {module} import {alias.name}"))
            self.django_names.add(alias.asname or alias.name)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        extends_django = any(self.names_django(base) for base in node.bases)
        self.in_django_subclass.append(extends_django)
        self.generic_visit(node)
        self.in_django_subclass.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if self.in_django_subclass[-1] and node.name in DJANGO_PRIVATE:
            self.found.append((node.lineno, f"overrides {node.name}()"))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in DJANGO_PRIVATE and (
            not self.is_own(node.value) or self.in_django_subclass[-1]
        ):
            self.found.append((node.lineno, f".{node.attr}"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        # getattr(response, "_csp_config") is the same access, spelled differently.
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr", "delattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in DJANGO_PRIVATE
        ):
            self.found.append((node.lineno, f"{node.func.id}(..., {node.args[1].value!r})"))
        self.generic_visit(node)

    def names_django(self, base: ast.expr) -> bool:
        while isinstance(base, ast.Attribute):
            base = base.value
        return isinstance(base, ast.Name) and base.id in self.django_names

    @staticmethod
    def is_own(value: ast.expr) -> bool:
        return isinstance(value, ast.Name) and value.id in OWN


def private_uses(source: str) -> list[tuple[int, str]]:
    finder = Finder()
    finder.visit(ast.parse(source))
    return finder.found


@pytest.mark.parametrize(
    "source",
    [
        "from django.db.models.sql.compiler import SQLCompiler",
        "import django.db.models.sql",
        "from django.utils._os import safe_join",
        "from django.utils import _os",
        "rows = queryset._iterable_class",
        "response._csp_config = {}",
        "storage._wrapped = empty",
        "sitemap._items()",
        "command.stdout._out.isatty()",
        "getattr(response, '_csp_config', None)",
        "from django.db.backends.postgresql import base\n"
        "class Wrapper(base.DatabaseWrapper):\n"
        "    def _commit(self):\n"
        "        super()._commit()",
        "from django.core.cache.backends.redis import RedisCache\n"
        "class Cache(RedisCache):\n"
        "    def client(self):\n"
        "        return self._cache",
    ],
)
def test_a_private_django_name_is_found(source):
    assert private_uses(source)


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.functional import empty",
        "fields = Article._meta.concrete_fields",
        "adding = article._state.adding",
        "Row._make(values)",
        "class Fence:\n    def client(self):\n        return self._client",
        "from sqlparse import _private",
    ],
)
def test_public_django_names_and_our_own_underscores_are_allowed(source):
    assert private_uses(source) == []


def test_product_code_uses_only_public_django_apis():
    found = {
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in product_files()
        for line, what in private_uses(path.read_text(encoding="utf-8"))
    }

    assert sorted(found) == []
