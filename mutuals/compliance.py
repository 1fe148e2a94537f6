"""Compliance checks about mutual recognition (see compliance.registry)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from compliance.registry import FindingSpec, Severity, compliance_check
from core.calendar import local_date
from mutuals.models import Milestone, Recognition, SupportApplication, SupportPlan
from mutuals.selectors import recognitions_due_for_reconfirmation
from mutuals.support_rules import subsidy_headroom

RECONFIRM_NOTICE_DAYS = 30
STALL_DAYS = 60
HEADROOM_WARNING = Decimal("0.10")


@compliance_check(
    id="mutuals.recognition_reconfirmation_due",
    title="Mutual recognition due for re-confirmation",
    severity=Severity.MEDIUM,
    interval=timedelta(hours=24),
)
def recognition_reconfirmation_due(now: datetime) -> Iterator[FindingSpec]:
    """Recognitions lapsing within 30 days with no later recognition and no open request."""
    content_type = ContentType.objects.get_for_model(Recognition)
    open_requests = Recognition.objects.filter(status=Recognition.Status.REQUESTED)
    due = (recognitions_due_for_reconfirmation(within_days=RECONFIRM_NOTICE_DAYS,
                                               on=local_date(now))
           .exclude(organisation__in=open_requests.values("organisation")))
    for recognition in due:
        yield FindingSpec(
            subject=(content_type, recognition.pk), organisation_id=recognition.organisation_id,
            message=f"{recognition.organisation.name}'s recognition "
                    f"({recognition.get_definition_key_display().lower()}) lapses on "
                    f"{recognition.valid_until:%-d %B %Y}: ask for it to be re-confirmed.")


@compliance_check(
    id="mutuals.milestone_overdue",
    title="Mutual support milestone overdue",
    severity=Severity.MEDIUM,
    interval=timedelta(hours=24),
)
def milestone_overdue(now: datetime) -> Iterator[FindingSpec]:
    """Milestones of active plans past their due date without evidence signed off."""
    content_type = ContentType.objects.get_for_model(Milestone)
    rows = (Milestone.objects.filter(plan__status=SupportPlan.Status.ACTIVE,
                                     due_on__lt=local_date(now))
            .exclude(status=Milestone.Status.SIGNED_OFF)
            .values_list("pk", "title", "due_on", "plan__application__scheme__authority_id",
                         "plan__application__team_name",
                         "plan__application__organisation__name"))
    for pk, title, due_on, authority_id, team, organisation in rows.iterator(chunk_size=2000):
        yield FindingSpec(subject=(content_type, pk), organisation_id=authority_id,
                          message=f"{organisation or team}: “{title}” was due on "
                                  f"{due_on:%-d %B %Y} and is not signed off.")


@compliance_check(
    id="mutuals.plan_without_progress",
    title="Mutual support plan with no progress for 60 days",
    severity=Severity.LOW,
    interval=timedelta(hours=24),
)
def plan_without_progress(now: datetime) -> Iterator[FindingSpec]:
    content_type = ContentType.objects.get_for_model(SupportPlan)
    rows = (SupportPlan.objects.filter(status=SupportPlan.Status.ACTIVE,
                                       last_progress_at__lt=now - timedelta(days=STALL_DAYS))
            .values_list("pk", "last_progress_at", "application__scheme__authority_id",
                         "application__team_name", "application__organisation__name"))
    for pk, last, authority_id, team, organisation in rows.iterator(chunk_size=2000):
        yield FindingSpec(subject=(content_type, pk), organisation_id=authority_id,
                          message=f"{organisation or team}: nothing has happened on the support "
                                  f"plan since {local_date(last):%-d %B %Y}.")


@compliance_check(
    id="mutuals.subsidy_headroom_low",
    title="Mutual support applicant close to the subsidy control limit",
    severity=Severity.MEDIUM,
    interval=timedelta(hours=24),
)
def subsidy_headroom_low(now: datetime) -> Iterator[FindingSpec]:
    """Open applications whose declared support plus the grant leaves under 10% of the limit."""
    content_type = ContentType.objects.get_for_model(SupportApplication)
    day = local_date(now)
    applications = (SupportApplication.objects
                    .filter(status=SupportApplication.Status.SUBMITTED)
                    .select_related("scheme", "organisation").prefetch_related("subsidies"))
    for application in applications.iterator(chunk_size=500):
        headroom = subsidy_headroom(application, day)
        if headroom < HEADROOM_WARNING:
            yield FindingSpec(
                subject=(content_type, application.pk),
                organisation_id=application.scheme.authority_id,
                message=f"{application.reference} {application.applicant_name}: with the grant "
                        f"asked for, only {headroom * 100:.0f}% of the subsidy control limit "
                        "is left.")
