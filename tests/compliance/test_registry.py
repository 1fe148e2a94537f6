"""The registry: apps' compliance.py modules register checks with a decorator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from compliance import registry


def test_apps_checks_are_discovered_at_startup():
    ids = [check.id for check in registry.all_checks()]
    assert "organisations.verification_overdue" in ids
    assert "organisations.staff_without_mfa" in ids
    check = registry.get_check("organisations.verification_overdue")
    assert (check.severity, check.interval) == ("high", timedelta(hours=24))


def test_decorator_registers_and_returns_the_function(only_checks):
    @registry.compliance_check(id="tests.example", title="Example", severity="low",
                               interval=timedelta(hours=6))
    def example(now):
        return []

    check = registry.get_check("tests.example")
    assert check.function is example
    assert (check.title, check.severity, check.interval) == ("Example", "low", timedelta(hours=6))
    assert registry.check_choices() == [("tests.example", "Example")]


def test_unknown_severity_and_duplicate_ids_are_refused(only_checks):
    with pytest.raises(ImproperlyConfigured):
        registry.compliance_check(id="tests.bad", title="Bad", severity="urgent")
    def first(now):
        return []

    def second(now):
        return []

    only_checks("tests.one", first)
    only_checks("tests.one", first)  # the same function again (a module imported twice): fine
    with pytest.raises(ImproperlyConfigured):
        registry.compliance_check(id="tests.one", title="Again", severity="low")(second)


def test_unknown_check_raises():
    with pytest.raises(registry.UnknownCheck):
        registry.get_check("tests.nowhere")


def test_temporary_check_is_removed_afterwards():
    with registry.temporary_check(id="tests.temporary", function=lambda now: []):
        assert registry.get_check("tests.temporary")
    with pytest.raises(registry.UnknownCheck):
        registry.get_check("tests.temporary")
