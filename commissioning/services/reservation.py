"""Contracts reserved for public service mutuals: Procurement Act 2023 s.33, or PCR 2015 reg 77.

Qualification is decided at the moment of the check from recorded facts:

- the contract: every CPV code among the services that can be reserved (reference data in
  `commissioning/data/`), a maximum term with extensions of 5 years or less (3 under reg 77),
  and, under s.33, the competitive flexible procedure;
- the supplier: recognised by a programme officer under the s.33 definition (or the reg 77
  one) on that day, which the mutuals app records from the organisation's evidence;
- no comparable contract (same kind of services, same authority, reserved) entered in the 3
  years ending with the award day, from the portal's own award history and the contracts the
  supplier declared.

Procurements begun before 24 February 2025 follow reg 77; later ones s.33.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from commissioning import reservable
from commissioning.models import Bid, Contract, Tender, TenderCpv
from commissioning.reservable import Regime, regime_for
from core.audit import audit_record
from core.calendar import local_date
from mutuals import selectors as mutuals
from organisations.models import Organisation

COMPARABLE_YEARS = 3
SAME_KIND_DIGITS = 5  # CPV codes sharing their first five digits are the same kind of services


def main_cpv(tender: Tender) -> str:
    cpv = TenderCpv.objects.filter(tender=tender).order_by("-is_main", "id").first()
    return cpv.code if cpv else ""


def contract_problems(tender: Tender) -> list[str]:
    """Why this contract cannot be reserved (empty when it can), in words a commissioner reads."""
    return [*terms_problems(tender), *services_problems(tender)]


def terms_problems(tender: Tender) -> list[str]:
    """The procedure and maximum term the reservation needs (the tender's own fields)."""
    regime = regime_for(tender)
    problems = []
    if regime.needs_competitive_flexible and (
            tender.procedure != Tender.Procedure.COMPETITIVE_FLEXIBLE):
        problems.append("A contract can be reserved for public service mutuals only under the "
                        f"competitive flexible procedure ({regime.citation}).")
    if tender.max_term_months is None or tender.max_term_months > regime.max_term_months:
        problems.append(f"A contract reserved under {regime.citation} must have a maximum term, "
                        f"extensions included, of {regime.max_term_months // 12} years "
                        f"({regime.max_term_months} months) or less: enter the maximum term.")
    return problems


def services_problems(tender: Tender) -> list[str]:
    """CPV codes outside the services that can be reserved (or none entered yet)."""
    regime = regime_for(tender)
    problems = []
    codes = list(TenderCpv.objects.filter(tender=tender).values_list("code", flat=True))
    if not codes:
        problems.append("Add the contract's CPV codes: they show whether its services can be "
                        "reserved.")
    outside = [code for code in codes if reservable.row_for(code, regime.reference) is None]
    if outside:
        problems.append(f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not among "
                        f"the services that can be reserved under {regime.citation} (health, "
                        "social, education, cultural and similar services).")
    return problems


def unverified_basis(tender: Tender) -> list[str]:
    """The tender's CPV codes whose reservability rests on reference rows not yet verified."""
    regime = regime_for(tender)
    codes = TenderCpv.objects.filter(tender=tender).values_list("code", flat=True)
    return [code for code in codes
            if (row := reservable.row_for(code, regime.reference)) is not None
            and row.status[regime.reference] != "verified"]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def comparable_reserved_contract(*, organisation: Organisation, tender: Tender,
                                 award_day: datetime.date) -> Contract | None:
    """A comparable reserved contract the organisation entered on the portal in the 3 years.

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


def _declared_comparable(*, organisation: Organisation, tender: Tender,
                         award_day: datetime.date, regime: Regime):
    kind = main_cpv(tender)[:SAME_KIND_DIGITS]
    if not kind:
        return None
    first_day = _years_before(award_day, COMPARABLE_YEARS) + datetime.timedelta(days=1)
    return mutuals.declared_reserved_contracts(
        organisation_id=organisation.pk, authority_id=tender.authority_id, first_day=first_day,
        last_day=award_day, basis=regime.key).filter(cpv_code__startswith=kind).first()


def supplier_problems(*, organisation: Organisation, tender: Tender,
                      on: datetime.date) -> list[str]:
    """Why the organisation is not a qualifying mutual for this tender on `on` (empty if it is)."""
    regime = regime_for(tender)
    problems = []
    if mutuals.recognised_under(organisation_id=organisation.pk, key=regime.key, on=on) is None:
        problems.append(
            f"{organisation.name} is not recognised as a public service mutual under "
            f"{regime.citation} on {on:%-d %B %Y}. A programme officer recognises an "
            "organisation from the evidence it records (public service purpose, how profits "
            "are used, and employee management and control).")
    contract = comparable_reserved_contract(organisation=organisation, tender=tender,
                                            award_day=on)
    if contract is not None:
        problems.append(
            f"{organisation.name} entered into a comparable contract reserved for public "
            f"service mutuals with {tender.authority.name} on "
            f"{local_date(contract.signed_at):%-d %B %Y} ({contract.award.tender.title}), "
            f"within the 3 years ending with the award day ({regime.citation}).")
    declared = _declared_comparable(organisation=organisation, tender=tender, award_day=on,
                                    regime=regime)
    if declared is not None:
        problems.append(
            f"{organisation.name} declared a comparable contract reserved for mutuals with "
            f"{tender.authority.name}, entered on {declared.entered_on:%-d %B %Y} "
            f"({declared.title}), within the 3 years ending with the award day.")
    return problems


def reservation_problem(*, bid: Bid, award_day: datetime.date | None = None) -> str:
    """Why the bid must be disregarded, or "" (also "" for unreserved tenders)."""
    tender = bid.tender
    if not tender.is_reserved_for_mutuals:
        return ""
    day = award_day or local_date(timezone.now())
    return " ".join(supplier_problems(organisation=bid.organisation, tender=tender, on=day))


@transaction.atomic
def bids_apply_reservation(*, tender: Tender, actor,
                           award_day: datetime.date | None = None) -> list[Bid]:
    """Disregard the submitted bids that fail the reservation; return those disregarded now."""
    disregarded = []
    if not tender.is_reserved_for_mutuals:
        return disregarded
    citation = regime_for(tender).citation
    bids = tender.bids.filter(status=Bid.Status.SUBMITTED, disregarded_reason="")
    for bid in bids.select_related("organisation", "tender__authority"):
        reason = reservation_problem(bid=bid, award_day=award_day)
        if not reason:
            continue
        bid.disregarded_reason = reason
        bid.save(update_fields=["disregarded_reason", "updated_at"])
        audit_record(actor=actor, action="bid.disregard", obj=bid,
                     summary=f"Bid from {bid.organisation.name} disregarded (reserved under "
                             f"{citation})",
                     changes={"reason": reason}, organisation_id=tender.authority_id)
        disregarded.append(bid)
    return disregarded


def supplier_status(*, tender: Tender, organisation: Organisation | None) -> dict | None:
    """What a supplier is shown before bidding on a reserved tender: whether it qualifies today.

    None when the tender is not reserved, or the viewer has no supplier organisation.
    """
    if not tender.is_reserved_for_mutuals or organisation is None or organisation.is_authority:
        return None
    problems = supplier_problems(organisation=organisation, tender=tender,
                                 on=local_date(timezone.now()))
    return {"organisation": organisation, "qualifies": not problems, "problems": problems,
            "citation": regime_for(tender).citation}
