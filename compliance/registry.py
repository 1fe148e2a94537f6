"""The registry of compliance checks that apps contribute from their ``compliance.py``.

A check is a function ``check(now) -> Iterable[FindingSpec]`` that returns the *current* set of
problems, computed with a few set-based queries. ``compliance.services.check_run`` compares
that set with the open findings, so a check never has to remember what it found before::

    @compliance_check(
        id="organisations.verification_overdue",
        title="Provider verification overdue",
        severity="high",
        interval=timedelta(hours=24),
    )
    def verification_overdue(now):
        for row in Organisation.objects.filter(...).values("pk", "name"):
            yield FindingSpec(subject=(organisation_type, row["pk"]), organisation_id=None,
                              message=f"{row['name']} has waited ...")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import autodiscover_modules


class Severity(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


# A model instance, or (ContentType or content type id, object id).
Subject = models.Model | tuple[Any, int]


@dataclass(frozen=True)
class FindingSpec:
    """One problem a check sees now: about ``subject``, owned by ``organisation_id``.

    ``organisation_id`` is the organisation whose admins must act, or None when the platform's
    admins own it.
    """

    subject: Subject
    organisation_id: int | None
    message: str


CheckFunction = Callable[[datetime], Iterable[FindingSpec]]


@dataclass(frozen=True)
class ComplianceCheck:
    id: str
    title: str
    severity: str
    interval: timedelta
    function: CheckFunction

    def find(self, now: datetime) -> Iterable[FindingSpec]:
        return self.function(now)


class UnknownCheck(LookupError):
    """No check is registered under that id."""


_checks: dict[str, ComplianceCheck] = {}


def compliance_check(
    *, id: str, title: str, severity: str, interval: timedelta = timedelta(hours=24)
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as a compliance check (see the module docstring)."""
    if severity not in Severity.values:
        raise ImproperlyConfigured(f"Check {id}: severity must be one of {Severity.values}.")
    if interval <= timedelta(0):
        raise ImproperlyConfigured(f"Check {id}: the interval must be positive.")

    def register(function: CheckFunction) -> CheckFunction:
        existing = _checks.get(id)
        if existing is not None and _qualname(existing.function) != _qualname(function):
            raise ImproperlyConfigured(f"Two compliance checks are registered as {id!r}.")
        _checks[id] = ComplianceCheck(id, title, severity, interval, function)
        return function

    return register


def get_check(check_id: str) -> ComplianceCheck:
    try:
        return _checks[check_id]
    except KeyError:
        raise UnknownCheck(f"No compliance check is registered as {check_id!r}.") from None


def all_checks() -> list[ComplianceCheck]:
    """Every registered check, ordered by id."""
    return [_checks[check_id] for check_id in sorted(_checks)]


def check_choices() -> list[tuple[str, str]]:
    """(id, title) pairs for filters and forms."""
    return [(check.id, check.title) for check in all_checks()]


def titles() -> dict[str, str]:
    return {check.id: check.title for check in all_checks()}


def unregister(check_id: str) -> None:
    _checks.pop(check_id, None)


@contextmanager
def temporary_check(
    *, id: str, function: CheckFunction, title: str = "", severity: str = Severity.MEDIUM,
    interval: timedelta = timedelta(hours=24),
) -> Iterator[ComplianceCheck]:
    """Register a check for the duration of a block (tests, one-off diagnostics)."""
    previous = _checks.pop(id, None)
    compliance_check(id=id, title=title or id, severity=severity, interval=interval)(function)
    try:
        yield _checks[id]
    finally:
        if previous is None:
            _checks.pop(id, None)
        else:
            _checks[id] = previous


def autodiscover() -> None:
    """Import every installed app's ``compliance`` module, which registers its checks."""
    autodiscover_modules("compliance")


def _qualname(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"
