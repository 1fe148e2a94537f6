"""Working days in England and Wales, with the real 2025 and 2026 bank holidays."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from core.calendar import (
    add_working_days,
    bank_holiday_name,
    is_working_day,
    latest_working_day,
    local_date,
    start_of_day,
    working_days_before,
    working_days_between,
)

D = datetime.date
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 4, 2), True),    # Thursday before Easter
        (D(2026, 4, 3), False),   # Good Friday
        (D(2026, 4, 4), False),   # Saturday
        (D(2026, 4, 6), False),   # Easter Monday
        (D(2026, 4, 7), True),
        (D(2026, 12, 25), False),  # Christmas Day, a Friday
        (D(2026, 12, 28), False),  # Boxing Day substitute, Monday
        (D(2026, 12, 29), True),
        (D(2025, 12, 26), False),  # Boxing Day 2025, a Friday
        (D(2025, 8, 25), False),   # Summer bank holiday 2025
        (D(2026, 5, 4), False),    # Early May bank holiday
        (D(2026, 5, 25), False),   # Spring bank holiday
        (D(2026, 8, 31), False),   # Summer bank holiday 2026
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


def test_bank_holidays_have_names():
    assert bank_holiday_name(D(2026, 4, 3)) == "Good Friday"
    assert "Boxing Day" in bank_holiday_name(D(2026, 12, 28))
    assert bank_holiday_name(D(2026, 4, 7)) is None


def test_adding_working_days_skips_easter():
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    assert add_working_days(D(2026, 4, 2), 5) == D(2026, 4, 13)
    assert add_working_days(D(2026, 4, 2), 0) == D(2026, 4, 2)
    assert add_working_days(D(2026, 4, 7), -1) == D(2026, 4, 2)


def test_adding_working_days_skips_christmas_and_the_substitute_boxing_day():
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert add_working_days(D(2026, 12, 24), 5) == D(2027, 1, 5)  # 1 January 2027 is a holiday


def test_working_days_before_is_the_inverse_of_adding():
    assert working_days_before(D(2026, 4, 13), 5) == D(2026, 4, 2)
    assert working_days_before(D(2026, 12, 29), 1) == D(2026, 12, 24)
    for start in (D(2026, 4, 1), D(2026, 12, 23), D(2025, 12, 19)):
        for n in range(0, 12):
            assert working_days_before(add_working_days(start, n), n) == start


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(D(2026, 4, 2), D(2026, 4, 13)) == 5
    assert working_days_between(D(2026, 4, 2), D(2026, 4, 6)) == 0
    assert working_days_between(D(2026, 4, 13), D(2026, 4, 2)) == -5
    assert working_days_between(D(2026, 12, 24), D(2027, 1, 4)) == 4  # 29, 30, 31 Dec, 4 Jan
    for n in range(0, 15):
        assert working_days_between(D(2025, 12, 19), add_working_days(D(2025, 12, 19), n)) == n


def test_datetimes_are_read_in_london():
    # 23:30 UTC on 2 April 2026 (BST) is 00:30 on Good Friday in London.
    late = datetime.datetime(2026, 4, 2, 23, 30, tzinfo=UTC)
    assert local_date(late) == D(2026, 4, 3)
    assert is_working_day(late) is False
    # In winter (GMT) the same clock time is still the same day.
    assert local_date(datetime.datetime(2026, 12, 24, 23, 30, tzinfo=UTC)) == D(2026, 12, 24)
    with pytest.raises(ValueError):
        local_date(datetime.datetime(2026, 4, 2, 12, 0))


def test_latest_working_day_and_start_of_day():
    assert latest_working_day(D(2026, 4, 6)) == D(2026, 4, 2)
    assert latest_working_day(D(2026, 4, 7)) == D(2026, 4, 7)
    midnight = start_of_day(D(2026, 4, 7))
    assert midnight.utcoffset() == datetime.timedelta(hours=1)  # BST
    assert midnight.astimezone(ZoneInfo("UTC")).hour == 23
