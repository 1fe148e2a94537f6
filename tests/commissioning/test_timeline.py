"""Tendering periods (s.54): minimums by rule, reasons for shorter periods, warnings."""

import datetime

import pytest

from commissioning.timeline import Timetable, timeline_check

START = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


def timetable(days: float, *, above=True, light_touch=False, reason="", questions_days=None):
    deadline = START + datetime.timedelta(days=days)
    questions = START + datetime.timedelta(days=questions_days if questions_days is not None
                                           else max(days - 5, 0.5))
    return Timetable(above_threshold=above, is_light_touch=light_touch,
                     short_period_reason=reason, starts_at=START, questions_deadline=questions,
                     deadline=deadline)


def test_above_threshold_needs_25_days():
    check = timeline_check(timetable(24))
    assert not check.ok
    assert "at least 25 days" in check.errors["deadline"][0]


def test_exactly_25_days_is_allowed_with_a_warning_naming_s54_and_the_sme_duty():
    check = timeline_check(timetable(25))
    assert check.ok
    assert len(check.warnings) == 1
    warning = check.warnings[0]
    assert "minimum tendering period of 25 days" in warning
    assert "nature and complexity of the contract" in warning
    assert "site visits" in warning and "subcontracting" in warning
    assert "section 12(4)" in warning


def test_more_than_the_minimum_gives_no_warning():
    assert timeline_check(timetable(40)).warnings == []


@pytest.mark.parametrize("kwargs", [
    {"reason": "Urgency: flood damage to care homes"},
    {"light_touch": True},
    {"reason": "A qualifying planned procurement notice: 2027/S 000-123456"},
])
def test_ten_days_only_with_a_recorded_reason_or_light_touch(kwargs):
    check = timeline_check(timetable(10, **kwargs))
    assert check.ok
    assert "minimum tendering period of 10 days" in check.warnings[0]


def test_ten_days_without_a_reason_is_refused():
    assert not timeline_check(timetable(12)).ok


def test_even_with_a_reason_fewer_than_10_days_is_refused():
    check = timeline_check(timetable(9, reason="Urgency"))
    assert "at least 10 days" in check.errors["deadline"][0]


def test_below_threshold_short_period_is_a_warning_not_an_error():
    check = timeline_check(timetable(7, above=False, questions_days=3))
    assert check.ok
    assert "reasonable" in check.warnings[0]
    assert "section 12(4)" in check.warnings[0]


def test_questions_must_close_before_the_deadline():
    check = timeline_check(timetable(30, questions_days=30))
    assert "before the deadline for bids" in check.errors["questions_deadline"][0]


def test_questions_deadline_in_the_past_is_refused():
    check = timeline_check(timetable(30, questions_days=-1))
    assert "in the future" in check.errors["questions_deadline"][0]


def test_questions_closing_too_close_to_the_deadline_is_warned():
    check = timeline_check(timetable(30, questions_days=29.9))
    assert any("2 working days" in w for w in check.warnings)


def test_deadline_in_the_past_or_missing():
    assert timeline_check(timetable(-1)).errors["deadline"]
    missing = Timetable(above_threshold=True, is_light_touch=False, short_period_reason="",
                        starts_at=START, questions_deadline=None, deadline=None)
    assert timeline_check(missing).errors["deadline"] == ["Enter the deadline for bids."]
