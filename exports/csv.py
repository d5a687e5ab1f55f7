"""CSV for spreadsheets: every file the admin writes goes through here, so that no cell a
contributor typed (a title such as ``=HYPERLINK(...)``) runs as a formula where it is opened."""

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

# A cell starting with one of these is a formula (or becomes one) to spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> Any:
    """A cell a spreadsheet shows as typed: a leading ' keeps a formula as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_typed(value: str) -> str:
    """The cell ``spreadsheet_text`` wrote, read back."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class SafeWriter:
    """A ``csv.writer`` whose every cell passes through ``spreadsheet_text``."""

    def __init__(self, out: Any) -> None:
        self.writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self.writer.writerow([spreadsheet_text(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(out: Any) -> SafeWriter:
    """Return a CSV writer onto ``out`` that never writes a formula."""
    return SafeWriter(out)


def csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """A CSV download named ``filename``.csv, and the safe writer that fills it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # lets spreadsheet programs read the Chinese correctly
    return response, safe_writer(response)
