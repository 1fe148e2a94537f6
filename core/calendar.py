"""Working days in England and Wales: weekdays that are not bank holidays.

The bank holidays come from the `holidays` package (offline; substitute days included, such
as Monday 28 December 2026 for Boxing Day on a Saturday). Datetimes are read as dates in
Europe/London, so 23:30 UTC on a summer evening already counts as the next day.

Conventions, chosen so that the functions invert each other:

- ``add_working_days(d, n)`` steps forward ``n`` working days; ``d`` itself is not counted.
- ``working_days_before(d, n)`` steps back ``n`` working days; ``d`` itself is not counted.
- ``working_days_between(start, end)`` counts working days after ``start`` up to and including
  ``end``, so ``working_days_between(d, add_working_days(d, n)) == n``.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
_ONE_DAY = datetime.timedelta(days=1)

DateLike = datetime.date | datetime.datetime


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    # Years are filled in lazily as dates are looked up (the package's default behaviour).
    return holidays.country_holidays("GB", subdiv="ENG")


def local_date(value: DateLike) -> datetime.date:
    """The calendar date in Europe/London of a date or an aware datetime."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError("Pass an aware datetime: naive times are ambiguous.")
        return value.astimezone(LONDON).date()
    return value


def bank_holiday_name(value: DateLike) -> str | None:
    """The bank holiday's name on that day in England and Wales, or None."""
    return _bank_holidays().get(local_date(value))


def is_working_day(value: DateLike) -> bool:
    """True on a weekday that is not an England and Wales bank holiday."""
    day = local_date(value)
    return day.weekday() < 5 and day not in _bank_holidays()


def add_working_days(value: DateLike, n: int) -> datetime.date:
    """The date ``n`` working days after ``value`` (before it when ``n`` is negative)."""
    if n < 0:
        return working_days_before(value, -n)
    return _step(local_date(value), n, _ONE_DAY)


def working_days_before(value: DateLike, n: int) -> datetime.date:
    """The date ``n`` working days before ``value`` (after it when ``n`` is negative)."""
    if n < 0:
        return add_working_days(value, -n)
    return _step(local_date(value), n, -_ONE_DAY)


def working_days_between(start: DateLike, end: DateLike) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
    first, last = local_date(start), local_date(end)
    if last < first:
        return -working_days_between(last, first)
    count, day = 0, first + _ONE_DAY
    while day <= last:
        count += is_working_day(day)
        day += _ONE_DAY
    return count


def latest_working_day(value: DateLike) -> datetime.date:
    """``value`` itself when it is a working day, otherwise the working day before it."""
    day = local_date(value)
    return day if is_working_day(day) else working_days_before(day, 1)


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in Europe/London, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


def _step(day: datetime.date, n: int, direction: datetime.timedelta) -> datetime.date:
    remaining = n
    while remaining:
        day += direction
        remaining -= is_working_day(day)
    return day
