"""Moving demo tenders through opening, evaluation, award and contract, via the services.

Time cannot pass in a seed, so things that need it (a deadline gone by, a standstill that has
ended) are created while the moment is still in the future, then their timestamps are moved
back with a queryset ``.update()``. That is for the demo only: the audit chain and the OCDS
releases keep the real time the seed ran.
"""

from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from commissioning.demo import content as text
from commissioning.demo.build import Cast, pdf_upload
from commissioning.listing import tender_list_changed
from commissioning.models import (
    AssessmentSummary,
    Award,
    AwardCriterion,
    Bid,
    BidReceipt,
    Contract,
    Opening,
    Tender,
)
from commissioning.services.awards import (
    award_approve,
    award_notice_publish,
    award_propose,
    standstill_end,
)
from commissioning.services.contracts import (
    contract_details_publish,
    contract_enter,
    contract_kpi_add,
)
from commissioning.services.evaluation import (
    ScoreEntry,
    conflict_declare,
    evaluator_add,
    moderation_save,
    scores_save,
)
from commissioning.services.opening import evaluation_start, opening_confirm, opening_request
from socialvalue.models import DeliveryTarget
from socialvalue.services import delivery_report_review, delivery_report_submit

Kind = AwardCriterion.Kind


def close_bidding(tender: Tender, *, days_ago: int) -> Tender:
    """Demo only: move the tender's timetable (and its bids' receipts) into the past, as if
    the deadline passed `days_ago` days ago."""
    deadline = timezone.localtime(timezone.now() - timedelta(days=days_ago)).replace(
        hour=12, minute=0, second=0, microsecond=0)
    Tender.objects.filter(pk=tender.pk).update(
        published_at=deadline - timedelta(days=35), deadline=deadline,
        questions_deadline=deadline - timedelta(days=10))
    tender_list_changed()  # update() sends no signal
    submitted = tender.bids.filter(status=Bid.Status.SUBMITTED).order_by("pk")
    for hours, bid in enumerate(submitted, start=1):
        moment = deadline - timedelta(days=1, hours=3 * hours)
        Bid.objects.filter(pk=bid.pk).update(submitted_at=moment)
        BidReceipt.objects.filter(bid=bid).update(received_at=moment)
    tender.refresh_from_db()
    return tender


def open_bids(cast: Cast, tender: Tender) -> Tender:
    """Two-person opening: the commissioner asks, the authority administrator confirms."""
    opening_request(tender=tender, actor=cast.commissioner)
    opening_confirm(tender=tender, actor=cast.admin)
    # Demo only: the opening happened the morning after the deadline.
    Opening.objects.filter(tender=tender).update(
        requested_at=tender.deadline + timedelta(hours=21),
        confirmed_at=tender.deadline + timedelta(hours=22))
    tender.refresh_from_db()
    return tender


def _declare(person, tender: Tender, conflicted=None, details: str = "") -> None:
    conflict_declare(tender=tender, actor=person, has_conflict=conflicted is not None,
                     organisations=[conflicted] if conflicted else [], details=details)


def _entries(tender: Tender, quality: int, social: int, note: str) -> dict[int, ScoreEntry]:
    entries = {}
    for criterion in tender.criteria.exclude(kind=Kind.PRICE):
        if criterion.kind == Kind.PASS_FAIL:
            entries[criterion.pk] = ScoreEntry(passed=True, rationale="Policy provided, "
                                               "reviewed in the last 12 months, names a lead.")
        else:
            score = quality if criterion.kind == Kind.QUALITY else social
            entries[criterion.pk] = ScoreEntry(score=score, rationale=f"{note} ({score}).")
    return entries


