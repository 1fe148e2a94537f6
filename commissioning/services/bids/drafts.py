"""Preparing a bid: start it, save each part as you go, files and consortium members.

Typed content (answers, price, social value, declarations) is always kept: a save is stored in
the sealed draft even at or after the deadline, and the result says the deadline has passed,
so nothing a bidder typed is ever lost (and the sealed, timestamped draft is evidence if a
platform incident is claimed). Such a draft can never become a submission: ``bid_submit``
refuses at or after the deadline. Everything else that changes a bid (starting one, files,
consortium members, submitting, withdrawing) is refused at or after the deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction

from commissioning.models import (
    Bid,
    BidFile,
    ConsortiumMember,
    DocumentSlot,
    Lot,
    Tender,
    TenderQuestion,
)
from commissioning.sealing import EMPTY_PAYLOAD, bid_audit_seal, seal, sealer, unseal
from commissioning.selectors.stages import take_part_refusal
from commissioning.services.bids import clock
from commissioning.services.bids.checks import social_value_issues
from core.audit import audit_record
from core.documents import DocumentPolicy, document_store
from core.money import to_money
from organisations.models import PROVIDER_ROLES, Organisation
from organisations.selectors import roles_of

BID_FILE_POLICY = DocumentPolicy(kinds=frozenset({"pdf", "docx", "xlsx", "odt", "ods"}))
EDITABLE = (Bid.Status.DRAFT, Bid.Status.WITHDRAWN)
SUBMITTED_READ_ONLY = ("You have submitted this bid. To change it, withdraw it first; you must "
                       "then submit it again before the deadline.")


@dataclass
class SaveResult:
    """A stored draft save: `late` when it arrived at or after the deadline."""

    bid: Bid
    payload: dict[str, Any]
    late: ValidationError | None = None
    issues: list[Any] = field(default_factory=list)


def _require_editor(actor, bid: Bid) -> None:
    if not rules.has_perm("commissioning.change_bid", actor, bid):
        raise PermissionDenied("Only your organisation's administrators and bid writers can "
                               "change this bid.")


def _require_editable(bid: Bid) -> None:
    if bid.status not in EDITABLE:
        raise ValidationError(SUBMITTED_READ_ONLY, code="submitted")


def lock_bid(bid_id: int, tender: Tender) -> Bid:
    """The bid, row-locked, attached to ``tender``: the caller's own copy, just re-read under
    the tender's lock (``clock.lock_tender``), so the tender is read once per request and its
    data key unwrapped once."""
    bid = (Bid.objects.select_for_update(of=("self",)).select_related("organisation", "lot")
           .get(pk=bid_id, tender_id=tender.pk))
    bid.tender = tender
    return bid


def _store(bid: Bid, payload: dict[str, Any]) -> None:
    bid.sealed_content = seal(tender=bid.tender, payload=payload)
    bid.save(update_fields=["sealed_content", "updated_at"])


# -- starting ------------------------------------------------------------------------------


def _check_bidder(actor, organisation: Organisation | None) -> None:
    if organisation is None or not roles_of(user=actor, organisation=organisation) & PROVIDER_ROLES:
        raise PermissionDenied("Only provider administrators and bid writers can start a bid.")
    if organisation.kind != Organisation.Kind.PROVIDER or not organisation.is_verified:
        raise ValidationError("Your organisation must be verified before it can bid.",
                              code="unverified")


def _check_lot(tender: Tender, lot: Lot | None) -> None:
    has_lots = tender.lots.exists()
    if has_lots and lot is None:
        raise ValidationError({"lot": "Select the lot you are bidding for."})
    if lot is not None and lot.tender_id != tender.pk:
        raise ValidationError({"lot": "Select a lot of this tender."})


@transaction.atomic
def bid_start(*, tender: Tender, organisation: Organisation, actor, lot: Lot | None = None,
              received_at: datetime | None = None) -> Bid:
    """Start (or return the existing) bid of `organisation` for the tender or one of its lots."""
    tender = clock.lock_tender(tender.pk)
    _check_bidder(actor, organisation)
    clock.ensure_open(tender, clock.moment(received_at).received)
    _check_lot(tender, lot)
    refusal = take_part_refusal(tender, organisation)
    if refusal:
        raise ValidationError(refusal, code="not_shortlisted")
    existing = Bid.objects.filter(tender=tender, lot=lot, organisation=organisation).first()
    if existing is not None:
        return existing
    bid = Bid.objects.create(tender=tender, lot=lot, organisation=organisation,
                             sealed_content=seal(tender=tender, payload=EMPTY_PAYLOAD),
                             created_by=actor)
    bid_audit(actor=actor, action="bid.started", bid=bid,
              summary=f"Started a bid for {tender.reference}" + (f" {lot}" if lot else ""))
    return bid


def bid_audit(*, actor, action: str, bid: Bid, summary: str,
              changes: dict[str, Any] | None = None) -> None:
    """Audit an action on a bid; before the opening the entry is sealed under the tender.

    Who acted on which bid, for which organisation, tells who is bidding: until the two-person
    opening only the action and the bid's number are readable (see commissioning.sealing).
    Summaries and changes never name a file: names are bid content.
    """
    audit_record(actor=actor, action=action, obj=bid, organisation_id=bid.organisation_id,
                 summary=summary[:500], changes=changes, seal=bid_audit_seal(bid.tender))


# -- typed content -------------------------------------------------------------------------


def _save_part(bid: Bid, actor, action: str, summary: str,
               change: Callable[[dict[str, Any]], None],
               received_at: datetime | None) -> SaveResult:
    tender = clock.lock_tender(bid.tender_id)
    bid = lock_bid(bid.pk, tender)
    _require_editor(actor, bid)
    _require_editable(bid)
    now = clock.moment(received_at).received
    payload = unseal(tender=bid.tender, blob=bid.sealed_content)
    change(payload)
    _store(bid, payload)
    late = None if clock.is_open(tender, now) else _late(tender)
    bid_audit(actor=actor, action=action, bid=bid, summary=summary,
              changes={"after_deadline": late is not None})
    return SaveResult(bid=bid, payload=payload, late=late)


def _late(tender: Tender) -> ValidationError:
    if tender.status == Tender.Status.PUBLISHED and tender.deadline is not None:
        return clock.deadline_passed(
            tender, "We saved your draft, but bids received at or after the deadline cannot be "
            "accepted.")
    return ValidationError("We saved your draft, but this tender is no longer open for bids.")


@transaction.atomic
def bid_answer_save(*, bid: Bid, question: TenderQuestion, text: str, actor,
                    received_at: datetime | None = None) -> SaveResult:
    """Store the answer to one question (word limits are checked at submission)."""
    if question.tender_id != bid.tender_id:
        raise ValidationError("That question is not part of this tender.")

    def change(payload):
        payload.setdefault("answers", {})[str(question.pk)] = text

    return _save_part(bid, actor, "bid.answer_saved", f"Saved the answer to question "
                      f"{question.number}", change, received_at)


@transaction.atomic
def bid_price_save(*, bid: Bid, total: Decimal | None, breakdown: list[dict[str, Any]],
                   actor, received_at: datetime | None = None) -> SaveResult:
    """Store the total price and its breakdown lines (amounts as Decimal)."""
    price = {"total": "" if total is None else str(to_money(total)),
             "breakdown": [{"item": line["item"], "amount": str(to_money(line["amount"]))}
                           for line in breakdown]}

    def change(payload):
        payload["price"] = price

    return _save_part(bid, actor, "bid.price_saved", "Saved the price", change, received_at)


SV_FIELDS = ("plan_measure_id", "quantity", "delivery_plan", "owner_name", "milestones",
             "method_statement", "is_local", "is_core_deliverable", "deadweight", "attribution")


@transaction.atomic
def bid_social_value_save(*, bid: Bid, entries: list[dict[str, Any]], actor,
                          received_at: datetime | None = None) -> SaveResult:
    """Store the social value commitments and return the counting-rule issues to show."""
    cleaned = [{key: (str(entry[key]) if isinstance(entry.get(key), Decimal) else entry.get(key))
                for key in SV_FIELDS} for entry in entries]

    def change(payload):
        payload["social_value"] = cleaned

    result = _save_part(bid, actor, "bid.social_value_saved", "Saved social value commitments",
                        change, received_at)
    result.issues = social_value_issues(result.bid, result.payload)
    return result


@transaction.atomic
def bid_declarations_save(*, bid: Bid, declarations: dict[str, Any], actor,
                          received_at: datetime | None = None) -> SaveResult:
    def change(payload):
        payload["declarations"] = dict(declarations)

    return _save_part(bid, actor, "bid.declarations_saved", "Saved the declarations", change,
                      received_at)


# -- files and consortium (refused at or after the deadline) ------------------------------


def _open_for_change(bid: Bid, actor, received_at: datetime | None) -> Bid:
    tender = clock.lock_tender(bid.tender_id)
    bid = lock_bid(bid.pk, tender)
    _require_editor(actor, bid)
    _require_editable(bid)
    clock.ensure_open(tender, clock.moment(received_at).received)
    return bid


@transaction.atomic
def bid_file_add(*, bid: Bid, slot: DocumentSlot | None, uploaded_file: File, actor,
                 received_at: datetime | None = None) -> BidFile:
    """Check, encrypt and attach a file. A file name already used is accepted too."""
    if slot is not None and slot.tender_id != bid.tender_id:
        raise ValidationError("That document is not part of this tender.")
    bid = _open_for_change(bid, actor, received_at)
    document = document_store(uploaded_file=uploaded_file, actor=actor, policy=BID_FILE_POLICY,
                              encrypt=sealer(bid.tender), audit_seal=bid_audit_seal(bid.tender))
    bid_file = BidFile.objects.create(bid=bid, slot=slot, document=document)
    bid_audit(actor=actor, action="bid.file_added", bid=bid,
              summary=f"Uploaded file #{bid_file.pk}",
              changes={"file": bid_file.pk, "slot": slot.pk if slot else None,
                       "sha256": document.sha256, "size": document.size})
    return bid_file


@transaction.atomic
def bid_file_remove(*, bid_file: BidFile, actor, received_at: datetime | None = None) -> None:
    """Detach a file from the bid (the encrypted document is kept for the audit trail)."""
    bid = _open_for_change(bid_file.bid, actor, received_at)
    sha256 = bid_file.document.sha256
    BidFile.objects.filter(pk=bid_file.pk, bid=bid).delete()
    bid_audit(actor=actor, action="bid.file_removed", bid=bid,
              summary=f"Removed file #{bid_file.pk}",
              changes={"file": bid_file.pk, "sha256": sha256})


@transaction.atomic
def bid_consortium_member_add(*, bid: Bid, organisation: Organisation, role: str,
                              responsibilities: str, actor,
                              received_at: datetime | None = None) -> ConsortiumMember:
    """Add a verified provider as a member or key subcontractor of the bid's consortium."""
    bid = _open_for_change(bid, actor, received_at)
    if organisation.kind != Organisation.Kind.PROVIDER or not organisation.is_verified:
        raise ValidationError({"organisation": "Choose a verified provider organisation."})
    if organisation.pk == bid.organisation_id:
        raise ValidationError({"organisation": "Your organisation already leads this bid."})
    try:
        with transaction.atomic():
            member = ConsortiumMember.objects.create(
                bid=bid, organisation=organisation, role=role,
                responsibilities=responsibilities)
    except IntegrityError as exc:
        raise ValidationError(
            {"organisation": f"{organisation.name} is already in your consortium."}) from exc
    bid_audit(actor=actor, action="bid.consortium_member_added", bid=bid,
              summary=f"Added {organisation.name} to the consortium",
              changes={"organisation": organisation.pk, "role": role})
    return member


@transaction.atomic
def bid_consortium_member_remove(*, member: ConsortiumMember, actor,
                                 received_at: datetime | None = None) -> None:
    bid = _open_for_change(member.bid, actor, received_at)
    ConsortiumMember.objects.filter(pk=member.pk, bid=bid).delete()
    bid_audit(actor=actor, action="bid.consortium_member_removed", bid=bid,
              summary=f"Removed {member.organisation.name} from the consortium",
              changes={"organisation": member.organisation_id})
