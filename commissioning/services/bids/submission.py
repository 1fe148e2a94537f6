"""Submitting, withdrawing and resubmitting a bid, and the receipt that proves it.

Submission is one atomic step under the tender's shared lock (see ``clock``): the request is
judged by when it reached the portal, every mandatory part is checked, and the receipt is
written in the same transaction with both times, received and recorded. The receipt email is
enqueued through the outbox, so it is sent only after the transaction commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from commissioning import receipts
from commissioning.models import Bid, BidReceipt
from commissioning.sealing import seal, unseal
from commissioning.services.bids import clock
from commissioning.services.bids.checks import (
    declaration_problems,
    submission_problems,
)
from commissioning.services.bids.drafts import EDITABLE, _require_editor, bid_audit, lock_bid
from commissioning.services.supplier_information import (
    supplier_information_attach,
    supplier_information_problem,
)
from core import outbox
from core.notifications import notify
from organisations.selectors import admins_of

RECEIPT_TASK = "commissioning.send_bid_receipt"


class BidIncomplete(ValidationError):
    """Submission refused: `problems` lists what is missing, in task-list order."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        super().__init__([problem.text for problem in problems], code="incomplete")


def bid_submit(*, bid: Bid, actor, declarations: dict[str, Any] | None = None,
               received_at: datetime | None = None) -> BidReceipt:
    """Submit the bid and return its receipt; raise a ValidationError saying why not.

    ``received_at`` is when the request reached the portal (``request.received_at``): the
    submission is judged by it. Declarations sent with the submission are saved to the draft
    in the same transaction, and kept even when the submission is refused (deadline passed,
    something missing): the refusal is raised after the commit.
    """
    outcome = _submit(bid_id=bid.pk, tender_id=bid.tender_id, actor=actor,
                      declarations=declarations, received_at=received_at)
    if isinstance(outcome, ValidationError):
        raise outcome
    return outcome


@transaction.atomic
def _submit(*, bid_id: int, tender_id: int, actor, declarations: dict[str, Any] | None,
            received_at: datetime | None) -> BidReceipt | ValidationError:
    tender = clock.lock_tender(tender_id)
    bid = lock_bid(bid_id, tender)
    _require_editor(actor, bid)
    if bid.status == Bid.Status.SUBMITTED:
        return ValidationError("You have already submitted this bid.", code="submitted")
    times = clock.moment(received_at)
    now = times.received
    payload = unseal(tender=tender, blob=bid.sealed_content)
    declared = (declarations is not None and bid.status in EDITABLE
                and _store_declarations(bid, tender, payload, declarations))
    files = list(bid.files.select_related("document", "slot"))
    try:
        clock.ensure_open(tender, now)
        _check_complete(bid, payload, files)
        _check_lot_limit(bid)
    except ValidationError as refusal:
        if declared:  # kept, and committed with the refusal
            bid.save(update_fields=["sealed_content", "updated_at"])
            bid_audit(actor=actor, action="bid.declarations_saved", bid=bid,
                      summary="Saved the declarations",
                      changes={"after_deadline": not clock.is_open(tender, now)})
        return refusal
    hashes = receipts.file_hashes(files, tender=tender)
    bid.status, bid.submitted_at, bid.withdrawn_at = Bid.Status.SUBMITTED, now, None
    bid.save(update_fields=["status", "submitted_at", "withdrawn_at", "updated_at",
                            *(["sealed_content"] if declared else [])])
    receipt = _create_receipt(bid, times, hashes, receipts.submission_digest(payload, hashes))
    information_version = supplier_information_attach(bid=bid, at=now)
    outbox.enqueue(RECEIPT_TASK, receipt.pk, actor.pk)
    # Last, and one entry for the whole action: the audit chain has one writer at a time, from
    # its entry until commit.
    bid_audit(actor=actor, action="bid.submitted", bid=bid,
              summary=f"Submitted the bid; receipt {receipt.number}",
              changes={"receipt": receipt.number, "received_at": now.isoformat(),
                       "recorded_at": times.recorded.isoformat(),
                       "declarations_saved": declared,
                       "supplier_information_version": information_version,
                       "submission_sha256": receipt.submission_sha256,
                       "files": [{k: v for k, v in entry.items() if k != "name"}
                                 for entry in hashes]})
    return receipt


def _store_declarations(bid: Bid, tender, payload: dict[str, Any],
                        declarations: dict[str, Any]) -> bool:
    """Seal the declarations sent with the submission into the bid (the caller saves it, with
    the submission or with the refusal); False when they were already so."""
    if dict(declarations) == payload.get("declarations"):
        return False
    payload["declarations"] = dict(declarations)
    bid.sealed_content = seal(tender=tender, payload=payload)
    return True


