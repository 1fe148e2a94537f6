"""Payments: the schedule, releasing instalments, recoveries, repayable grants' repayments.

Invariants, in these services and in the database (grants.models.Award's constraints):
paid ≤ scheduled ≤ awarded, and recovered ≤ paid. Every change of money locks the award row,
updates the running totals with the change, and lets the database refuse a breach.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.money import format_gbp, to_money
from core.notifications import notify
from grants import govs015
from grants.models import Award, Instalment, Recovery, Repayment
from organisations.selectors import admins_of


def _locked(award: Award) -> Award:
    return Award.objects.select_for_update(of=("self",)).select_related(
        "programme", "recipient", "round").get(pk=award.pk)


def _require_manager(actor, award: Award) -> None:
    if not actor.has_perm("grants.manage_award", award):
        raise PermissionDenied("Only the authority's grant managers can do that.")


@transaction.atomic
def instalment_schedule(*, actor, award: Award, amount: Decimal, due_on: datetime.date,
                        milestone: str, year: int = 1, timing: str = "arrears",
                        advance_need: str = "") -> Instalment:
    """Add an instalment to the schedule; the schedule never exceeds the award."""
    award = _locked(award)
    _require_manager(actor, award)
    amount = to_money(amount)
    if award.status not in ("offered", "live"):
        raise ValidationError("Payments can only be scheduled for an offered or live grant.")
    if amount <= 0:
        raise ValidationError({"amount": "An instalment must be more than £0."})
    if award.amount_scheduled + amount > award.amount_awarded:
        left = award.amount_awarded - award.amount_scheduled
        raise ValidationError({"amount": f"Only {format_gbp(left)} of the award is not yet "
                                         "scheduled."})
    if timing == "advance" and not advance_need.strip():
        raise ValidationError({"advance_need": "Record why the recipient needs this payment "
                                               "in advance."})
    if not milestone.strip():
        raise ValidationError({"milestone": "Say which milestone or claim the payment is for."})
    number = (award.instalments.aggregate(n=Max("number"))["n"] or 0) + 1
    instalment = Instalment.objects.create(
        award=award, number=number, year=year, due_on=due_on, amount=amount, timing=timing,
        advance_need=advance_need.strip() if timing == "advance" else "",
        milestone=milestone.strip())
    Award.objects.filter(pk=award.pk).update(amount_scheduled=F("amount_scheduled") + amount)
    audit_record(actor=actor, action="grant_payment.scheduled", obj=award,
                 organisation_id=award.programme.authority_id,
                 summary=f"Instalment {number}: {format_gbp(amount)} due {due_on}",
                 changes={"amount": amount, "timing": timing})
    return instalment


@transaction.atomic
def instalment_cancel(*, actor, instalment: Instalment, reason: str) -> Instalment:
    award = _locked(instalment.award)
    _require_manager(actor, award)
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    if instalment.status != "scheduled":
        raise ValidationError("Only a scheduled instalment can be cancelled.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the instalment is cancelled."})
    instalment.status = "cancelled"
    instalment.save(update_fields=["status", "updated_at"])
    Award.objects.filter(pk=award.pk).update(
        amount_scheduled=F("amount_scheduled") - instalment.amount)
    audit_record(actor=actor, action="grant_payment.cancelled", obj=award,
                 organisation_id=award.programme.authority_id,
                 summary=f"Instalment {instalment.number} cancelled: {reason.strip()[:200]}")
    return instalment


@transaction.atomic
def instalment_release(*, actor, instalment: Instalment, amount: Decimal | None = None,
                       paid_on: datetime.date | None = None, claim_notes: str = "",
                       claim_evidence=None,
                       justifications: dict[str, str] | None = None) -> Instalment:
    """Pay an instalment once GovS 015 allows it (agreement accepted, reports up to date…)."""
    award = _locked(instalment.award)
    _require_manager(actor, award)
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    instalment.award = award
    if instalment.status != "scheduled":
        raise ValidationError("This instalment is not waiting to be paid.")
    if award.status != "live":
        raise ValidationError("The grant is not live: the recipient has not accepted the "
                              "agreement.")
    amount = to_money(amount if amount is not None else instalment.amount)
    if not Decimal("0") < amount <= instalment.amount:
        raise ValidationError({"amount": f"Pay more than £0 and at most "
                                         f"{format_gbp(instalment.amount)}."})
    if instalment.timing == "arrears" and not (claim_notes.strip() or claim_evidence):
        raise ValidationError({"claim_notes": "Record the claim or milestone evidence."})
    automatic = ({"mpm_arrears": instalment.advance_need} if instalment.timing == "advance"
                 else {})
    govs015.enforce(transition=govs015.RELEASE_PAYMENT, subject=instalment,
                    programme=award.programme, actor=actor, justifications=justifications,
                    automatic=automatic)
    unpaid = instalment.amount - amount
    instalment.status, instalment.paid_amount = "paid", amount
    instalment.paid_on = paid_on or timezone.localdate()
    instalment.released_by, instalment.claim_notes = actor, claim_notes.strip()
    instalment.claim_evidence = claim_evidence
    instalment.save()
    Award.objects.filter(pk=award.pk).update(amount_paid=F("amount_paid") + amount,
                                             amount_scheduled=F("amount_scheduled") - unpaid)
    audit_record(actor=actor, action="grant_payment.released", obj=award,
                 organisation_id=award.programme.authority_id,
                 summary=f"Paid instalment {instalment.number}: {format_gbp(amount)}",
                 changes={"amount": amount, "instalment": instalment.number})
    notify(recipients=admins_of(organisation=award.recipient),
           subject=f"Payment for {award.reference}",
           body=f"{format_gbp(amount)} has been released for {award.title} "
                f"(instalment {instalment.number}).",
           url=reverse("grants:award_detail", args=[award.pk]))
    return instalment


@transaction.atomic
def recovery_record(*, actor, award: Award, kind: str, amount: Decimal, reason: str,
                    received_on: datetime.date) -> Recovery:
    """Record an underspend returned or a clawback; never more than was paid."""
    award = _locked(award)
    _require_manager(actor, award)
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": "A recovery must be more than £0."})
    if award.amount_recovered + amount > award.amount_paid:
        raise ValidationError({"amount": f"Only {format_gbp(award.amount_disbursed)} has been "
                                         "paid and not recovered."})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the recovery."})
    recovery = Recovery.objects.create(award=award, kind=kind, amount=amount,
                                       reason=reason.strip(), received_on=received_on,
                                       recorded_by=actor)
    Award.objects.filter(pk=award.pk).update(amount_recovered=F("amount_recovered") + amount)
    audit_record(actor=actor, action="grant_payment.recovered", obj=award,
                 organisation_id=award.programme.authority_id,
                 summary=f"{recovery.get_kind_display()}: {format_gbp(amount)}",
                 changes={"amount": amount, "kind": kind, "reason": reason.strip()})
    return recovery


@transaction.atomic
def repayment_trigger(*, actor, award: Award, triggered_on: datetime.date, evidence: str,
                      first_repayment_due: datetime.date) -> Award:
    """Record that a repayable grant's trigger (profit, or revenue past a threshold) is met."""
    award = _locked(award)
    _require_manager(actor, award)
    terms = getattr(award, "repayment", None)
    if terms is None:
        raise ValidationError("This grant is not repayable.")
    if terms.triggered_on or terms.written_off_on:
        raise ValidationError("The repayment trigger is already recorded, or the grant was "
                              "written off.")
    if not evidence.strip():
        raise ValidationError({"evidence": "Record the evidence (accounts showing the profit "
                                           "or revenue)."})
    terms.triggered_on, terms.trigger_evidence = triggered_on, evidence.strip()
    terms.first_repayment_due = first_repayment_due
    terms.save()
    audit_record(actor=actor, action="grant_repayment.triggered", obj=award,
                 organisation_id=award.programme.authority_id,
                 summary=f"Repayment triggered on {triggered_on}")
    return award


