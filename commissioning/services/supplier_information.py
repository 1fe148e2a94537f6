"""A supplier's core information, kept once, confirmed before each submission, frozen on it.

Each save makes a new immutable version (``SupplierInformation``); a submission carries the
version that was current, confirmed by the person submitting (``SubmissionSupplierInformation``),
so the commissioner later sees exactly what was declared then, whatever changed since.
Confirmation is required for every submission in a staged procedure, and for every submission
of an organisation that keeps its core information here.

``content``::

    {"legal_name": "...", "trading_name": "...", "company_number": "...",
     "registered_address": "...",
     "connected_persons": [{"name": "...", "role": "..."}, ...],
     "exclusions": [{"ground": "mandatory", "applies": false, "details": "",
                     "declared_on": "2026-12-01"},
                    {"ground": "discretionary", ...}],
     "economic_standing": "..."}
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning.models import Bid, SubmissionSupplierInformation, SupplierInformation
from commissioning.selectors import stages as stage_selectors
from commissioning.services.bids.checks import Problem
from core.audit import audit_record
from core.documents import DocumentPolicy, document_store
from organisations.models import PROVIDER_ROLES, Organisation
from organisations.selectors import roles_of

STANDING_POLICY = DocumentPolicy(kinds=frozenset({"pdf", "docx", "xlsx", "odt", "ods"}))
EXCLUSION_GROUNDS = {
    "mandatory": "Mandatory exclusion grounds (Schedule 6)",
    "discretionary": "Discretionary exclusion grounds (Schedule 7)",
}
CONFIRM = "Confirm that your core supplier information is current"


def _require_keeper(actor, organisation: Organisation) -> None:
    if not roles_of(user=actor, organisation=organisation) & PROVIDER_ROLES:
        raise PermissionDenied("Only your organisation's administrators and bid writers can "
                               "change its core information.")


def _content(data: dict[str, Any], declared_on: date) -> dict[str, Any]:
    persons = []
    for line in (data.get("connected_persons") or "").splitlines():
        name, _, role = line.partition(",")
        if name.strip():
            persons.append({"name": name.strip(), "role": role.strip()})
    exclusions = [{"ground": ground, "applies": bool(data.get(f"{ground}_applies")),
                   "details": (data.get(f"{ground}_details") or "").strip(),
                   "declared_on": declared_on.isoformat()} for ground in EXCLUSION_GROUNDS]
    return {"legal_name": data["legal_name"].strip(),
            "trading_name": (data.get("trading_name") or "").strip(),
            "company_number": (data.get("company_number") or "").strip(),
            "registered_address": data["registered_address"].strip(),
            "connected_persons": persons, "exclusions": exclusions,
            "economic_standing": (data.get("economic_standing") or "").strip()}


def _check(content: dict[str, Any]) -> None:
    errors = {}
    if not content["legal_name"]:
        errors["legal_name"] = "Enter your organisation's legal name."
    if not content["registered_address"]:
        errors["registered_address"] = "Enter your registered address."
    for exclusion in content["exclusions"]:
        if exclusion["applies"] and not exclusion["details"]:
            errors[f"{exclusion['ground']}_details"] = (
                "Describe the circumstances and any self-cleaning steps taken.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def supplier_information_save(*, actor, organisation: Organisation, data: dict[str, Any],
                              standing_document: File | None = None) -> SupplierInformation:
    """Keep a new version of the organisation's core information (earlier ones are frozen)."""
    _require_keeper(actor, organisation)
    now = timezone.now()
    content = _content(data, timezone.localdate(now))
    _check(content)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    previous = SupplierInformation.objects.filter(organisation=organisation).first()
    number = (SupplierInformation.objects.filter(organisation=organisation)
              .aggregate(top=Max("number"))["top"] or 0) + 1
    version = SupplierInformation.objects.create(
        organisation=organisation, number=number, content=content, created_at=now,
        created_by=actor, confirmed_at=now)
    documents = list(previous.documents.all()) if previous is not None else []
    if standing_document is not None:
        documents.append(document_store(uploaded_file=standing_document, actor=actor,
                                        policy=STANDING_POLICY))
    version.documents.set(documents)
    audit_record(actor=actor, action="supplier_information.saved", obj=version,
                 organisation_id=organisation.pk,
                 summary=f"Saved version {number} of the core supplier information",
                 changes={"version": number, "documents": [d.pk for d in documents]})
    return version


def _require_bid_editor(actor, bid: Bid) -> None:
    if not rules.has_perm("commissioning.change_bid", actor, bid):
        raise PermissionDenied("Only your organisation's administrators and bid writers can "
                               "confirm this.")


@transaction.atomic
def supplier_information_confirm(*, actor, bid: Bid) -> SubmissionSupplierInformation:
    """Confirm, for this submission, that the current core information is still right."""
    from commissioning.services.bids.drafts import EDITABLE, bid_audit

    _require_bid_editor(actor, bid)
    if bid.status not in EDITABLE:
        raise ValidationError("This submission has been made: its core information is frozen.")
    current = stage_selectors.supplier_information_current(organisation=bid.organisation)
    if current is None:
        raise ValidationError("Enter your core supplier information first.")
    link, _ = SubmissionSupplierInformation.objects.update_or_create(
        bid=bid, defaults={"version": current, "confirmed_by": actor,
                           "confirmed_at": timezone.now(), "attached_at": None})
    SupplierInformation.objects.filter(pk=current.pk).update(confirmed_at=link.confirmed_at)
    bid_audit(actor=actor, action="bid.supplier_information_confirmed", bid=bid,
              summary=f"Confirmed core supplier information version {current.number}",
              changes={"version": current.number})
    return link


def confirmation_required(bid: Bid) -> bool:
    return (stage_selectors.procedure_of(bid.tender) is not None
            or SupplierInformation.objects.filter(organisation_id=bid.organisation_id).exists())


def supplier_information_problem(bid: Bid) -> Problem | None:
    """What stops the submission as far as core information goes (None when nothing)."""
    if not confirmation_required(bid):
        return None
    current = stage_selectors.supplier_information_current(organisation=bid.organisation)
    link = SubmissionSupplierInformation.objects.filter(bid=bid).first()
    if current is None:
        return Problem("supplier_information", "Enter your core supplier information")
    if link is None or link.version_id != current.pk or link.attached_at is not None:
        return Problem("supplier_information", CONFIRM)
    return None


def supplier_information_attach(*, bid: Bid, at: datetime) -> int | None:
    """Freeze the confirmed version on the submission; its number (None when none applies)."""
    updated = SubmissionSupplierInformation.objects.filter(bid=bid).update(attached_at=at)
    if not updated:
        return None
    return SubmissionSupplierInformation.objects.get(bid=bid).version.number
