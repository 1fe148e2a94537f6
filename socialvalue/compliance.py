"""Compliance checks about social value delivery (see compliance.registry).

Each check is a couple of set-based queries; grouping by commitment happens in memory over the
rows those queries return, never with a query per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from compliance.registry import FindingSpec, Severity, compliance_check
from compliance.subjects import Description, describe
from core.calendar import latest_working_day, local_date, working_days_before
from socialvalue import performance
from socialvalue.models import Commitment, DeliveryReport, DeliveryTarget

REPORTING_WINDOW_WORKING_DAYS = 15
OPEN = [DeliveryReport.Status.SUBMITTED, DeliveryReport.Status.ACCEPTED]


def report_cutoff(now: datetime):
    """Periods ending before this date have had more than 15 working days to be reported."""
    return working_days_before(latest_working_day(now), REPORTING_WINDOW_WORKING_DAYS)


@compliance_check(
    id="socialvalue.delivery_report_overdue",
    title="Social value delivery report overdue",
    severity=Severity.MEDIUM,
    interval=timedelta(hours=24),
)
def delivery_report_overdue(now: datetime) -> Iterator[FindingSpec]:
    """Periods that ended more than 15 working days ago with no report (or only rejected ones)."""
    reported = DeliveryReport.objects.filter(status__in=OPEN).values("target_id")
    rows = (DeliveryTarget.objects.filter(period_end__lt=report_cutoff(now))
            .exclude(pk__in=reported)
            .values_list("pk", "ledger__supplier_id", "ledger__supplier__name", "period_end",
                         "commitment__plan_measure__measure__name"))
    content_type = ContentType.objects.get_for_model(DeliveryTarget)
    for pk, supplier_id, supplier, period_end, measure in rows.iterator(chunk_size=2000):
        yield FindingSpec(
            subject=(content_type, pk), organisation_id=supplier_id,
            message=f"{supplier} has not reported “{measure}” for the period ending "
                    f"{_long(period_end)}: reports are due within "
                    f"{REPORTING_WINDOW_WORKING_DAYS} working days.")


@compliance_check(
    id="socialvalue.under_delivery",
    title="Social value under-delivered for two consecutive periods",
    severity=Severity.HIGH,
    interval=timedelta(hours=24),
)
def under_delivery(now: datetime) -> Iterator[FindingSpec]:
    """Commitments whose two latest assessed periods both fell short by more than tolerance.

    A period is assessed once a report for it was accepted, or once its reporting window
    closed (then what was accepted, perhaps nothing, is what was delivered).
    """
    cutoff = report_cutoff(now)
    rows = (DeliveryTarget.objects.filter(period_end__lte=local_date(now))
            .order_by("commitment_id", "period_start")
            .values("commitment_id", "period_end", "target", "ledger__tolerance",
                    "ledger__authority_id")
            .annotate(delivered=performance.accepted_sum()))
    shortfalls: dict[int, list[bool]] = defaultdict(list)
    owners: dict[int, int] = {}
    for row in rows:
        if row["delivered"] is None and row["period_end"] >= cutoff:
            continue
        floor = row["target"] * (1 - row["ledger__tolerance"] / Decimal("100"))
        shortfalls[row["commitment_id"]].append((row["delivered"] or 0) < floor)
        owners[row["commitment_id"]] = row["ledger__authority_id"]
    failing = [pk for pk, flags in shortfalls.items() if flags[-2:] == [True, True]]
    names = dict(Commitment.objects.filter(pk__in=failing).values_list(
        "pk", "plan_measure__measure__name"))
    supplier = dict(Commitment.objects.filter(pk__in=failing).values_list(
        "pk", "commitment_set__supplier__name"))
    content_type = ContentType.objects.get_for_model(Commitment)
    for pk in failing:
        yield FindingSpec(
            subject=(content_type, pk), organisation_id=owners[pk],
            message=f"{supplier[pk]} delivered less than the target, beyond tolerance, for "
                    f"“{names[pk]}” in the last two periods.")


@compliance_check(
    id="socialvalue.delivery_without_evidence",
    title="Social value claimed as delivered without evidence",
    severity=Severity.MEDIUM,
    interval=timedelta(hours=24),
)
def delivery_without_evidence(now: datetime) -> Iterator[FindingSpec]:
    """Reports awaiting review or accepted that claim delivery but carry no evidence."""
    rows = DeliveryReport.objects.filter(status__in=OPEN, actual__gt=0,
                                         evidence__isnull=True).values_list(
        "pk", "status", "target__ledger__supplier_id", "target__ledger__authority_id",
        "target__ledger__supplier__name", "target__period_end")
    content_type = ContentType.objects.get_for_model(DeliveryReport)
    for pk, status, supplier_id, authority_id, supplier, period_end in rows.iterator(
            chunk_size=2000):
        accepted = status == DeliveryReport.Status.ACCEPTED
        yield FindingSpec(
            subject=(content_type, pk), organisation_id=authority_id if accepted
            else supplier_id,
            message=f"{supplier} claimed delivery for the period ending {_long(period_end)} "
                    f"without evidence{' and the report was accepted' if accepted else ''}.")


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


# ------------------------------------------------------------------ how findings name subjects


def _ledger_link(ledger) -> tuple[str, str, object]:
    if ledger is None:
        return "", None, None
    return reverse("socialvalue:ledger_detail", args=[ledger.pk]), "socialvalue.view_ledger", ledger


def _describe_commitment(commitment: Commitment) -> Description:
    supplier = commitment.commitment_set.supplier.name
    ledger = getattr(commitment.commitment_set, "ledger", None)
    return Description(f"Social value commitment “{commitment.plan_measure.measure.name}” "
                       f"by {supplier}", *_ledger_link(ledger))


def _describe_target(target: DeliveryTarget) -> Description:
    return Description(
        f"Social value target “{target.commitment.plan_measure.measure.name}” of "
        f"{target.ledger.supplier.name} for the period ending {_long(target.period_end)}",
        *_ledger_link(target.ledger))


def _describe_report(report: DeliveryReport) -> Description:
    target = report.target
    return Description(
        f"Social value delivery report by {target.ledger.supplier.name} on "
        f"“{target.commitment.plan_measure.measure.name}” for the period ending "
        f"{_long(target.period_end)}", reverse("socialvalue:report_review", args=[report.pk]),
        "socialvalue.view_ledger", target.ledger)


describe(Commitment, _describe_commitment)
describe(DeliveryTarget, _describe_target)
describe(DeliveryReport, _describe_report)