@transaction.atomic
def repayment_record(*, actor, award: Award, amount: Decimal, received_on: datetime.date,
                     reference: str) -> Repayment:
    award = _locked(award)
    _require_manager(actor, award)
    terms = getattr(award, "repayment", None)
    if terms is None or terms.triggered_on is None:
        raise ValidationError("Repayments start only once the repayment trigger is met.")
    amount = to_money(amount)
    outstanding = award.amount_disbursed - award.amount_repaid - (terms.write_off_amount or 0)
    if not Decimal("0") < amount <= outstanding:
        raise ValidationError({"amount": f"Up to {format_gbp(outstanding)} is outstanding."})
    repayment = Repayment.objects.create(award=award, amount=amount, received_on=received_on,
                                         reference=reference.strip(), recorded_by=actor)
    Award.objects.filter(pk=award.pk).update(amount_repaid=F("amount_repaid") + amount)
    audit_record(actor=actor, action="grant_repayment.received", obj=award,
                 organisation_id=award.programme.authority_id,
                 summary=f"Repayment of {format_gbp(amount)} received")
    return repayment


@transaction.atomic
def repayment_write_off(*, actor, award: Award, reason: str) -> Award:
    """Write off what is still to be repaid (the trigger never came, or cannot be met)."""
    award = _locked(award)
    _require_manager(actor, award)
    terms = getattr(award, "repayment", None)
    if terms is None or terms.written_off_on:
        raise ValidationError("There is nothing to write off.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the write-off."})
    terms.written_off_on = timezone.localdate()
    terms.write_off_amount = award.amount_disbursed - award.amount_repaid
    terms.write_off_reason = reason.strip()
    terms.save()
    audit_record(actor=actor, action="grant_repayment.written_off", obj=award,
                 organisation_id=award.programme.authority_id,
                 summary=f"Wrote off {format_gbp(terms.write_off_amount)}")
    return award
