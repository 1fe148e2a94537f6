"""Sessions, attendance, expense and honorarium claims, and payment runs."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from citizens import crypto
from citizens.models import (
    Attendance,
    ExpenseClaim,
    Panel,
    PanelMembership,
    PanelSession,
    PaymentRun,
)
from citizens.models.panels import VOTING_ROLES
from citizens.rules import can
from core.audit import audit_record
from core.money import to_money
from core.notifications import notify

SESSION_FIELDS = ("title", "starts_at", "ends_at", "mode", "location", "online_link", "agenda")


@transaction.atomic
def session_create(*, actor, panel: Panel, data: dict[str, Any]) -> PanelSession:
    if not can(actor, "citizens.facilitate", panel):
        raise PermissionDenied("Only facilitators and officers arrange sessions.")
    if data["ends_at"] <= data["starts_at"]:
        raise ValidationError({"ends_at": "The session must end after it starts."})
    if data["mode"] != PanelSession.Mode.ONLINE and not data.get("location", "").strip():
        raise ValidationError({"location": "Say where the session takes place."})
    if data["mode"] != PanelSession.Mode.IN_PERSON and not data.get("online_link"):
        raise ValidationError({"online_link": "Give the link to join online."})
    session = PanelSession.objects.create(panel=panel, **{k: data.get(k, "") for k in
                                                          SESSION_FIELDS})
    audit_record(actor=actor, action="citizens.session_create", obj=session,
                 summary=f"Session “{session.title}” arranged",
                 organisation_id=panel.authority_id)
    members = [m.user for m in panel.memberships.filter(
        status=PanelMembership.Status.ACTIVE, user__isnull=False).select_related("user")]
    notify(recipients=members, subject=f"{panel.title}: new session “{session.title}”",
           body=f"A session is arranged for "
                f"{timezone.localtime(session.starts_at):%-d %B %Y at %H:%M}.",
           url=f"/panels/{panel.pk}/sessions/{session.pk}/")
    return session


@transaction.atomic
def attendance_record(*, actor, session: PanelSession, statuses: dict[int, str]) -> int:
    """Record who attended (membership id → status) for every member of the panel."""
    panel = session.panel
    if not can(actor, "citizens.record_attendance", panel):
        raise PermissionDenied("Only facilitators and officers record attendance.")
    members = {m.pk: m for m in panel.memberships.filter(role__in=VOTING_ROLES,
                                                         status=PanelMembership.Status.ACTIVE)}
    unknown = set(statuses) - set(members)
    if unknown:
        raise ValidationError("Attendance can only be recorded for the panel's members.")
    if not set(statuses.values()) <= set(Attendance.Status.values):
        raise ValidationError("Choose attended, apologies or did not attend for each member.")
    for membership_id, status in statuses.items():
        Attendance.objects.update_or_create(
            session=session, membership_id=membership_id,
            defaults={"status": status, "recorded_by": actor})
    session.attendance_recorded_at = timezone.now()
    session.save(update_fields=["attendance_recorded_at", "updated_at"])
    present = sum(1 for s in statuses.values() if s == Attendance.Status.PRESENT)
    audit_record(actor=actor, action="citizens.attendance_record", obj=session,
                 summary=f"Attendance recorded: {present} of {len(members)} attended",
                 organisation_id=panel.authority_id)
    return present


def _validate_bank(account_name: str, sort_code: str, account_number: str) -> dict[str, str]:
    digits_sort = "".join(ch for ch in sort_code if ch.isdigit())
    digits_account = "".join(ch for ch in account_number if ch.isdigit())
    errors = {}
    if not account_name.strip():
        errors["account_name"] = "Enter the name on the account."
    if len(digits_sort) != 6:
        errors["sort_code"] = "Enter a sort code of 6 digits, like 30-94-57."
    if not 6 <= len(digits_account) <= 8:
        errors["account_number"] = "Enter an account number of 6 to 8 digits."
    if errors:
        raise ValidationError(errors)
    return {"account_name": account_name.strip(), "sort_code": digits_sort,
            "account_number": digits_account.zfill(8)}


@transaction.atomic
def claim_submit(*, actor, session: PanelSession, kind: str, amount: Decimal, description: str,
                 account_name: str, sort_code: str, account_number: str) -> ExpenseClaim:
    """A member claims expenses or the honorarium for a session they attended."""
    panel = session.panel
    membership = panel.memberships.filter(user=actor, role__in=VOTING_ROLES,
                                          status=PanelMembership.Status.ACTIVE).first()
    if membership is None:
        raise PermissionDenied("Only the panel's members claim expenses.")
    if not Attendance.objects.filter(session=session, membership=membership,
                                     status=Attendance.Status.PRESENT).exists():
        raise ValidationError("You can claim for a session once your attendance is recorded.")
    amount = to_money(amount)
    limit = (panel.honorarium_per_session if kind == ExpenseClaim.Kind.HONORARIUM
             else panel.expenses_cap_per_session)
    if amount <= 0:
        raise ValidationError({"amount": "Enter an amount above £0."})
    if amount > limit:
        raise ValidationError({"amount": f"The most this panel pays for this is £{limit:,.2f}."})
    if kind == ExpenseClaim.Kind.EXPENSES and not description.strip():
        raise ValidationError({"description": "Say what the expenses were for."})
    if ExpenseClaim.objects.filter(session=session, membership=membership, kind=kind).exists():
        raise ValidationError("You have already claimed this for the session.")
    bank = _validate_bank(account_name, sort_code, account_number)
    claim = ExpenseClaim.objects.create(
        session=session, membership=membership, kind=kind, amount=amount,
        description=description.strip(), bank_details=crypto.encrypt_json(bank),
        account_last_digits=bank["account_number"][-4:])
    audit_record(actor=actor, action="citizens.claim_submit", obj=claim,
                 summary=f"{claim.get_kind_display()} claim of £{amount:,.2f}",
                 organisation_id=panel.authority_id)
    return claim


@transaction.atomic
def claim_decide(*, actor, claim: ExpenseClaim, approve: bool, reason: str = "") -> ExpenseClaim:
    panel = claim.session.panel
    if not can(actor, "citizens.approve_claims", panel):
        raise PermissionDenied("Only the panel's commissioning officer approves claims.")
    if claim.status != ExpenseClaim.Status.SUBMITTED:
        raise ValidationError("This claim has already been decided.")
    if claim.membership.user_id == actor.pk:
        raise ValidationError("You cannot approve your own claim.")
    if not approve and not reason.strip():
        raise ValidationError({"reason": "Say why the claim is rejected."})
    claim.status = ExpenseClaim.Status.APPROVED if approve else ExpenseClaim.Status.REJECTED
    claim.decided_by, claim.decided_at = actor, timezone.now()
    claim.rejection_reason = reason.strip()[:300]
    claim.save()
    audit_record(actor=actor, action="citizens.claim_" + ("approve" if approve else "reject"),
                 obj=claim, summary=f"Claim {claim.pk} {claim.get_status_display().lower()}",
                 organisation_id=panel.authority_id)
    if claim.membership.user:
        notify(recipients=[claim.membership.user],
               subject=f"Your claim for “{claim.session.title}” was "
                       f"{'approved' if approve else 'rejected'}",
               body=(f"£{claim.amount:,.2f} will be paid to the account ending "
                     f"{claim.account_last_digits}." if approve else f"Reason: {reason}"),
               url=f"/panels/{panel.pk}/claims/")
    return claim


@transaction.atomic
def payment_run_create(*, actor, panel: Panel) -> PaymentRun:
    """Batch every approved, unpaid claim of the panel into one payment run."""
    if not can(actor, "citizens.approve_claims", panel):
        raise PermissionDenied("Only the panel's commissioning officer makes payment runs.")
    claims = list(ExpenseClaim.objects.select_for_update().filter(
        session__panel=panel, status=ExpenseClaim.Status.APPROVED, payment_run__isnull=True))
    if not claims:
        raise ValidationError("There are no approved claims waiting for payment.")
    total = sum((c.amount for c in claims), Decimal("0.00"))
    run = PaymentRun.objects.create(panel=panel, created_by=actor, total=total,
                                    claim_count=len(claims))
    ExpenseClaim.objects.filter(pk__in=[c.pk for c in claims]).update(
        payment_run=run, status=ExpenseClaim.Status.PAID, paid_at=timezone.now())
    audit_record(actor=actor, action="citizens.payment_run_create", obj=run,
                 summary=f"Payment run of {len(claims)} claims, £{total:,.2f}",
                 organisation_id=panel.authority_id)
    return run


def payment_run_csv(*, actor, run: PaymentRun) -> str:
    """The bank file of a payment run (decrypts bank details; the download is audited)."""
    if not can(actor, "citizens.approve_claims", run.panel):
        raise PermissionDenied("Only the panel's commissioning officer downloads payment runs.")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["claim_id", "payee_name", "sort_code", "account_number", "amount_gbp",
                     "reference"])
    for claim in run.claims.select_related("session").order_by("pk"):
        bank = crypto.decrypt_json(claim.bank_details)
        writer.writerow([claim.pk, bank["account_name"], bank["sort_code"],
                         bank["account_number"], f"{claim.amount:.2f}",
                         f"PANEL{run.panel_id}-S{claim.session_id}-{claim.kind[:3].upper()}"])
    audit_record(actor=actor, action="citizens.payment_run_download", obj=run,
                 summary=f"Payment file of run {run.pk} downloaded",
                 organisation_id=run.panel.authority_id)
    return out.getvalue()
