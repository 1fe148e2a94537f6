"""Fixtures for the compliance tests: an isolated check registry, a clock and findings."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from compliance import registry
from compliance.models import Finding
from compliance.registry import FindingSpec
from organisations.models import Organisation

LONDON = ZoneInfo("Europe/London")
_object_ids = itertools.count(1_000_000)


@pytest.fixture
def now() -> datetime.datetime:
    """Tuesday 14 April 2026, 10:00 in London (the week after Easter)."""
    return datetime.datetime(2026, 4, 14, 10, 0, tzinfo=LONDON)


@pytest.fixture
def only_checks(monkeypatch) -> Callable[..., registry.ComplianceCheck]:
    """Empty the registry for one test; the returned function registers a check in it."""
    monkeypatch.setattr(registry, "_checks", {})

    def register(check_id: str, function, **options) -> registry.ComplianceCheck:
        options.setdefault("title", check_id.replace(".", " ").capitalize())
        options.setdefault("severity", "medium")
        registry.compliance_check(id=check_id, **options)(function)
        return registry.get_check(check_id)

    return register


class ProblemSet:
    """A check whose current problems a test sets: organisations mapped to an owner id."""

    def __init__(self) -> None:
        self.problems: dict[Organisation, int | None] = {}
        self.messages: dict[int, str] = {}

    def __call__(self, now) -> list[FindingSpec]:
        return [
            FindingSpec(
                subject=organisation,
                organisation_id=owner,
                message=self.messages.get(organisation.pk, f"{organisation.name} has a problem"),
            )
            for organisation, owner in self.problems.items()
        ]


@pytest.fixture
def problem_check(only_checks) -> ProblemSet:
    """A registered check ``tests.problems`` (medium, hourly) driven by a ProblemSet."""
    problems = ProblemSet()
    only_checks("tests.problems", problems, interval=datetime.timedelta(hours=1),
                title="Test problems")
    return problems


@pytest.fixture
def make_finding(db) -> Callable[..., Finding]:
    """Create a finding directly (for dashboard tests), each about a distinct subject."""
    content_type = ContentType.objects.get_for_model(Organisation)

    def make(*, organisation=None, check_id="organisations.verification_overdue",
             status=Finding.Status.OPEN, severity="high", message="Something needs doing",
             object_id=None) -> Finding:
        seen = timezone.now()
        return Finding.objects.create(
            check_id=check_id, content_type=content_type,
            object_id=object_id or next(_object_ids), organisation=organisation,
            message=message, severity=severity, status=status, first_seen_at=seen,
            last_seen_at=seen,
            resolved_at=seen if status == Finding.Status.RESOLVED else None,
        )

    return make
