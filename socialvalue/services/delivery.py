"""Delivery: a contract's commitments become targets per period, reported and reviewed."""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.documents import DocumentPolicy, document_store
from core.notifications import notify
from organisations.models import Membership, Organisation, Role
from socialvalue.models import CommitmentSet, DeliveryLedger, DeliveryReport, DeliveryTarget
from socialvalue.services.commitments import commitment_has_error

EVIDENCE_POLICY = DocumentPolicy()
MONTHS = {"monthly": 1, "quarterly": 3, "six_monthly": 6, "annual": 12}
PERIOD_NAMES = {"monthly": "month", "quarterly": "quarter", "six_monthly": "reporting period",
                "annual": "year"}
REVIEWER_ROLES = (Role.CONTRACT_MANAGER, Role.COMMISSIONER, Role.AUTHORITY_ADMIN)
SUPPLIER_ROLES = (Role.PROVIDER_ADMIN, Role.BID_WRITER)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reporting_periods(
    starts_on: datetime.date, ends_on: datetime.date, frequency: str
) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive periods from the start date; the last one ends on the contract's end."""
    step, periods, index = MONTHS[frequency], [], 0
    start = starts_on
    while start <= ends_on:
        next_start = add_months(starts_on, step * (index + 1))
        periods.append((start, min(next_start - datetime.timedelta(days=1), ends_on)))
        start, index = next_start, index + 1
    return periods


def spread(quantity: Decimal, parts: int) -> list[Decimal]:
    """``quantity`` in ``parts`` equal shares to the penny; the last share takes the rest."""
    share = (quantity / parts).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [share] * (parts - 1) + [quantity - share * (parts - 1)]


def people_with_roles(organisation_id: int, roles) -> list:
    from accounts.models import User

    return list(User.objects.filter(
        memberships__organisation_id=organisation_id, memberships__role__in=roles,
        is_active=True).distinct())


@transaction.atomic
def ledger_create(
    *, commitment_set: CommitmentSet, authority: Organisation, starts_on: datetime.date,
    ends_on: datetime.date, actor: Any, frequency: str = "quarterly",
    tolerance: Decimal = Decimal("10"),
    periods: list[tuple[datetime.date, datetime.date]] | None = None,
) -> DeliveryLedger:
    """Turn the accepted commitments of the winning bid into targets per reporting period.

    Commitments flagged with an error by the counting rules are not tracked. First-year-only
    measures are spread over the periods of the first year; the rest over the whole term.
    ``periods`` gives the reporting periods explicitly (a grant's monitoring schedule);
    otherwise they follow ``frequency`` from ``starts_on``.
    """
    if commitment_set.plan.authority_id != authority.pk:
        raise ValidationError("These commitments were made to a different authority.")
    if frequency not in MONTHS:
        raise ValidationError({"frequency": "Choose how often the supplier reports"})
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "The end date must be after the start date"})
    if DeliveryLedger.objects.filter(commitment_set=commitment_set).exists():
        raise ValidationError("A delivery ledger already exists for these commitments.")
    ledger = DeliveryLedger.objects.create(
        commitment_set=commitment_set, authority=authority,
        supplier_id=commitment_set.supplier_id, frequency=frequency, tolerance=tolerance)
    periods = periods or reporting_periods(starts_on, ends_on, frequency)
    first_year_ends = add_months(starts_on, 12)
    targets = []
    for commitment in commitment_set.commitments.select_related("plan_measure__measure"):
        if commitment_has_error(commitment):
            continue
        chosen = periods
        if commitment.plan_measure.measure.first_year_only:
            chosen = [p for p in periods if p[0] < first_year_ends]
        for (start, end), share in zip(chosen, spread(commitment.quantity, len(chosen)),
                                       strict=True):
            targets.append(DeliveryTarget(ledger=ledger, commitment=commitment,
                                          period_start=start, period_end=end, target=share))
    DeliveryTarget.objects.bulk_create(targets)
    audit_record(actor=actor, action="socialvalue.ledger_created", obj=ledger,
                 organisation_id=authority.pk, summary=f"Created a delivery ledger with "
                 f"{len(targets)} targets", changes={"starts_on": starts_on, "ends_on": ends_on,
                                                     "frequency": frequency})
    notify(recipients=people_with_roles(ledger.supplier_id, SUPPLIER_ROLES),
           subject="Social value delivery reporting has started",
           body=f"{authority.name} will track the social value you committed to. Report what "
                f"you delivered, with evidence, after each {PERIOD_NAMES[frequency]} ends.",
           url=reverse("socialvalue:ledger_detail", args=[ledger.pk]))
    return ledger


