"""Monitoring and change: reports on a schedule, variations, annual reviews, closure."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_record
from core.workflows import transition
from grants import govs015
from grants.models import AnnualReview, Award, MeasureResult, MonitoringReport, Variation
from grants.services.social_value import report_delivery_record, report_delivery_review
from grants.workflows import AWARD, REPORT

REPORT_GRACE_DAYS = 30
VARIABLE_FIELDS = ("amount_awarded", "planned_end", "title", "description")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def _require_manager(actor, award: Award) -> None:
    if not actor.has_perm("grants.manage_award", award):
        raise PermissionDenied("Only the authority's grant managers can do that.")


def schedule_reports(*, award: Award) -> list[MonitoringReport]:
    """Reports every N months over the grant's life, the last one final; annual reviews."""
    every = award.round.reporting_every_months
    start, end, reports, number = award.planned_start, award.planned_end, [], 1
    while start <= end:
        period_end = min(add_months(start, every) - datetime.timedelta(days=1), end)
        reports.append(MonitoringReport(
            award=award, number=number, period_start=start, period_end=period_end,
            due_on=period_end + datetime.timedelta(days=REPORT_GRACE_DAYS),
            is_final=period_end == end))
        start, number = period_end + datetime.timedelta(days=1), number + 1
    created = MonitoringReport.objects.bulk_create(reports)
    years = max(1, (end - award.planned_start).days // 365 + 1)
    AnnualReview.objects.bulk_create([
        AnnualReview(award=award, year=year,
                     due_on=add_months(award.planned_start, 12 * year))
        for year in range(1, years + 1)])
    return created


@transaction.atomic
def report_submit(*, actor, report: MonitoringReport, progress: str, spend_to_date: Decimal,
                  results: dict[int, Decimal]) -> MonitoringReport:
    """The recipient reports progress, spend and each chosen measure's result."""
    award = report.award
    if not actor.has_perm("grants.report_on_award", award):
        raise PermissionDenied("Only people in the recipient organisation can report.")
    if not progress.strip():
        raise ValidationError({"progress": "Describe your progress."})
    if spend_to_date is None or spend_to_date < 0:
        raise ValidationError({"spend_to_date": "Give what you have spent so far."})
    measures = {m.pk: m for m in award.measures.all()}
    if set(results) - set(measures):
        raise ValidationError("Report only on the measures of this grant.")
    report.progress, report.spend_to_date = progress.strip(), spend_to_date
    report.submitted_at, report.submitted_by = timezone.now(), actor
    report.save()
    for measure_id, actual in results.items():
        MeasureResult.objects.update_or_create(report=report, award_measure_id=measure_id,
                                               defaults={"actual": actual})
    transition(obj=report, workflow=REPORT, name="submit", actor=actor,
               organisation_id=award.recipient_id)
    report_delivery_record(actor=actor, report=report, results=results)
    return report


@transaction.atomic
def report_review(*, actor, report: MonitoringReport, accept: bool,
                  comment: str = "") -> MonitoringReport:
    _require_manager(actor, report.award)
    if not accept and not comment.strip():
        raise ValidationError({"comment": "Say what needs to change."})
    report.reviewed_by, report.reviewed_at = actor, timezone.now()
    report.review_comment = comment.strip()
    report.save(update_fields=["reviewed_by", "reviewed_at", "review_comment", "updated_at"])
    transition(obj=report, workflow=REPORT, name="accept" if accept else "return",
               actor=actor, reason=comment, organisation_id=report.award.programme.authority_id)
    report_delivery_review(actor=actor, report=report, accept=accept,
                           comment=comment.strip() or "Returned with the monitoring report")
    return report


@transaction.atomic
def variation_propose(*, actor, award: Award, reason: str,
                      changes: dict[str, Any]) -> Variation:
    """Propose an amendment: {field: new value} for the amount, end date, title or description."""
    _require_manager(actor, award)
    if award.status not in ("offered", "live"):
        raise ValidationError("Only an offered or live grant can be varied.")
    unknown = set(changes) - set(VARIABLE_FIELDS)
    if unknown or not changes:
        raise ValidationError("Change the amount, end date, title or description.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the variation."})
    before = {k: getattr(award, k) for k in changes}
    version = (award.variations.aggregate(v=Max("version"))["v"] or 0) + 1
    variation = Variation.objects.create(
        award=award, version=version, reason=reason.strip(), proposed_by=actor,
        before=_json(before), after=_json(changes))
    audit_record(actor=actor, action="grant_variation.proposed", obj=award,
                 organisation_id=award.programme.authority_id,
                 summary=f"Variation {version} proposed", changes={"after": changes})
    return variation


