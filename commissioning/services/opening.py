"""Opening the bids: two different authorised people, after the deadline, by the server clock.

One commissioner or administrator of the authority requests opening; a different one confirms.
Confirmation opens the tender, records each bid's social value commitments from its sealed
content, disregards bids that fail a mutual reservation, and tells the bidders.
"""

from __future__ import annotations

from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Bid, Opening, Tender
from commissioning.selectors.evaluation import (
    bid_price,
    bidder_contacts,
    runners_of,
    unsealed_payload,
)
from commissioning.services.publication import release_publish
from commissioning.services.reservation import bids_apply_reservation
from commissioning.workflows import TENDER
from core.audit import audit_record
from core.locks import lock_exclusive
from core.notifications import notify
from core.templatetags.govuk import govuk_date
from core.workflows import transition


def _check(tender: Tender, actor) -> None:
    if not rules.has_perm("commissioning.open_bids", actor, tender):
        raise PermissionDenied("Only the authority's commissioners and administrators can open "
                               "bids.")
    if tender.status != "published":
        raise ValidationError("The bids for this tender have already been opened, or it is not "
                              "open for bids.")
    if tender.deadline is None or timezone.now() < tender.deadline:
        when = f" ({govuk_date(tender.deadline, True)})" if tender.deadline else ""
        raise ValidationError(f"Bids cannot be opened before the deadline{when}.")


@transaction.atomic
def opening_request(*, tender: Tender, actor) -> Opening:
    """The first of two people asks to open the bids; a colleague must confirm."""
    tender = lock_exclusive(Tender.objects.all(), tender.pk)
    _check(tender, actor)
    opening = Opening.objects.filter(tender=tender).first()
    if opening is not None:
        raise ValidationError(f"{opening.requested_by} has already asked to open the bids: a "
                              "colleague needs to confirm.")
    opening = Opening.objects.create(tender=tender, requested_by=actor,
                                     requested_at=timezone.now())
    audit_record(actor=actor, action="opening.request", obj=tender,
                 summary=f"Opening of bids requested for {tender.reference}",
                 organisation_id=tender.authority_id)
    colleagues = [person for person in runners_of(tender.authority) if person.pk != actor.pk]
    notify(recipients=colleagues, subject=f"Confirm the opening of bids: {tender.title}",
           body=f"{actor} asked to open the bids for {tender.reference} {tender.title}. A second "
           "authorised person must confirm before anyone can see them.",
           url=reverse("commissioning:opening", args=[tender.pk]))
    return opening


@transaction.atomic
def opening_confirm(*, tender: Tender, actor) -> Opening:
    """A second, different person confirms: the bids are opened and the bidders told."""
    tender = lock_exclusive(Tender.objects.all(), tender.pk)
    _check(tender, actor)
    opening = Opening.objects.select_for_update().filter(tender=tender).first()
    if opening is None:
        raise ValidationError("Nobody has asked to open the bids yet.")
    if opening.requested_by_id == actor.pk:
        raise ValidationError("A different person must confirm the opening: you asked for it.")
    opening.confirmed_by, opening.confirmed_at = actor, timezone.now()
    opening.save(update_fields=["confirmed_by", "confirmed_at"])
    transition(obj=tender, workflow=TENDER, name="open", actor=actor,
               organisation_id=tender.authority_id)
    disregarded = bids_apply_reservation(tender=tender, actor=actor)
    submitted = list(tender.bids.filter(status=Bid.Status.SUBMITTED)
                     .select_related("organisation", "created_by"))
    for bid in submitted:
        _record_commitments(bid, actor)
    audit_record(actor=actor, action="opening.confirm", obj=tender,
                 summary=f"Bids opened for {tender.reference}: {len(submitted)} submitted, "
                 f"{len(disregarded)} disregarded",
                 changes={"requested_by": opening.requested_by_id, "confirmed_by": actor.pk},
                 organisation_id=tender.authority_id)
    release_publish(tender=tender, tags=["tenderUpdate"])
    _tell_bidders(tender, submitted)
    return opening


def _record_commitments(bid: Bid, actor) -> None:
    plan = bid.tender.social_value_plan
    if plan is None or bid.disregarded_reason or bid.social_value_commitments_id:
        return
    payload = unsealed_payload(bid)
    entries = payload.get("social_value") or []
    if not entries:
        return
    from socialvalue.services import commitments_record

    try:
        commitment_set = commitments_record(
            plan=plan, supplier=bid.organisation, entries=entries, actor=actor,
            contract_value=bid_price(bid) or Decimal("0"))
    except ValidationError as error:
        audit_record(actor=actor, action="bid.commitments_not_recorded", obj=bid,
                     summary="Social value commitments could not be recorded",
                     changes={"problems": error.messages}, organisation_id=bid.tender.authority_id)
        return
    bid.social_value_commitments = commitment_set
    bid.save(update_fields=["social_value_commitments", "updated_at"])
    audit_record(actor=actor, action="bid.commitments_recorded", obj=bid,
                 summary=f"Social value commitments recorded for {bid.organisation.name}",
                 organisation_id=bid.tender.authority_id)


def _tell_bidders(tender: Tender, bids: list[Bid]) -> None:
    for bid in bids:
        if bid.disregarded_reason:
            body = (f"The bids for {tender.reference} {tender.title} were opened. Your bid has "
                    f"been disregarded: {bid.disregarded_reason}")
        else:
            body = (f"The bids for {tender.reference} {tender.title} were opened on "
                    f"{govuk_date(timezone.now())}. The authority is now "
                    "evaluating them; we will tell you the outcome.")
        notify(recipients=bidder_contacts(bid), subject=f"Bids opened: {tender.title}",
               body=body)


@transaction.atomic
def evaluation_start(*, tender: Tender, actor) -> Tender:
    """Move an opened tender into evaluation once it has a panel."""
    if not rules.has_perm("commissioning.manage_panel", actor, tender):
        raise PermissionDenied("Only the tender's commissioners can start the evaluation.")
    if not tender.evaluators.exists():
        raise ValidationError("Add at least one evaluator to the panel before starting the "
                              "evaluation.")
    transition(obj=tender, workflow=TENDER, name="start_evaluation", actor=actor,
               organisation_id=tender.authority_id)
    notify(recipients=[e.user for e in tender.evaluators.select_related("user")],
           subject=f"Evaluation has started: {tender.title}",
           body=f"You can now declare your conflicts of interest and score the bids for "
           f"{tender.reference} {tender.title}.",
           url=reverse("commissioning:evaluation", args=[tender.pk]))
    return tender
