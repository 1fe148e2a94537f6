"""Grant monitoring through the social value delivery ledger that contracts use.

When a recipient accepts the agreement, the social value measures chosen at application become
a plan, commitments and a delivery ledger in ``socialvalue`` (its public services), with one
target per monitoring-report period. Each monitoring report's result for a measure is the
delivery report for that period; the grant manager's acceptance or return of the monitoring
report accepts or rejects it. So socialvalue's reports (committed against delivered, the
authority's statement, ratings) read grants and contracts from one ledger.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from grants.models import Award, MonitoringReport
from socialvalue import services as social_value
from socialvalue.models import DeliveryLedger, DeliveryReport, DeliveryTarget

FREQUENCIES = {1: "monthly", 3: "quarterly", 6: "six_monthly", 12: "annual"}


def _entry(award: Award, plan_measure_id: int, target: Decimal) -> dict:
    return {"plan_measure_id": plan_measure_id, "quantity": str(target),
            "delivery_plan": award.title, "owner_name": award.recipient.name,
            "milestones": "Reported with each monitoring report",
            "method_statement": award.description, "is_local": True,
            "is_core_deliverable": False, "deadweight": "0", "attribution": "100"}


def award_ledger_open(*, actor, award: Award) -> DeliveryLedger | None:
    """The award's measures as commitments in a delivery ledger, one target per report period.

    Called inside ``agreement_accept``'s transaction, after the reports are scheduled. An award
    without measures has no ledger. Proxy values are pinned as at acceptance.
    """
    chosen = list(award.measures.select_related("measure").order_by("pk"))
    if not chosen or award.social_value_ledger_id:
        return None
    authority = award.programme.authority
    plan = social_value.plan_create(actor=actor, authority=authority)
    plan.max_measures = max(plan.max_measures, len(chosen))
    plan.save(update_fields=["max_measures"])
    for item in chosen:
        social_value.plan_measure_add(actor=actor, plan=plan, measure=item.measure,
                                      relevance=f"Chosen at application for grant "
                                                f"{award.reference}: {award.title}")
    plan_measures = {pm.measure_id: pm.pk for pm in plan.measures.all()}
    commitments = social_value.commitments_record(
        plan=plan, supplier=award.recipient, contract_value=award.amount_awarded, actor=actor,
        entries=[_entry(award, plan_measures[item.measure_id], item.target) for item in chosen])
    periods = [(r.period_start, r.period_end) for r in award.reports.order_by("number")]
    every = award.round.reporting_every_months
    ledger = social_value.ledger_create(
        commitment_set=commitments, authority=authority, starts_on=award.planned_start,
        ends_on=award.planned_end, actor=actor, periods=periods,
        frequency=FREQUENCIES.get(every, "quarterly"))
    Award.objects.filter(pk=award.pk).update(social_value_ledger=ledger)
    award.social_value_ledger = ledger
    return ledger


def _targets(report: MonitoringReport) -> dict[int, DeliveryTarget]:
    """The ledger's targets for this report's period, by the socialvalue measure's id."""
    targets = DeliveryTarget.objects.filter(
        ledger_id=report.award.social_value_ledger_id, period_start=report.period_start,
        period_end=report.period_end).select_related("commitment__plan_measure")
    return {t.commitment.plan_measure.measure_id: t for t in targets}


def report_delivery_record(*, actor, report: MonitoringReport,
                           results: dict[int, Decimal]) -> list[DeliveryReport]:
    """Each measure's result in a monitoring report, as the ledger's delivery report."""
    if not report.award.social_value_ledger_id:
        return []
    measures = dict(report.award.measures.values_list("pk", "measure_id"))
    targets = _targets(report)
    recorded = []
    for award_measure_id, actual in results.items():
        target = targets.get(measures.get(award_measure_id))
        # The ledger takes delivery for periods that have started; an early report's results
        # stay on the monitoring report only.
        if target is not None and target.period_start <= timezone.localdate():
            recorded.append(social_value.delivery_report_submit(
                actor=actor, target=target, actual=actual, narrative=report.progress))
    return recorded


def report_delivery_review(*, actor, report: MonitoringReport, accept: bool,
                           comment: str = "") -> int:
    """Accept or reject (with the manager's comment) the ledger reports of this period."""
    if not report.award.social_value_ledger_id:
        return 0
    waiting = DeliveryReport.objects.filter(
        target__in=list(_targets(report).values()), status=DeliveryReport.Status.SUBMITTED)
    count = 0
    for delivery in waiting:
        social_value.delivery_report_review(actor=actor, report=delivery, accept=accept,
                                            reason=comment)
        count += 1
    return count