@transaction.atomic
def delivery_report_submit(
    *, actor: Any, target: DeliveryTarget, actual: Decimal, narrative: str = "",
    evidence_file: File | None = None,
) -> DeliveryReport:
    """Report what was delivered in one period, with evidence; the contract manager reviews."""
    target = DeliveryTarget.objects.select_for_update().select_related("ledger").get(
        pk=target.pk)
    if target.period_start > timezone.localdate():
        raise ValidationError("You can report on this period once it has started.")
    open_report = target.reports.filter(status__in=[DeliveryReport.Status.SUBMITTED,
                                                    DeliveryReport.Status.ACCEPTED]).first()
    if open_report is not None:
        raise ValidationError(f"This period already has a report that is "
                              f"{open_report.get_status_display().lower()}.")
    if actual < 0:
        raise ValidationError({"actual": "Amount delivered must be 0 or more"})
    evidence = None
    if evidence_file is not None:
        evidence = document_store(uploaded_file=evidence_file, actor=actor, policy=EVIDENCE_POLICY)
    report = DeliveryReport.objects.create(target=target, actual=actual, narrative=narrative,
                                           evidence=evidence, submitted_by=actor)
    ledger = target.ledger
    audit_record(actor=actor, action="socialvalue.delivery_reported", obj=report,
                 organisation_id=ledger.supplier_id,
                 summary=f"Reported {actual} against a target of {target.target}",
                 changes={"target_id": target.pk, "actual": actual,
                          "evidence_sha256": evidence.sha256 if evidence else None})
    reviewers = people_with_roles(ledger.authority_id, (Role.CONTRACT_MANAGER,)) or \
        people_with_roles(ledger.authority_id, REVIEWER_ROLES)
    notify(recipients=reviewers, subject="A social value delivery report is ready to review",
           body=f"{ledger.supplier.name} reported delivery for the period ending "
                f"{target.period_end:%d %B %Y}.",
           url=reverse("socialvalue:report_review", args=[report.pk]))
    return report


@transaction.atomic
def delivery_report_review(
    *, actor: Any, report: DeliveryReport, accept: bool, reason: str = ""
) -> DeliveryReport:
    """Accept or reject a report (a reason is required to reject); the supplier is told."""
    report = DeliveryReport.objects.select_for_update().select_related(
        "target__ledger__supplier").get(pk=report.pk)
    if report.status != DeliveryReport.Status.SUBMITTED:
        raise ValidationError("This report has already been reviewed.")
    if not accept and not reason.strip():
        raise ValidationError({"reason": "Enter the reason for rejecting the report"})
    if Membership.objects.filter(user=actor, organisation_id=report.target.ledger.supplier_id
                                 ).exists():
        raise ValidationError("You cannot review a report from your own organisation.")
    report.status = DeliveryReport.Status.ACCEPTED if accept else DeliveryReport.Status.REJECTED
    report.review_reason, report.reviewed_by = reason.strip(), actor
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at",
                               "updated_at"])
    ledger = report.target.ledger
    audit_record(actor=actor, action=f"socialvalue.delivery_{report.status}", obj=report,
                 organisation_id=ledger.authority_id, summary=f"Report {report.status}",
                 changes={"reason": report.review_reason})
    outcome = "accepted" if accept else f"rejected: {report.review_reason}"
    recipients = {report.submitted_by, *people_with_roles(ledger.supplier_id,
                                                          (Role.PROVIDER_ADMIN,))}
    notify(recipients=recipients, subject=f"Your social value report was {report.status}",
           body=f"Your report for the period ending {report.target.period_end:%d %B %Y} was "
                f"{outcome}.", url=reverse("socialvalue:ledger_detail", args=[ledger.pk]))
    return report
