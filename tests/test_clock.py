"""The named instants of ``pytest --now`` (tests/clock.py) fall where their names say."""

import pytest

from tests import clock
from tests.factories import beijing


@pytest.mark.parametrize(
    ("when", "today", "expected"),
    [
        ("month-end", beijing(2027, 2, 10, 9), beijing(2027, 2, 28, 23, 59, 59)),
        ("month-end", beijing(2028, 2, 10, 9), beijing(2028, 2, 29, 23, 59, 59)),
        ("month-start", beijing(2026, 12, 7, 6), beijing(2027, 1, 1, 0, 0, 30)),
        ("year-end", beijing(2027, 3, 1), beijing(2027, 12, 31, 23, 59, 59)),
        ("leap-day", beijing(2026, 12, 7), beijing(2028, 2, 29, 12)),
        ("leap-day", beijing(2028, 3, 1), beijing(2032, 2, 29, 12)),
        ("next-year", beijing(2028, 2, 29, 8), beijing(2029, 2, 28, 8)),
        ("2027-01-31T23:59:59+08:00", beijing(2026, 1, 1), beijing(2027, 1, 31, 23, 59, 59)),
    ],
)
def test_named_instants_are_worked_out_from_today_in_beijing(when, today, expected):
    assert clock.instant(when, today) == expected


def test_an_instant_without_its_offset_is_refused():
    with pytest.raises(ValueError, match="offset"):
        clock.instant("2027-01-31T23:59:59")
