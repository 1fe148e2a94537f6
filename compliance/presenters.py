"""What the compliance templates show for a finding or a run: labels and tag colours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import rules

from compliance import registry, subjects
from compliance.models import CheckRun, Finding, FindingEvent
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
    assignee: str = ""
    acknowledged_at: datetime | None = None


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
        assignee=person_name(finding.assigned_to) if finding.assigned_to_id else "",
        acknowledged_at=finding.acknowledged_at,
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
    """What the finding is about, in words, or a note that the record has since been removed."""
    subject = finding.subject
    if subject is None:
        model = finding.content_type.model_class()
        kind = model._meta.verbose_name if model else finding.content_type.name
        return f"The {kind} this was about no longer exists"
    return subjects.description_of(subject).label


def subject_link(finding: Finding, user) -> dict:
    """{"label", "href"}: the subject in words, linked when the person may open its page."""
    subject = finding.subject
    if subject is None:
        return {"label": subject_label(finding), "href": ""}
    description = subjects.description_of(subject)
    target = description.perm_object if description.perm_object is not None else subject
    allowed = description.perm is None or rules.has_perm(description.perm, user, target)
    return {"label": description.label, "href": description.url if allowed else ""}


EVENT_VERBS = {
    FindingEvent.Kind.ASSIGNED: "assigned it to",
    FindingEvent.Kind.UNASSIGNED: "took it off",
    FindingEvent.Kind.ACKNOWLEDGED: "acknowledged it",
    FindingEvent.Kind.COMMENTED: "commented",
}


def present_event(event: FindingEvent) -> dict:
    """One line of a finding's history: who did what, when, and what they wrote."""
    verb = EVENT_VERBS.get(event.kind, event.get_kind_display().lower())
    if event.kind == FindingEvent.Kind.ASSIGNED and event.assignee_id:
        verb = f"{verb} {person_name(event.assignee)}"
    if event.kind == FindingEvent.Kind.UNASSIGNED:
        verb = "unassigned it"
    return {"who": person_name(event.actor), "what": verb, "when": event.created_at,
            "text": event.text}


def person_name(user) -> str:
    return getattr(user, "full_name", "") or user.email


def run_outcome(run: CheckRun | None) -> tuple[str, str]:
    """(label, tag colour) of a check's last run."""
    if run is None:
        return "Not run yet", "grey"
    if run.finished_at is None:
        return "Running", "light-blue"
    if run.error:
        return "Failed", "red"
    return "Succeeded", "green"
