"""Helpers for the staged-procedure tests: a competitive flexible procedure built through the
services (design, publication, a participation stage, requests, opening, shortlist)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from commissioning.models import Bid, ProcedureStage, StagedProcedure, Tender
from commissioning.services import bids as bid_services
from commissioning.services import stages as services
from commissioning.services import supplier_information as information
from commissioning.services.opening import opening_confirm, opening_request
from commissioning.services.tenders import tender_publish
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf

DESIGN = {
    "description": "Stage 1: requests to participate. Stage 2: a negotiation round with initial "
                   "tenders. Stage 3: final tenders.",
    "conditions_of_participation": "Registered with the CQC; £5m public liability insurance.",
    "selection_criteria": "Experience of comparable services (50%), capacity (50%).",
    "min_suppliers": 3, "max_suppliers": 3, "negotiation_allowed": True,
    "refinement_allowed": True,
    "refinement_terms": "Sub-criteria of quality may be refined after the negotiation round.",
}

INFORMATION = {"legal_name": "Riverside Care CIC", "trading_name": "Riverside Care",
               "company_number": "09876543", "registered_address": "1 High Street, Leeds",
               "connected_persons": "Asha Patel, director\nTom Reed, director",
               "mandatory_applies": False, "discretionary_applies": False,
               "economic_standing": "Turnover £2.1m (2025), £1.9m (2024)."}


@dataclass
class Staged:
    tender: Tender
    procedure: StagedProcedure
    participation: ProcedureStage
    commissioner: object
    colleague: object
    suppliers: list = field(default_factory=list)  # (organisation, writer)
    requests: list = field(default_factory=list)


def supplier(name: str = "") -> tuple:
    organisation = factories.OrganisationFactory(**({"name": name} if name else {}))
    return organisation, factories.member(organisation, Role.BID_WRITER)


def keep_information(organisation, writer, **changes):
    data = {**INFORMATION, "legal_name": f"{organisation.name} Ltd", **changes}
    return information.supplier_information_save(actor=writer, organisation=organisation,
                                                 data=data)


def designed(authority, commissioner, *, final_days: int = 40, **design) -> Staged:
    """A published CFP with a participation stage (one question) open for requests."""
    tender = cf.publishable_tender(authority=authority, created_by=commissioner,
                                   procedure=Tender.Procedure.COMPETITIVE_FLEXIBLE,
                                   deadline=timezone.now() + timedelta(days=final_days))
    procedure = services.procedure_design(actor=commissioner, tender=tender,
                                          data={**DESIGN, **design})
    participation = services.stage_add(
        actor=commissioner, procedure=procedure, kind=ProcedureStage.Kind.PARTICIPATION,
        title="Request to participate", deadline=timezone.now() + timedelta(days=10))
    cf.TenderQuestionFactory(tender=participation.round, number=1,
                             text="Describe comparable services you run.")
    tender_publish(actor=commissioner, tender=tender)
    services.stage_open(actor=commissioner, stage=participation)
    colleague = factories.with_totp(factories.member(authority, Role.COMMISSIONER))
    tender.refresh_from_db()
    procedure.refresh_from_db()
    return Staged(tender=tender, procedure=procedure, participation=participation,
                  commissioner=commissioner, colleague=colleague)


def submit(tender: Tender, organisation, writer, *, answer: str = "We run two services.",
           price: bool = True) -> Bid:
    """Start, fill, confirm core information and submit a bid or request on a tender row."""
    bid = bid_services.bid_start(tender=tender, organisation=organisation, actor=writer)
    for question in tender.questions.all():
        bid_services.bid_answer_save(bid=bid, question=question, actor=writer, text=answer)
    if price:
        from decimal import Decimal

        bid_services.bid_price_save(bid=bid, total=Decimal("300000.00"), actor=writer,
                                    breakdown=[{"item": "Staff", "amount": Decimal("300000.00")}])
    bid_services.bid_declarations_save(bid=bid, actor=writer,
                                       declarations={"accurate": True, "no_collusion": True})
    information.supplier_information_confirm(actor=writer, bid=bid)
    bid_services.bid_submit(bid=bid, actor=writer)
    bid.refresh_from_db()
    return bid


def close(tender: Tender) -> None:
    """Time passes: the deadline of the tender row is now behind us."""
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    tender.refresh_from_db()


def open_round(staged: Staged, tender: Tender) -> None:
    close(tender)
    opening_request(tender=tender, actor=staged.commissioner)
    opening_confirm(tender=tender, actor=staged.colleague)
    tender.refresh_from_db()


def with_requests(staged: Staged, count: int = 4) -> Staged:
    for index in range(count):
        organisation, writer = supplier(f"Supplier {index + 1} {staged.tender.pk}")
        keep_information(organisation, writer)
        staged.suppliers.append((organisation, writer))
        staged.requests.append(submit(staged.participation.round, organisation, writer,
                                      price=False))
    return staged


def shortlisted(staged: Staged, included: int = 3) -> Staged:
    """Requests opened by two people, the first `included` shortlisted, the list published."""
    open_round(staged, staged.participation.round)
    for index, request in enumerate(staged.requests):
        services.shortlist_decide(
            actor=staged.commissioner, procedure=staged.procedure, request=request,
            included=index < included,
            reasons="Meets both criteria well." if index < included
            else "Capacity evidence was weaker than the other requests.")
    services.shortlist_publish(actor=staged.commissioner, procedure=staged.procedure)
    staged.procedure.refresh_from_db()
    return staged


def negotiation(staged: Staged, days: int = 20) -> ProcedureStage:
    stage = services.stage_add(actor=staged.commissioner, procedure=staged.procedure,
                               kind=ProcedureStage.Kind.NEGOTIATION,
                               title="Negotiation round 1",
                               deadline=timezone.now() + timedelta(days=days))
    cf.TenderQuestionFactory(tender=stage.round, number=1, text="Your initial tender.")
    services.stage_open(actor=staged.commissioner, stage=stage)
    stage.round.refresh_from_db()
    return stage
