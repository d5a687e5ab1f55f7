"""Every CSV the admin writes keeps a cell that looks like a formula as text."""

import csv
import io

import pytest

from exports.csv import as_typed, safe_writer


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (
            '=HYPERLINK("http://evil.example/","点击")',
            '\'=HYPERLINK("http://evil.example/","点击")',
        ),
        ("+86 743 1234567", "'+86 743 1234567"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("泸溪椪柑丰收", "泸溪椪柑丰收"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_formula_cell_is_written_as_text_and_read_back_as_typed(typed, written):
    out = io.StringIO()

    safe_writer(out).writerow([typed, 7, None])

    (row,) = csv.reader(io.StringIO(out.getvalue()))
    assert row == [written, "7", ""]
    assert as_typed(row[0]) == typed