def _json(values: dict) -> dict:
    return {k: str(v) for k, v in values.items()}


@transaction.atomic
def variation_decide(*, actor, variation: Variation, approve: bool) -> Variation:
    """Approve (applying the changes) or reject a variation: never by whoever proposed it."""
    award = Award.objects.select_for_update(of=("self",)).get(pk=variation.award_id)
    _require_manager(actor, award)
    if variation.status != "proposed":
        raise ValidationError("This variation has been decided.")
    if actor.pk == variation.proposed_by_id:
        raise ValidationError("Someone other than the proposer must decide a variation.")
    if approve:
        for field, value in variation.after.items():
            if field == "amount_awarded":
                value = Decimal(value)
                if value < award.amount_scheduled:
                    raise ValidationError(f"£{award.amount_scheduled:,.2f} is already "
                                          "scheduled: cancel instalments first.")
            elif field == "planned_end":
                value = datetime.date.fromisoformat(value)
            setattr(award, field, value)
        award.save()
    variation.status = "approved" if approve else "rejected"
    variation.decided_by, variation.decided_at = actor, timezone.now()
    variation.save()
    audit_record(actor=actor, action=f"grant_variation.{variation.status}", obj=award,
                 organisation_id=award.programme.authority_id,
                 summary=f"Variation {variation.version} {variation.status}",
                 changes={"before": variation.before, "after": variation.after})
    return variation


@transaction.atomic
def annual_review_complete(*, actor, review: AnnualReview, spend_planned: Decimal,
                           spend_actual: Decimal, delivery_summary: str,
                           decision: str) -> AnnualReview:
    """Record the year's review and reconciliation; it gates the next year's instalments."""
    _require_manager(actor, review.award)
    if review.completed_at:
        raise ValidationError("This annual review is complete.")
    if not delivery_summary.strip():
        raise ValidationError({"delivery_summary": "Summarise delivery against the plan."})
    if decision not in AnnualReview.Decision.values:
        raise ValidationError({"decision": "Choose whether funding continues."})
    review.spend_planned, review.spend_actual = spend_planned, spend_actual
    review.delivery_summary, review.decision = delivery_summary.strip(), decision
    review.reviewed_by, review.completed_at = actor, timezone.now()
    review.save()
    audit_record(actor=actor, action="grant_award.annual_review", obj=review.award,
                 organisation_id=review.award.programme.authority_id,
                 summary=f"Year {review.year} review: {review.get_decision_display()}")
    return review


@transaction.atomic
def award_close(*, actor, award: Award, notes: str,
                justifications: dict[str, str] | None = None) -> Award:
    """Close a grant: final report accepted, nothing outstanding, underspend dealt with."""
    award = Award.objects.select_for_update(of=("self",)).select_related("programme").get(
        pk=award.pk)
    _require_manager(actor, award)
    govs015.enforce(transition=govs015.CLOSE_GRANT, subject=award, programme=award.programme,
                    actor=actor, justifications=justifications)
    Award.objects.filter(pk=award.pk).update(closed_on=timezone.localdate(),
                                             closure_notes=notes.strip())
    transition(obj=award, workflow=AWARD, name="close", actor=actor, reason=notes,
               organisation_id=award.programme.authority_id)
    award.refresh_from_db()
    return award