def _check_complete(bid: Bid, payload: dict[str, Any], files: list) -> None:
    tender = bid.tender
    problems = submission_problems(
        bid, payload, questions=list(tender.questions.all()),
        slots=list(tender.document_slots.all()),
        slot_ids_with_files={f.slot_id for f in files if f.slot_id})
    problems += declaration_problems(payload.get("declarations") or {})
    information = supplier_information_problem(bid)
    if information is not None:
        problems.append(information)
    if problems:
        raise BidIncomplete(problems)


def _check_lot_limit(bid: Bid) -> None:
    limit = bid.tender.max_lots_per_supplier
    if bid.lot_id is None or not limit:
        return
    others = list(Bid.objects.filter(tender_id=bid.tender_id, organisation_id=bid.organisation_id,
                                     status=Bid.Status.SUBMITTED).exclude(pk=bid.pk)
                  .select_related("lot").order_by("lot__number"))
    if len(others) >= limit:
        lots = ", ".join(str(other.lot.number) for other in others)
        raise ValidationError(
            f"You can bid for at most {limit} lot{'s' if limit != 1 else ''} of this tender. "
            f"You have already submitted bids for lot{'s' if len(others) != 1 else ''} {lots}. "
            "Withdraw one of them before submitting this bid.", code="lot_limit")


def _create_receipt(bid: Bid, times: clock.Moment, hashes: list, digest: str) -> BidReceipt:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return BidReceipt.objects.create(
                    bid=bid, number=receipts.receipt_number(bid), received_at=times.received,
                    recorded_at=times.recorded, submission_sha256=digest,
                    file_hashes=receipts.sealed_file_hashes(bid, hashes))
        except IntegrityError:
            continue  # the random suffix collided with another receipt: draw again
    raise RuntimeError("Could not allocate a unique receipt number.")


@transaction.atomic
def bid_withdraw(*, bid: Bid, actor, received_at: datetime | None = None) -> Bid:
    """Withdraw a submitted bid before the deadline; it can be changed and submitted again."""
    tender = clock.lock_tender(bid.tender_id)
    bid = lock_bid(bid.pk, tender)
    _require_editor(actor, bid)
    if bid.status != Bid.Status.SUBMITTED:
        raise ValidationError("Only a submitted bid can be withdrawn.", code="not_submitted")
    now = clock.moment(received_at).received
    clock.ensure_open(tender, now, "Bids cannot be withdrawn at or after the deadline.")
    bid.status, bid.withdrawn_at = Bid.Status.WITHDRAWN, now
    bid.save(update_fields=["status", "withdrawn_at", "updated_at"])
    bid_audit(actor=actor, action="bid.withdrawn", bid=bid, summary="Withdrew the bid",
              changes={"withdrawn_at": now.isoformat()})
    notify(recipients=admins_of(organisation=bid.organisation),
           subject=f"Bid withdrawn: {tender.title}",
           body=f"{actor.get_full_name() or actor.email} withdrew your organisation's bid for "
           f"{tender.title} ({tender.reference}). It will not be considered unless it is "
           f"submitted again before {clock.format_deadline(tender.deadline)}.",
           url=reverse("commissioning:bid_detail", args=[bid.pk]))
    return bid


@transaction.atomic
def bid_receipt_email(*, receipt_id: int, submitter_id: int | None = None) -> bool:
    """Email the receipt to the submitter and the organisation's admins, once.

    The receipt row is locked (PostgreSQL) and `emailed_at` set in the same transaction, so a
    repeated task delivery sends nothing.
    """
    receipt = (BidReceipt.objects.select_for_update(of=("self",))
               .select_related("bid__tender", "bid__organisation", "bid__lot")
               .filter(pk=receipt_id, emailed_at__isnull=True).first())
    if receipt is None:
        return False
    people = list(admins_of(organisation=receipt.bid.organisation))
    if submitter_id is not None:
        from accounts.models import User

        people += list(User.objects.filter(pk=submitter_id, is_active=True))
    emails = sorted({person.email for person in people})
    if emails:
        send_mail(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Bid received: "
            f"{receipt.bid.tender.title} – {receipt.number}",
            message=receipts.receipt_text(receipt), from_email=None, recipient_list=emails)
    receipt.emailed_at = timezone.now()
    receipt.save(update_fields=["emailed_at"])
    return True
