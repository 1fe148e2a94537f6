"""Contracts reserved for public service mutuals (Procurement Act 2023 s.33).

A tender reserved under s.33 must disregard a tender from a supplier that is not a *qualifying*
public service mutual: one that passes the three tests (public service mission, not for profit
or profits to members only, employee management and control) and has not entered into a
comparable contract (same kind of services, same authority, reserved under s.33) in the three
years ending with the award day. Comparable contracts come from the portal's own history.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from commissioning.models import Bid, Contract, Tender, TenderCpv
from core.audit import audit_record
from core.calendar import local_date
from organisations.models import Organisation

COMPARABLE_YEARS = 3
SAME_KIND_DIGITS = 5  # CPV codes sharing their first five digits are the same kind of services


def passes_mutual_tests(organisation: Organisation) -> tuple[bool, str]:
    """Whether the organisation passes the three public service mutual tests, and why not.

    Until the mutuals app records the evidence for each test, an organisation registered with
    the legal form "public service mutual" passes and every other one fails. The mutuals app
    replaces this one function.
    """
    if organisation.legal_form == Organisation.LegalForm.MUTUAL:
        return True, ""
    return False, (f"{organisation.name} is not registered as a public service mutual, so it "
                   "does not meet the tests in section 33 of the Procurement Act 2023 (public "
                   "service mission, not for profit or profits to members only, and employee "
                   "management and control).")


def main_cpv(tender: Tender) -> str:
    cpv = TenderCpv.objects.filter(tender=tender).order_by("-is_main", "id").first()
    return cpv.code if cpv else ""


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def comparable_reserved_contract(*, organisation: Organisation, tender: Tender,
                                 award_day: datetime.date) -> Contract | None:
    """A comparable s.33 contract the organisation entered in the 3 years ending on award_day.

    Comparable: another tender of the same authority reserved for mutuals whose main CPV code
    shares its first five digits with this tender's, awarded to the organisation, with a
    signed contract. The period ending with the award day starts the day after the same date
    three years earlier.
    """
    kind = main_cpv(tender)[:SAME_KIND_DIGITS]
    if not kind:
        return None
    first_day = _years_before(award_day, COMPARABLE_YEARS) + datetime.timedelta(days=1)
    candidates = (
        Contract.objects.filter(
            award__bid__organisation=organisation,
            award__tender__authority_id=tender.authority_id,
            award__tender__is_reserved_for_mutuals=True,
            award__tender__cpv_codes__is_main=True,
            award__tender__cpv_codes__code__startswith=kind,
        )
        .exclude(award__tender=tender)
        .select_related("award__tender")
        .order_by("-signed_at")
    )
    for contract in candidates:
        if first_day <= local_date(contract.signed_at) <= award_day:
            return contract
    return None


def reservation_problem(*, bid: Bid, award_day: datetime.date | None = None) -> str:
    """Why the bid must be disregarded under s.33, or "" (also "" for unreserved tenders)."""
    tender = bid.tender
    if not tender.is_reserved_for_mutuals:
        return ""
    passes, reason = passes_mutual_tests(bid.organisation)
    if not passes:
        return reason
    day = award_day or local_date(timezone.now())
    contract = comparable_reserved_contract(organisation=bid.organisation, tender=tender,
                                            award_day=day)
    if contract is not None:
        return (f"{bid.organisation.name} entered into a comparable contract reserved for public "
                f"service mutuals with {tender.authority.name} on "
                f"{local_date(contract.signed_at):%-d %B %Y} ({contract.award.tender.title}), "
                "within the 3 years ending with the award day (Procurement Act 2023 s.33).")
    return ""


@transaction.atomic
def bids_apply_reservation(*, tender: Tender, actor,
                           award_day: datetime.date | None = None) -> list[Bid]:
    """Disregard the submitted bids that fail the reservation; return those disregarded now."""
    disregarded = []
    if not tender.is_reserved_for_mutuals:
        return disregarded
    bids = tender.bids.filter(status=Bid.Status.SUBMITTED, disregarded_reason="")
    for bid in bids.select_related("organisation", "tender__authority"):
        reason = reservation_problem(bid=bid, award_day=award_day)
        if not reason:
            continue
        bid.disregarded_reason = reason
        bid.save(update_fields=["disregarded_reason", "updated_at"])
        audit_record(actor=actor, action="bid.disregard", obj=bid,
                     summary=f"Bid from {bid.organisation.name} disregarded (s.33 reservation)",
                     changes={"reason": reason}, organisation_id=tender.authority_id)
        disregarded.append(bid)
    return disregarded