def evaluate(cast: Cast, tender: Tender, spec: dict, *, moderate: int | None = None,
             admin_conflict: tuple | None = None) -> Tender:
    """Panel, declarations, individual scores and moderation (of the first `moderate` bids,
    or all of them)."""
    evaluator_add(tender=tender, actor=cast.commissioner, user=cast.evaluator)
    evaluator_add(tender=tender, actor=cast.commissioner, user=cast.commissioner,
                  is_moderator=True)
    evaluation_start(tender=tender, actor=cast.commissioner)
    _declare(cast.evaluator, tender)
    _declare(cast.commissioner, tender)
    if admin_conflict:
        name, details = admin_conflict
        _declare(cast.admin, tender, cast.organisations[name], details)
    else:
        _declare(cast.admin, tender)
    bids = list(tender.bids.filter(status=Bid.Status.SUBMITTED).select_related("organisation")
                .order_by("pk"))
    overrides = spec.get("scores", {})
    for number, bid in enumerate(bids):
        quality, social = overrides.get(bid.organisation.name,
                                        text.BIDDERS[bid.organisation.name]["scores"])
        # The two panel members differ on quality a little; moderation settles it.
        second = min(100, quality + 20) if number % 2 else max(0, quality - 20)
        scores_save(bid=bid, actor=cast.evaluator, submit=True,
                    entries=_entries(tender, quality, social, "Clear evidence against the scale"))
        scores_save(bid=bid, actor=cast.commissioner, submit=True,
                    entries=_entries(tender, second, social, "Scored against the descriptors"))
        if moderate is None or number < moderate:
            moderation_save(bid=bid, actor=cast.commissioner, entries=_entries(
                tender, quality, social, "Panel consensus after discussion"))
    tender.refresh_from_db()
    return tender


def propose(cast: Cast, tender: Tender) -> Award:
    return award_propose(tender=tender, actor=cast.commissioner)


def approve_and_notify(cast: Cast, award: Award) -> Award:
    """A second person approves (summaries sent); the award notice starts a voluntary
    standstill (these light-touch contracts do not need one, Northshire always holds one)."""
    award = award_approve(award=award, actor=cast.admin)
    return award_notice_publish(award=award, actor=cast.commissioner, voluntary_standstill=True)


def contract(cast: Cast, award: Award, starts_on: datetime.date) -> Contract:
    """Demo only: the award was decided and its standstill ended before `starts_on`; then the
    contract is entered, its KPIs set and its details notice published."""
    notice_day = starts_on - timedelta(days=40)
    noticed = timezone.make_aware(datetime.datetime.combine(notice_day, datetime.time(10)))
    ends = standstill_end(notice_day)
    Award.objects.filter(pk=award.pk).update(
        approved_at=noticed - timedelta(days=1), notice_published_at=noticed,
        assessment_summaries_sent_at=noticed - timedelta(days=1), standstill_ends_on=ends)
    AssessmentSummary.objects.filter(award=award).update(sent_at=noticed - timedelta(days=1))
    award.refresh_from_db()
    years = award.tender.max_term_months // 12
    entered = contract_enter(
        award=award, actor=cast.commissioner, value=award.value, starts_on=starts_on,
        ends_on=starts_on.replace(year=starts_on.year + years) - timedelta(days=1),
        signed_on=ends + timedelta(days=4))
    for name, target, material in text.KPIS:
        contract_kpi_add(contract=entered, actor=cast.contracts, name=name, target=target,
                         is_most_material=material)
    entered = contract_details_publish(contract=entered, actor=cast.contracts)
    # Demo only: the contract details notice went out a week after signing.
    Contract.objects.filter(pk=entered.pk).update(
        details_published_at=entered.signed_at + timedelta(days=7))
    entered.refresh_from_db()
    return entered


def delivery_reports(cast: Cast, contract_row: Contract, supplier_email: str) -> None:
    """The supplier reports on the first two quarters: one accepted, one awaiting review."""
    ledger = contract_row.social_value_ledger
    supplier = cast.person(supplier_email)
    code = text.MEASURES["volunteering"][0]
    targets = list(DeliveryTarget.objects.filter(
        ledger=ledger, commitment__plan_measure__measure__code=code).order_by("period_start")[:2])
    first, second = targets
    report = delivery_report_submit(
        actor=supplier, target=first, actual=first.target + Decimal("12"),
        narrative="Staff gave time to the Hillside food bank, the Northby Men's Shed and two "
                  "village hall committees.",
        evidence_file=pdf_upload("volunteering-log-q1.pdf", "Volunteering hours log, quarter 1"))
    delivery_report_review(actor=cast.contracts, report=report, accept=True)
    delivery_report_submit(
        actor=supplier, target=second, actual=(second.target * Decimal("0.9")).quantize(
            Decimal("0.01")),
        narrative="Slightly below target: two volunteering days moved to next quarter because "
                  "of winter pressures.",
        evidence_file=pdf_upload("volunteering-log-q2.pdf", "Volunteering hours log, quarter 2"))
