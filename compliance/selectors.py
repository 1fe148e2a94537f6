"""Reads of compliance findings and runs, scoped to what the asking person may see.

Platform admins see every finding. Staff of an authority (any authority role) see the findings
owned by the organisation they are currently working as. Nobody else sees any.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.http import Http404

from compliance import registry
from compliance.models import CheckRun, Finding
from compliance.registry import Severity
from organisations.models import AUTHORITY_ROLES
from organisations.selectors import roles_of

SEVERITY_RANK = Case(
    When(severity=Severity.HIGH, then=Value(0)),
    When(severity=Severity.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def can_view_findings(*, user, organisation) -> bool:
    """True for platform admins, and for authority staff working as that authority."""
    if not user.is_authenticated:
        return False
    if user.is_platform_admin:
        return True
    return _is_staff_of(user=user, organisation=organisation)


def findings_for(*, user, organisation) -> QuerySet[Finding]:
    """Every finding ``user`` may see while working as ``organisation``; 403 for anybody else."""
    if not can_view_findings(user=user, organisation=organisation):
        raise PermissionDenied
    if user.is_platform_admin:
        return Finding.objects.all()
    return Finding.objects.filter(organisation=organisation)


def dashboard_findings(*, findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """Open first, then most severe, then newest; with what each row shows, in one query."""
    return (
        findings.select_related("organisation", "assigned_to")
        .annotate(severity_rank=SEVERITY_RANK)
        .order_by("status", "severity_rank", "-first_seen_at", "-id")
    )


def finding_get_for_user(*, user, organisation, pk: int) -> Finding:
    """One finding the user may see: 403 when they see no findings, 404 when not theirs."""
    finding = (
        findings_for(user=user, organisation=organisation)
        .select_related("organisation", "content_type", "assigned_to", "acknowledged_by")
        .filter(pk=pk)
        .first()
    )
    if finding is None:
        raise Http404("No such finding.")
    return finding


def episodes_of(*, finding: Finding, scope: QuerySet[Finding]) -> QuerySet[Finding]:
    """Every finding of the same check about the same subject (this one included), newest first."""
    return scope.filter(
        check_id=finding.check_id,
        content_type_id=finding.content_type_id,
        object_id=finding.object_id,
    ).select_related("organisation", "assigned_to").order_by("-first_seen_at", "-id")


def events_of(*, finding: Finding):
    """The finding's history: assignments, acknowledgement and comments, oldest first."""
    return finding.events.select_related("actor", "assignee").order_by("created_at", "id")


@dataclass(frozen=True)
class CheckSummary:
    id: str
    title: str
    severity: str
    open_count: int
    last_run: CheckRun | None


def check_summaries(*, findings: QuerySet[Finding]) -> list[CheckSummary]:
    """Each registered check with its open findings (within ``findings``) and its last run."""
    open_counts = dict(
        findings.filter(status=Finding.Status.OPEN)
        .order_by()
        .values("check_id")
        .annotate(n=Count("pk"))
        .values_list("check_id", "n")
    )
    latest = {run.check_id: run for run in latest_runs()}
    return [
        CheckSummary(check.id, check.title, check.severity, open_counts.get(check.id, 0),
                     latest.get(check.id))
        for check in registry.all_checks()
    ]


def latest_runs() -> QuerySet[CheckRun]:
    """The most recent run of each check, in one query."""
    newest = CheckRun.objects.filter(check_id=OuterRef("check_id")).order_by("-started_at", "-id")
    return CheckRun.objects.filter(pk=Subquery(newest.values("pk")[:1])).order_by("check_id")


def _is_staff_of(*, user, organisation) -> bool:
    if organisation is None or not organisation.is_authority:
        return False
    return bool(roles_of(user=user, organisation=organisation) & AUTHORITY_ROLES)

