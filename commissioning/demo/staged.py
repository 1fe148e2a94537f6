"""Demo: a two-stage competitive flexible procedure, through the services.

Participation (three requests, opened by two people) -> a shortlist of 3, each told why -> a
negotiation round (initial tenders opened, a meeting minuted, the award criteria refined as
the notice allowed) -> final tenders open, one already submitted. Each supplier keeps its core
information once and confirms it before each submission. Idempotent on the reference.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from commissioning.demo import content as text
from commissioning.demo.build import Cast, bid, published_tender
from commissioning.models import Bid, BidReceipt, Opening, ProcedureStage, Tender
from commissioning.services import bids as bid_services
from commissioning.services import stages as services
from commissioning.services import supplier_information as information
from commissioning.services.clarifications import clarification_answer, clarification_ask
from commissioning.services.opening import opening_confirm, opening_request
from commissioning.services.tender_content import tender_question_save

SPEC = {
    "reference": "NSH-2026-030", "title": "Community connectors and social prescribing",
    "summary": "Link workers who help people with long-term conditions or loneliness find "
               "community groups, advice and activity, designed with providers in stages.",
    "description": "Referrals from GPs and social workers across the county; the model of "
                   "service is developed with the shortlisted providers in a negotiation round.",
    "procedure": Tender.Procedure.COMPETITIVE_FLEXIBLE,
    "cpv": [text.LIGHT_TOUCH_CPV], "value": Decimal("900000.00"), "term": 36, "light_touch": True,
    "measures": ["local_jobs", "volunteering"], "weights": (60, 25, 15),
}
DESIGN = {
    "description": "Stage 1: requests to participate against the conditions of participation. "
                   "Stage 2: a negotiation round on initial tenders, with one meeting per "
                   "supplier. Stage 3: final tenders, evaluated against the award criteria.",
    "conditions_of_participation": "Experience of delivering a community-based service for "
                                   "adults; employer's liability insurance of £5m.",
    "selection_criteria": "Experience of comparable services (60%); local partnerships and "
                          "reach (40%). Up to 3 suppliers are shortlisted.",
    "min_suppliers": 2, "max_suppliers": 3, "negotiation_allowed": True,
    "refinement_allowed": True,
    "refinement_terms": "After the negotiation round, the quality sub-criteria may be refined; "
                        "the weightings of the main criteria do not change.",
}
CORE = {
    text.RIVERSIDE: ("Riverside Community Trust", "1098765", "12 Quay Street, Northby",
                     "Priya Shah, chair of trustees\nOwen Hughes, chief executive"),
    text.MUTUAL: ("Northshire Care Mutual Ltd", "RS008123", "The Old Depot, Southby",
                  "Jo Evans, chair\nTom Reid, managing director"),
    text.BRIGHTWAY: ("Brightway Services Limited", "04567890", "1 Capital Square, Leeds",
                     "Brightway Holdings plc, parent company\nGary Stone, director"),
}
REQUEST = ("We run social prescribing in two neighbouring counties and link with 140 community "
           "groups in Northshire.")


def seed(cast: Cast) -> Tender | None:
    if Tender.objects.filter(authority=cast.authority, reference=SPEC["reference"]).exists():
        return None
    procedure_holder = {}
    tender = published_tender(cast, SPEC, deadline_days=60,
                              before_publish=lambda draft: _design(cast, draft,
                                                                   procedure_holder))
    procedure, participation = procedure_holder["procedure"], procedure_holder["stage"]
    services.stage_open(actor=cast.commissioner, stage=participation)
    for name in CORE:
        _keep_information(cast, name)
        _submit(cast, participation.round, name, price=False)
    _close_and_open(cast, participation.round, days_ago=20)
    for request in Bid.objects.filter(tender=participation.round):
        services.shortlist_decide(
            actor=cast.commissioner, procedure=procedure, request=request, included=True,
            reasons="Meets the conditions of participation; strong on comparable services "
                    "and on local partnerships.")
    services.shortlist_publish(actor=cast.commissioner, procedure=procedure)
    negotiation = services.stage_add(actor=cast.commissioner, procedure=procedure,
                                     kind=ProcedureStage.Kind.NEGOTIATION,
                                     title="Negotiation round 1",
                                     deadline=timezone.now() + timedelta(days=20))
    tender_question_save(actor=cast.commissioner, tender=negotiation.round, data={
        "text": "Your initial tender: the service model, staffing and how it will grow.",
        "guidance": "We will discuss it with you in a meeting.", "word_limit": 1000})
    services.stage_open(actor=cast.commissioner, stage=negotiation)
    question = clarification_ask(
        actor=cast.person(text.BIDDERS[text.MUTUAL]["user"]), tender=negotiation.round,
        organisation=cast.organisations[text.MUTUAL],
        question="May the initial tender propose a phased start, area by area?")
    clarification_answer(actor=cast.commissioner, clarification=question, answer=(
        "Yes. Say which areas start first and when; we will discuss the phasing with each "
        "supplier in the meetings of this round."))
    for name in CORE:
        _submit(cast, negotiation.round, name, price=True)
    _close_and_open(cast, negotiation.round, days_ago=7)
    services.meeting_record(
        actor=cast.commissioner, stage=negotiation, organisation=cast.organisations[
            text.RIVERSIDE], held_at=timezone.now() - timedelta(days=5),
        attendees="Two commissioners; Riverside's chief executive and service lead",
        minutes="Discussed weekend cover, the referral route from pharmacies and a phased "
                "start in Southby.")
    services.refinement_record(
        actor=cast.commissioner, procedure=procedure, after_stage=negotiation,
        description="Quality sub-criterion added: reach into rural villages (10 of the 60 "
                    "quality points).")
    _final_tender(cast, tender, text.RIVERSIDE)
    return tender


def _final_tender(cast: Cast, tender: Tender, name: str) -> None:
    """A final tender like any demo bid (answers, price, social value, files), its core
    information confirmed first."""
    writer = cast.person(text.BIDDERS[name]["user"])
    draft = bid_services.bid_start(tender=tender, organisation=cast.organisations[name],
                                   actor=writer)
    information.supplier_information_confirm(actor=writer, bid=draft)
    bid(cast, tender, name)


def _design(cast: Cast, draft: Tender, holder: dict) -> None:
    procedure = services.procedure_design(actor=cast.commissioner, tender=draft, data=DESIGN)
    stage = services.stage_add(actor=cast.commissioner, procedure=procedure,
                               kind=ProcedureStage.Kind.PARTICIPATION,
                               title="Request to participate",
                               deadline=timezone.now() + timedelta(days=25))
    tender_question_save(actor=cast.commissioner, tender=stage.round, data={
        "text": "Describe comparable services you have run and your local partnerships.",
        "guidance": "Against the selection criteria.", "word_limit": 500})
    holder.update(procedure=procedure, stage=stage)


def _keep_information(cast: Cast, name: str) -> None:
    legal, number, address, persons = CORE[name]
    information.supplier_information_save(
        actor=cast.person(text.BIDDERS[name]["user"]), organisation=cast.organisations[name],
        data={"legal_name": legal, "company_number": number, "registered_address": address,
              "connected_persons": persons, "mandatory_applies": False,
              "discretionary_applies": False,
              "economic_standing": "Turnover above £1m in each of the last two years."})


def _submit(cast: Cast, tender: Tender, name: str, *, price: bool) -> Bid:
    writer = cast.person(text.BIDDERS[name]["user"])
    bid = bid_services.bid_start(tender=tender, organisation=cast.organisations[name],
                                 actor=writer)
    for question in tender.questions.all():
        bid_services.bid_answer_save(bid=bid, question=question, actor=writer, text=REQUEST)
    if price:
        total = (SPEC["value"] * text.BIDDERS[name]["price_factor"]).quantize(Decimal("1"))
        bid_services.bid_price_save(bid=bid, total=total, actor=writer,
                                    breakdown=[{"item": "The whole service", "amount": total}])
    information.supplier_information_confirm(actor=writer, bid=bid)
    bid_services.bid_submit(bid=bid, actor=writer,
                            declarations={"accurate": True, "no_collusion": True})
    return bid


def _close_and_open(cast: Cast, round_tender: Tender, *, days_ago: int) -> None:
    """Demo only: the round's deadline moved into the past (it stays unpublished), then the
    two-person opening."""
    deadline = timezone.now() - timedelta(days=days_ago)
    Tender.objects.filter(pk=round_tender.pk).update(deadline=deadline,
                                                     questions_deadline=deadline)
    moment = deadline - timedelta(hours=6)
    Bid.objects.filter(tender=round_tender).update(submitted_at=moment)
    BidReceipt.objects.filter(bid__tender=round_tender).update(received_at=moment,
                                                              recorded_at=moment)
    round_tender.refresh_from_db()
    opening_request(tender=round_tender, actor=cast.commissioner)
    opening_confirm(tender=round_tender, actor=cast.admin)
    Opening.objects.filter(tender=round_tender).update(
        requested_at=deadline + timedelta(hours=20), confirmed_at=deadline + timedelta(hours=21))
