"""Tender fields Find a Tender publishes beyond the core of a release, placed where its OCDS
puts them (OCDS 1.1.5 core fields first, then the extensions Find a Tender declares: the UK
extension, lots, location, second stage description and selection criteria).

- the expected contract period (``tender.contractPeriod``) and the maximum term
  (``durationInMonths``, UK extension);
- the most lots one supplier may win (``tender.lotDetails.maximumLotsAwardedPerSupplier``,
  lots extension);
- where the contract is delivered (``items[].deliveryAddresses[].region``, the ITL 1 code
  Find a Tender uses, and ``items[].deliveryLocations[].description``, location extension);
- a staged competitive flexible procedure as its tender notice describes it (reg 19): the
  process, negotiation and refinement of award criteria (``tender.submissionMethodDetails``),
  the conditions of participation (``tender.eligibilityCriteria``), the selection criteria
  (``tender.selectionCriteria``), the shortlist size (``tender.secondStage``) and the deadline
  for requests to participate (``tender.expressionOfInterestDeadline``, UK extension).

Its rounds are never published on their own (ADR 0022): only what the notice says is here.
"""

from __future__ import annotations

import datetime

from commissioning.models import ProcedureStage, Tender
from core.calendar import LONDON


def _timestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _day(day: datetime.date, moment: datetime.time) -> str:
    return _timestamp(datetime.datetime.combine(day, moment, tzinfo=LONDON))


def contract_period(tender: Tender) -> dict | None:
    period: dict = {}
    if tender.contract_starts_on:
        period["startDate"] = _day(tender.contract_starts_on, datetime.time.min)
    if tender.contract_ends_on:
        period["endDate"] = _day(tender.contract_ends_on, datetime.time(23, 59, 59))
    if tender.max_term_months:
        period["durationInMonths"] = tender.max_term_months
    return period or None


def lot_details(tender: Tender, has_lots: bool) -> dict | None:
    if not has_lots or not tender.max_lots_per_supplier:
        return None
    return {"maximumLotsAwardedPerSupplier": tender.max_lots_per_supplier}


def delivery(tender: Tender) -> dict:
    """What an item says about where the contract is delivered."""
    fields: dict = {}
    if tender.delivery_region:
        address: dict = {"countryName": "United Kingdom"}
        if tender.delivery_region != Tender.Region.UK:
            address["region"] = tender.delivery_region
        fields["deliveryAddresses"] = [address]
    if tender.delivery_location:
        fields["deliveryLocations"] = [{"description": tender.delivery_location}]
    return fields


def staged_procedure(tender: Tender) -> dict:
    """The staged procedure's design, as the tender notice describes it (reg 19)."""
    procedure = getattr(tender, "staged_procedure", None)
    if procedure is None:
        return {}
    process = [procedure.description.strip(),
               "Negotiation may take place." if procedure.negotiation_allowed
               else "There is no negotiation."]
    if procedure.refinement_allowed:
        process.append("The award criteria may be refined (Procurement Act 2023 s.24)"
                       + (f": {procedure.refinement_terms.strip()}"
                          if procedure.refinement_terms.strip() else "."))
    fields: dict = {
        "submissionMethodDetails": " ".join(part for part in process if part),
        "eligibilityCriteria": procedure.conditions_of_participation,
        "selectionCriteria": {"criteria": [{"description": procedure.selection_criteria}]},
        "secondStage": {"minimumCandidates": procedure.min_suppliers,
                        "maximumCandidates": procedure.max_suppliers},
    }
    participation = next((stage for stage in procedure.stages.all()
                          if stage.kind == ProcedureStage.Kind.PARTICIPATION), None)
    if participation is not None and participation.round.deadline:
        fields["expressionOfInterestDeadline"] = _timestamp(participation.round.deadline)
    return fields
