"""The instants the suite is run at to prove it passes whatever the date and hour.

``pytest --now WHEN`` starts every test with the clock at WHEN (it ticks on from there).
WHEN is an ISO 8601 instant or one of the names below, each worked out from today in
Beijing time, so the proof stays as sharp next year as it is today.
"""

import calendar
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def month_end(today: datetime) -> datetime:
    """The last second of this month."""
    last_day = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=last_day, hour=23, minute=59, second=59, microsecond=0)


def month_start(today: datetime) -> datetime:
    """Half a minute into the first day of next month."""
    return month_end(today) + timedelta(seconds=31)


def year_end(today: datetime) -> datetime:
    """The last second of the year: 12-31 23:59:59."""
    return today.replace(month=12, day=31, hour=23, minute=59, second=59, microsecond=0)


def leap_day(today: datetime) -> datetime:
    """Noon on the next 29 February."""
    year = today.year + (today.month > 2)
    while not calendar.isleap(year):
        year += 1
    return datetime(year, 2, 29, 12, tzinfo=BEIJING)


def next_year(today: datetime) -> datetime:
    """This moment a year from now (28 February for a 29th)."""
    day = min(today.day, calendar.monthrange(today.year + 1, today.month)[1])
    return today.replace(year=today.year + 1, day=day)


NAMED: dict[str, Callable[[datetime], datetime]] = {
    "month-end": month_end,
    "month-start": month_start,
    "year-end": year_end,
    "leap-day": leap_day,
    "next-year": next_year,
}


def instant(when: str, today: datetime | None = None) -> datetime:
    """The instant a ``--now`` value names."""
    today = today or datetime.now(BEIJING)
    if when in NAMED:
        return NAMED[when](today.astimezone(BEIJING))
    moment = datetime.fromisoformat(when)
    if moment.tzinfo is None:
        raise ValueError(f"--now {when}: give the offset too, e.g. {when}+08:00")
    return moment
