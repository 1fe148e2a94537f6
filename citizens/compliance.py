"""Compliance checks the citizens app contributes (see compliance.registry)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from citizens.models import (
    Attendance,
    Decision,
    ExpenseClaim,
    PanelMembership,
    PanelRole,
    PanelSession,
    SensitiveAnswers,
)
from compliance.registry import FindingSpec, Severity, compliance_check
from core.calendar import local_date, start_of_day, working_days_before

UNPAID_DAYS = 30
RESPONSE_WORKING_DAYS = 20
GUARDIAN_WAIT_DAYS = 7


@compliance_check(id="citizens.sessions_inquorate", title="Panel inquorate at two sessions "
                  "in a row", severity=Severity.MEDIUM, interval=timedelta(hours=24))
def sessions_inquorate(now: datetime) -> Iterator[FindingSpec]:
    """The two latest sessions with attendance recorded were both below the panel's quorum."""
    sessions = PanelSession.objects.filter(attendance_recorded_at__isnull=False).annotate(
        present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
    ).select_related("panel").order_by("panel_id", "-starts_at").values_list(
        "panel_id", "panel__title", "panel__authority_id", "panel__size",
        "panel__session_quorum", "present")
    latest: dict[int, list] = {}
    for panel_id, title, authority_id, size, quorum, present in sessions.iterator(2000):
        latest.setdefault(panel_id, [title, authority_id, quorum or size // 2 + 1, []])
        latest[panel_id][3].append(present)
    content_type = ContentType.objects.get_by_natural_key("citizens", "panel")
    for panel_id, (title, authority_id, quorum, counts) in latest.items():
        if len(counts) >= 2 and counts[0] < quorum and counts[1] < quorum:
            yield FindingSpec(subject=(content_type, panel_id), organisation_id=authority_id,
                              message=f"“{title}” was below its quorum of {quorum} at its last "
                                      f"two sessions ({counts[1]} then {counts[0]} attended).")


@compliance_check(id="citizens.claims_unpaid", title="Panel expenses unpaid after 30 days",
                  severity=Severity.HIGH, interval=timedelta(hours=24))
def claims_unpaid(now: datetime) -> Iterator[FindingSpec]:
    claims = ExpenseClaim.objects.filter(
        status__in=[ExpenseClaim.Status.SUBMITTED, ExpenseClaim.Status.APPROVED],
        created_at__lt=now - timedelta(days=UNPAID_DAYS),
    ).values_list("pk", "amount", "created_at", "session__panel__title",
                  "session__panel__authority_id")
    content_type = ContentType.objects.get_for_model(ExpenseClaim)
    for pk, amount, created, title, authority_id in claims.iterator(2000):
        yield FindingSpec(subject=(content_type, pk), organisation_id=authority_id,
                          message=f"A claim of £{amount:,.2f} on “{title}” made on "
                                  f"{local_date(created):%-d %B %Y} is still unpaid.")


@compliance_check(id="citizens.guardian_consent_missing",
                  title="Young member without a guardian's consent", severity=Severity.HIGH,
                  interval=timedelta(hours=24))
def guardian_consent_missing(now: datetime) -> Iterator[FindingSpec]:
    """Young members taking part with no consent recorded, or waiting more than a week."""
    rows = PanelMembership.objects.filter(role=PanelRole.YOUNG_MEMBER).filter(
        Q(status=PanelMembership.Status.ACTIVE, guardian_consent_at__isnull=True)
        | Q(status=PanelMembership.Status.AWAITING_GUARDIAN,
            responded_at__lt=now - timedelta(days=GUARDIAN_WAIT_DAYS)),
    ).values_list("pk", "status", "panel__title", "panel__authority_id")
    content_type = ContentType.objects.get_for_model(PanelMembership)
    for pk, status, title, authority_id in rows.iterator(2000):
        what = ("takes part with no guardian's consent recorded"
                if status == PanelMembership.Status.ACTIVE
                else f"has waited more than {GUARDIAN_WAIT_DAYS} days for a guardian's consent")
        yield FindingSpec(subject=(content_type, pk), organisation_id=authority_id,
                          message=f"A young member of “{title}” {what}.")


@compliance_check(id="citizens.sensitive_past_retention",
                  title="Sensitive pool answers kept past retention", severity=Severity.HIGH,
                  interval=timedelta(hours=24))
def sensitive_past_retention(now: datetime) -> Iterator[FindingSpec]:
    """One finding per panel whose encrypted pool answers should already be erased."""
    rows = SensitiveAnswers.objects.filter(
        purge_after__lt=local_date(now), purged_at__isnull=True,
    ).values("entry__panel_id", "entry__panel__title", "entry__panel__authority_id").annotate(
        n=Count("id")).order_by()
    content_type = ContentType.objects.get_by_natural_key("citizens", "panel")
    for row in rows:
        yield FindingSpec(subject=(content_type, row["entry__panel_id"]),
                          organisation_id=row["entry__panel__authority_id"],
                          message=f"{row['n']} people's sensitive answers for "
                                  f"“{row['entry__panel__title']}” are past their retention "
                                  "date and not yet erased.")


@compliance_check(id="citizens.response_overdue",
                  title="Panel recommendation without an official response",
                  severity=Severity.MEDIUM, interval=timedelta(hours=24))
def response_overdue(now: datetime) -> Iterator[FindingSpec]:
    cutoff = start_of_day(working_days_before(now, RESPONSE_WORKING_DAYS))
    rows = Decision.objects.filter(status=Decision.Status.CLOSED, closed_at__lt=cutoff,
                                   response__isnull=True).values_list(
        "pk", "title", "closed_at", "panel__title", "panel__authority_id")
    content_type = ContentType.objects.get_for_model(Decision)
    for pk, title, closed_at, panel_title, authority_id in rows.iterator(2000):
        yield FindingSpec(subject=(content_type, pk), organisation_id=authority_id,
                          message=f"“{title}” of “{panel_title}” was decided on "
                                  f"{local_date(closed_at):%-d %B %Y} and has had no official "
                                  f"response within {RESPONSE_WORKING_DAYS} working days.")
