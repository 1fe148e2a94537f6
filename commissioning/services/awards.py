"""Award decisions: propose, approve (a second person), assessment summaries, award notice.

The winning bid is the top of the ranking unless the proposer overrides it with a reason. A
different commissioner or administrator approves; approval sends every assessed bidder an
assessment summary (Procurement Act 2023 s.50(3)), after which the contract award notice (UK6)
can be published, starting the standstill: 8 working days beginning with the notice day (s.51).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.models import AssessmentSummary, Award, Bid, Lot, Tender
from commissioning.selectors.awards import active_award, summary_content
from commissioning.selectors.evaluation import bid_price, bidder_contacts, ranking, runners_of
from commissioning.services.notices import NoticeDraft
from commissioning.services.publication import release_publish
from commissioning.services.reservation import reservation_problem
from commissioning.workflows import TENDER
from core.audit import audit_record
from core.calendar import add_working_days, local_date
from core.notifications import notify
from core.templatetags.govuk import govuk_date
from core.workflows import transition

STANDSTILL_WORKING_DAYS = 8


def standstill_end(notice_day: datetime.date) -> datetime.date:
    """The last day of a standstill of 8 working days beginning with the notice day.

    "Beginning with" counts the notice day itself when it is a working day, so the count starts
    from the day before.
    """
    return add_working_days(notice_day - datetime.timedelta(days=1), STANDSTILL_WORKING_DAYS)


@transaction.atomic
def award_propose(*, tender: Tender, actor, lot: Lot | None = None, bid: Bid | None = None,
                  override_reason: str = "") -> Award:
    """Propose the award of the tender (or a lot) to the top-ranked bid, or another with reason."""
    if not rules.has_perm("commissioning.propose_award", actor, tender):
        raise PermissionDenied("Only the tender's commissioners without a conflict can propose "
                               "an award.")
    if tender.status not in ("evaluation", "awarding"):
        raise ValidationError("An award can be proposed once the bids are evaluated.")
    if tender.lots.exists() and lot is None:
        raise ValidationError({"lot": "Choose the lot you are awarding."})
    if active_award(tender=tender, lot=lot) is not None:
        raise ValidationError("An award is already proposed or made for this "
                              + ("lot." if lot else "tender."))
    chosen, reason = _choose(tender, lot, bid, override_reason.strip())
    award = Award.objects.create(
        tender=tender, lot=lot, bid=chosen, value=bid_price(chosen) or Decimal("0"),
        proposed_by=actor, standstill_required=not tender.is_light_touch)
    if tender.status == "evaluation":
        transition(obj=tender, workflow=TENDER, name="propose_award", actor=actor,
                   reason=reason, organisation_id=tender.authority_id)
    audit_record(actor=actor, action="award.propose", obj=award,
                 summary=f"Award proposed to {chosen.organisation.name}"
                 + (" (not the top-ranked bid)" if reason else ""),
                 changes={"bid": chosen.pk, "override_reason": reason, "value": award.value},
                 organisation_id=tender.authority_id)
    notify(recipients=[p for p in runners_of(tender.authority) if p.pk != actor.pk],
           subject=f"Award to approve: {tender.title}",
           body=f"{actor} proposed to award {tender.reference} {tender.title}"
           + (f" ({lot})" if lot else "") + f" to {chosen.organisation.name}. A different "
           "commissioner or administrator must approve it.",
           url=reverse("commissioning:award", args=[award.pk]))
    return award


def _choose(tender: Tender, lot: Lot | None, bid: Bid | None, reason: str) -> tuple[Bid, str]:
    result = ranking(tender=tender, lot=lot)
    if not result.rows:
        raise ValidationError("There are no assessed bids to award.")
    if not result.complete:
        raise ValidationError(["Finish the evaluation first.", *result.missing])
    top = result.top
    if bid is None:
        if top is None:
            raise ValidationError({"bid": "Bids are tied after the published tie-break rule: "
                                          "choose the winning bid and explain the decision."})
        return top.bid, ""
    row = next((r for r in result.rows if r.bid.pk == bid.pk), None)
    if row is None or row.result.excluded_reason:
        raise ValidationError({"bid": "Choose a bid that passed every pass or fail criterion."})
    if (top is None or top.bid.pk != bid.pk) and not reason:
        raise ValidationError({"override_reason": "Explain why the award does not go to the "
                                                  "top-ranked bid."})
    return bid, reason if top is None or top.bid.pk != bid.pk else ""


@transaction.atomic
def award_approve(*, award: Award, actor) -> Award:
    """A second person approves: assessment summaries go to every assessed bidder."""
    award = (Award.objects.select_for_update(of=("self",)).select_related("tender", "bid")
             .get(pk=award.pk))
    if not rules.has_perm("commissioning.approve_award", actor, award):
        if actor.pk == award.proposed_by_id:
            raise ValidationError("A different person must approve the award: you proposed it.")
        raise PermissionDenied("You cannot approve this award.")
    problem = reservation_problem(bid=award.bid, award_day=local_date(timezone.now()))
    if problem:
        raise ValidationError(problem)
    now = timezone.now()
    result = ranking(tender=award.tender, lot=award.lot)
    for row in result.rows:
        AssessmentSummary.objects.create(award=award, bid=row.bid, sent_at=now,
                                         content=summary_content(award, result, row))
    award.status, award.approved_by, award.approved_at = Award.Status.APPROVED, actor, now
    award.assessment_summaries_sent_at = now
    award.save(update_fields=["status", "approved_by", "approved_at",
                              "assessment_summaries_sent_at", "updated_at"])
    audit_record(actor=actor, action="award.approve", obj=award,
                 summary=f"Award approved; {len(result.rows)} assessment summaries sent",
                 changes={"summaries": [r.bid.pk for r in result.rows]},
                 organisation_id=award.tender.authority_id)
    for row in result.rows:
        notify(recipients=bidder_contacts(row.bid),
               subject=f"Your assessment summary: {award.tender.title}",
               body=f"{award.tender.authority.name} has decided the award of "
               f"{award.tender.reference} {award.tender.title}. Your assessment summary shows "
               "your scores and the reasons, and those of the most advantageous tender.",
               url=reverse("commissioning:feedback", args=[row.bid.pk]))
    return award


@transaction.atomic
def award_reject(*, award: Award, actor, reason: str) -> Award:
    """The second person does not approve: the proposal is cancelled and can be made again."""
    if not rules.has_perm("commissioning.approve_award", actor, award):
        raise PermissionDenied("You cannot decide on this award.")
    if not reason.strip():
        raise ValidationError({"reason": "Explain why you are not approving the award."})
    award.status = Award.Status.CANCELLED
    award.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="award.reject", obj=award,
                 summary="Proposed award not approved", changes={"reason": reason.strip()},
                 organisation_id=award.tender.authority_id)
    notify(recipients=[award.proposed_by], subject=f"Award not approved: {award.tender.title}",
           body=f"{actor} did not approve the award you proposed: {reason.strip()}",
           url=reverse("commissioning:award_start", args=[award.tender_id]))
    return award


@transaction.atomic
def award_notice_publish(*, award: Award, actor, voluntary_standstill: bool = False) -> Award:
    """Publish the contract award notice (UK6): the standstill starts on the notice day."""
    award = (Award.objects.select_for_update(of=("self",)).select_related("tender", "bid")
             .get(pk=award.pk))
    if not rules.has_perm("commissioning.publish_award_notice", actor, award):
        raise PermissionDenied("You cannot publish this award notice.")
    if award.assessment_summaries_sent_at is None:
        raise ValidationError("Send the assessment summaries before publishing the notice.")
    tender, now = award.tender, timezone.now()
    award.standstill_required = not tender.is_light_touch or voluntary_standstill
    award.standstill_ends_on = (standstill_end(local_date(now))
                                if award.standstill_required else None)
    award.status, award.notice_published_at = Award.Status.STANDSTILL, now
    award.save(update_fields=["status", "standstill_required", "standstill_ends_on",
                              "notice_published_at", "updated_at"])
    if tender.status == "awarding":
        transition(obj=tender, workflow=TENDER, name="publish_award", actor=actor,
                   organisation_id=tender.authority_id)
    audit_record(actor=actor, action="award.notice_publish", obj=award,
                 summary="Contract award notice published"
                 + (f"; standstill ends {govuk_date(award.standstill_ends_on)}"
                    if award.standstill_required else "; no standstill (light touch)"),
                 changes={"standstill_ends_on": award.standstill_ends_on,
                          "voluntary": voluntary_standstill and tender.is_light_touch},
                 organisation_id=tender.authority_id)
    release_publish(tender=tender, tags=["award"], notice=NoticeDraft(
        notice_type="UK6", actor=actor, award=award,
        title=f"{tender.title}: award to {award.bid.organisation.name}",
        fields={"Supplier": award.bid.organisation.name, "Value": f"£{award.value:,.2f}",
                "Standstill ends": award.standstill_ends_on or "No standstill (light touch)"}))
    _tell_bidders(award)
    return award


def _tell_bidders(award: Award) -> None:
    tender = award.tender
    ends = (f" The standstill period ends at midnight at the end of "
            f"{govuk_date(award.standstill_ends_on)}." if award.standstill_required else "")
    for summary in award.summaries.select_related("bid__organisation", "bid__created_by"):
        won = summary.bid_id == award.bid_id
        body = (f"{tender.authority.name} intends to award {tender.reference} {tender.title} to "
                + ("you." if won else f"{award.bid.organisation.name}. Your bid was not "
                   "successful; your assessment summary explains why.") + ends)
        notify(recipients=bidder_contacts(summary.bid),
               subject=f"Contract award notice published: {tender.title}", body=body,
               url=reverse("commissioning:feedback", args=[summary.bid_id]))
