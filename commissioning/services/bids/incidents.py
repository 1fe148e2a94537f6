"""Platform incidents: a uniform deadline extension for every bidder (procurement.md §5.13).

Only a platform administrator records one. The new deadline applies to all bidders at once,
because it is the tender's one deadline that every bid service compares with the server time.
"""

from __future__ import annotations

import datetime

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from commissioning.models import Bid, DeadlineChange, Opening, SupplierInterest, Tender
from commissioning.services.bids import clock
from commissioning.services.publication import release_publish
from core.audit import audit_record
from core.notifications import notify
from organisations.models import PROVIDER_ROLES


def _tender_url(tender: Tender) -> str:
    return reverse("commissioning:tender_detail", args=[tender.pk])


def _suppliers_to_tell(tender: Tender):
    from accounts.models import User

    organisation_ids = set(SupplierInterest.objects.filter(tender=tender)
                           .values_list("organisation_id", flat=True))
    organisation_ids |= set(Bid.objects.filter(tender=tender)
                            .values_list("organisation_id", flat=True))
    organisation_ids |= set(Bid.objects.filter(tender=tender)
                            .values_list("members__organisation_id", flat=True))
    organisation_ids.discard(None)
    return User.objects.filter(memberships__organisation_id__in=organisation_ids,
                               memberships__role__in=PROVIDER_ROLES,
                               is_active=True).distinct().order_by("pk")


@transaction.atomic
def tender_incident_record(*, tender: Tender, new_deadline: datetime.datetime, reason: str,
                           actor) -> DeadlineChange:
    """Extend the tender's deadline for everyone after a platform incident."""
    if not rules.has_perm("commissioning.record_incident", actor, tender):
        raise PermissionDenied("Only platform administrators can record a platform incident.")
    tender = clock.lock_tender_exclusive(tender.pk)
    _validate(tender, new_deadline, reason, clock.server_now())
    change = DeadlineChange.objects.create(
        tender=tender, kind=DeadlineChange.Kind.INCIDENT, previous_deadline=tender.deadline,
        new_deadline=new_deadline, reason=reason.strip(), changed_by=actor)
    tender.deadline = new_deadline
    tender.save(update_fields=["deadline", "updated_at"])
    audit_record(actor=actor, action="tender.deadline_extended", obj=tender,
                 organisation_id=tender.authority_id,
                 summary=f"Platform incident: deadline extended to "
                 f"{clock.format_deadline(new_deadline)}",
                 changes={"kind": "incident", "reason": reason.strip(),
                          "deadline": [change.previous_deadline, new_deadline]})
    notify(recipients=_suppliers_to_tell(tender),
           subject=f"Deadline extended: {tender.title}",
           body=f"Because of a problem with the portal, the deadline for {tender.title} "
           f"({tender.reference}) has been extended for all bidders from "
           f"{clock.format_deadline(change.previous_deadline)} to "
           f"{clock.format_deadline(new_deadline)}.\n\nReason: {reason.strip()}",
           url=_tender_url(tender))
    release_publish(tender=tender, tags=["tenderUpdate"])
    return change


def _validate(tender: Tender, new_deadline, reason: str, now) -> None:
    if tender.status != Tender.Status.PUBLISHED or tender.deadline is None:
        raise ValidationError("You can only extend the deadline of a tender that is open for "
                              "bids.")
    if Opening.objects.filter(tender=tender).exists():
        raise ValidationError("The bids of this tender are being opened: the deadline can no "
                              "longer be extended.")
    errors = {}
    if not reason.strip():
        errors["reason"] = "Describe the incident and why the deadline is extended."
    if new_deadline <= tender.deadline:
        errors["new_deadline"] = ("The new deadline must be later than the current deadline, "
                                  f"{clock.format_deadline(tender.deadline)}.")
    elif new_deadline <= now:
        errors["new_deadline"] = "The new deadline must be in the future."
    if errors:
        raise ValidationError(errors)
