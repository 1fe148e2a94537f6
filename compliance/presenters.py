"""What the compliance templates show for a finding or a run: labels and tag colours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from compliance import registry
from compliance.models import CheckRun, Finding
from compliance.registry import Severity
from compliance.selectors import CheckSummary

SEVERITY_COLOURS = {Severity.HIGH: "red", Severity.MEDIUM: "orange", Severity.LOW: "yellow"}
STATUS_COLOURS = {Finding.Status.OPEN: "blue", Finding.Status.RESOLVED: "green"}
PLATFORM_OWNER = "Platform administrators"


@dataclass(frozen=True)
class FindingRow:
    pk: int
    check_title: str
    message: str
    owner: str
    severity_label: str
    severity_colour: str
    status_label: str
    status_colour: str
    first_seen_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None


def check_title(check_id: str) -> str:
    """The registered title, or the id itself for a check that no longer exists."""
    try:
        return registry.get_check(check_id).title
    except registry.UnknownCheck:
        return check_id


def present_finding(finding: Finding) -> FindingRow:
    return FindingRow(
        pk=finding.pk,
        check_title=check_title(finding.check_id),
        message=finding.message,
        owner=finding.organisation.name if finding.organisation_id else PLATFORM_OWNER,
        severity_label=finding.get_severity_display(),
        severity_colour=SEVERITY_COLOURS.get(finding.severity, "grey"),
        status_label=finding.get_status_display(),
        status_colour=STATUS_COLOURS.get(finding.status, "grey"),
        first_seen_at=finding.first_seen_at,
        last_seen_at=finding.last_seen_at,
        resolved_at=finding.resolved_at,
    )


@dataclass(frozen=True)
class CheckRow:
    id: str
    title: str
    severity_label: str
    severity_colour: str
    open_count: int
    last_run_label: str
    last_run_colour: str
    last_run_at: datetime | None


def present_check(summary: CheckSummary) -> CheckRow:
    label, colour = run_outcome(summary.last_run)
    return CheckRow(
        id=summary.id,
        title=summary.title,
        severity_label=Severity(summary.severity).label,
        severity_colour=SEVERITY_COLOURS.get(summary.severity, "grey"),
        open_count=summary.open_count,
        last_run_label=label,
        last_run_colour=colour,
        last_run_at=summary.last_run.started_at if summary.last_run else None,
    )


def subject_label(finding: Finding) -> str:
    """What the finding is about, or a note that the record has since been removed."""
    subject = finding.subject
    if subject is None:
        return f"A record that no longer exists ({finding.content_type.name} {finding.object_id})"
    return f"{str(subject)} ({finding.content_type.name})"


def run_outcome(run: CheckRun | None) -> tuple[str, str]:
    """(label, tag colour) of a check's last run."""
    if run is None:
        return "Not run yet", "grey"
    if run.finished_at is None:
        return "Running", "light-blue"
    if run.error:
        return "Failed", "red"
    return "Succeeded", "green"
