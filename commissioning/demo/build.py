"""Demo building blocks: the cast, the pipeline, complete tenders and bids, all via services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from commissioning.demo import content as text
from commissioning.models import AwardCriterion, Bid, BidReceipt, Project, Tender
from commissioning.services import bids as bid_services
from commissioning.services import pipeline
from commissioning.services.criteria import criterion_create, questions_link
from commissioning.services.tender_content import (
    conflicts_assessment_record,
    document_slot_save,
    lot_save,
    tender_cpv_set,
    tender_document_add,
    tender_question_save,
)
from commissioning.services.tender_social_value import tender_social_value_plan_attach
from commissioning.services.tenders import tender_create, tender_publish, tender_set_timeline
from core.sample_files import simple_pdf
from organisations.models import Organisation
from socialvalue.models import Measure
from socialvalue.services import plan_measure_add, plan_update

Kind = AwardCriterion.Kind
VAT = Decimal("1.2")


@dataclass
class Cast:
    """The demo people and organisations, loaded fresh (permission caches live on users)."""

    authority: Organisation
    organisations: dict[str, Organisation]
    commissioner: User
    admin: User
    evaluator: User
    contracts: User

    @classmethod
    def load(cls) -> Cast:
        def person(email: str) -> User:
            return User.objects.get(email=email)

        return cls(
            authority=Organisation.objects.get(name=text.AUTHORITY,
                                               kind=Organisation.Kind.AUTHORITY),
            organisations={name: Organisation.objects.get(name=name) for name in text.BIDDERS},
            commissioner=person("commissioner@example.org"),
            admin=person("authority.admin@example.org"),
            evaluator=person("evaluator@example.org"),
            contracts=person("contracts@example.org"),
        )

    def person(self, email: str) -> User:
        return User.objects.get(email=email)


def pdf_upload(name: str, line: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, simple_pdf(line), content_type="application/pdf")


# -- pipeline --------------------------------------------------------------------------------


def project_with_engagement(cast: Cast, spec: dict) -> Project:
    """A public project in market engagement: an event, a market question answered by a
    provider and a citizen's comment."""
    today, now = timezone.localdate(), timezone.now()
    start, end = spec["months"]
    project = pipeline.project_create(actor=cast.commissioner, authority=cast.authority, data={
        "title": spec["title"], "need": spec["need"], "outcomes": spec["outcomes"],
        "budget": spec["budget"], "starts_on": today + timedelta(days=30 * start),
        "ends_on": today + timedelta(days=30 * end), "is_public": False})
    pipeline.project_start_engagement(actor=cast.commissioner, project=project)
    title, description, days, location = spec["event"]
    pipeline.engagement_event_add(actor=cast.commissioner, project=project, data={
        "title": title, "description": description, "location": location,
        "starts_at": (now + timedelta(days=days)).replace(hour=13, minute=30, second=0,
                                                          microsecond=0)})
    question = pipeline.market_question_add(actor=cast.commissioner, project=project,
                                            text=spec["question"],
                                            closes_at=now + timedelta(days=28))
    responder = cast.organisations[spec["responder"]]
    pipeline.market_response_save(actor=cast.person(text.BIDDERS[spec["responder"]]["user"]),
                                  question=question, organisation=responder,
                                  text=spec["response"])
    pipeline.citizen_comment_add(actor=cast.person(spec["citizen"]), project=project,
                                 text=spec["comment"])
    return project


# -- tenders ---------------------------------------------------------------------------------


def _tender_data(spec: dict) -> dict:
    value = spec["value"]
    starts = timezone.localdate() + timedelta(days=180)
    data = {
        "reference": spec["reference"], "title": spec["title"], "summary": spec["summary"],
        "description": spec.get("description", ""),
        "procedure": spec.get("procedure", Tender.Procedure.OPEN),
        "is_reserved_for_mutuals": spec.get("reserved", False),
        "contract_type": Tender.ContractType.SERVICES,
        "estimated_value_ex_vat": value,  # light touch follows from the CPV codes
        "estimated_value_inc_vat": value * VAT, "max_term_months": spec.get("term", 36),
        "suitable_for_sme": True, "suitable_for_vcse": True,
        # Where and when, and whom to ask, as the public tender page shows them.
        "delivery_region": Tender.Region.NORTH_WEST, "delivery_location": "Across Northshire",
        "contract_starts_on": starts,
        "contract_ends_on": starts + timedelta(days=round(spec.get("term", 36) * 365.25 / 12) - 1),
        "contact_name": "Northshire procurement team",
        "contact_email": "procurement@northshire.example.org",
    }
    if spec.get("lots"):
        data["max_lots_per_supplier"] = 1
        data["lot_limit_rule"] = ("A supplier ranked first in both lots is awarded the lot "
                                  "where the difference between its score and the "
                                  "second-ranked bid is greatest; the other lot goes to the "
                                  "second-ranked bid.")
    return data


def draft_from_project(cast: Cast, project: Project, spec: dict) -> Tender:
    """A first draft started from a pipeline project (not yet ready to publish)."""
    tender = tender_create(actor=cast.commissioner, authority=cast.authority, project=project,
                           data=_tender_data({**spec, "value": project.budget,
                                              "description": project.need}))
    tender_cpv_set(actor=cast.commissioner, tender=tender, codes=[text.LIGHT_TOUCH_CPV],
                   main=text.LIGHT_TOUCH_CPV)
    return tender


def published_tender(cast: Cast, spec: dict, *, deadline_days: int = 35,
                     before_publish=None) -> Tender:
    """A tender built step by step as a commissioner would, then published (tender notice).
    ``before_publish(draft)`` adds what else the notice describes (a procedure's stages)."""
    actor, now = cast.commissioner, timezone.now()
    tender = tender_create(actor=actor, authority=cast.authority, data=_tender_data(spec))
    deadline = timezone.localtime(now + timedelta(days=deadline_days)).replace(
        hour=12, minute=0, second=0, microsecond=0)
    # The CPV codes first: they decide light touch, which the timeline's minimum depends on.
    tender_cpv_set(actor=actor, tender=tender, codes=spec["cpv"], main=spec["cpv"][0])
    tender_set_timeline(actor=actor, tender=tender, deadline=deadline,
                        questions_deadline=deadline - timedelta(days=10))
    for title, description, value in spec.get("lots", []):
        lot_save(actor=actor, tender=tender, data={
            "title": title, "description": description, "estimated_value_ex_vat": value})
    quality_weight, price_weight, social_weight = (Decimal(w) for w in spec["weights"])
    _social_value_plan(cast, tender, spec["measures"], social_weight)
    quality = criterion_create(
        tender=tender, actor=actor, kind=Kind.QUALITY, name="Quality of service",
        weight=quality_weight, description="How well the proposal meets the specification.")
    criterion_create(tender=tender, actor=actor, kind=Kind.PRICE, name="Price",
                     weight=price_weight, description="The total price for the contract term.")
    social = criterion_create(
        tender=tender, actor=actor, kind=Kind.SOCIAL_VALUE, name="Social value",
        weight=social_weight, description="Commitments against the social value plan.")
    criterion_create(tender=tender, actor=actor, kind=Kind.PASS_FAIL,
                     name="Safeguarding policy", weight=Decimal("0"),
                     description="A safeguarding policy reviewed in the last 12 months.")
    questions = [tender_question_save(actor=actor, tender=tender, data={
        "text": f"{title}: {question}", "guidance": "Give examples from services you run.",
        "word_limit": limit}) for title, question, limit in text.QUESTIONS]
    questions.append(tender_question_save(actor=actor, tender=tender, data={
        "text": text.SOCIAL_VALUE_QUESTION, "guidance": "Use the measures of the social value "
        "plan.", "word_limit": 500}))
    questions_link(tender=tender, actor=actor, links={
        questions[0].pk: quality, questions[1].pk: quality, questions[2].pk: social})
    document_slot_save(actor=actor, tender=tender, data={
        "name": "Method statement", "required": True,
        "guidance": "No more than 10 pages, as a PDF: mobilisation plan and staffing."})
    tender_document_add(actor=actor, tender=tender, title="Service specification",
                        uploaded_file=pdf_upload("service-specification.pdf",
                                                 f"{spec['title']}: service specification"))
    conflicts_assessment_record(
        actor=actor, tender=tender,
        summary="Declarations checked for the commissioning team and panel. One officer is a "
                "trustee of a local charity that may bid.",
        mitigations="That officer is not on the evaluation panel and has no access to bids; "
                    "panel members declare again before scoring.")
    if before_publish is not None:
        before_publish(tender)
    return tender_publish(actor=actor, tender=tender)


def _social_value_plan(cast: Cast, tender: Tender, keys: list[str], weight: Decimal) -> None:
    actor = cast.commissioner
    plan = tender_social_value_plan_attach(actor=actor, tender=tender)
    plan_update(actor=actor, plan=plan, weight=weight, question=text.SOCIAL_VALUE_QUESTION)
    for key in keys:
        code, relevance = text.MEASURES[key]
        measure = (Measure.objects.filter(code=code,
                                          outcome__theme__framework__authority__isnull=True)
                   .order_by("-pk").first())
        plan_measure_add(actor=actor, plan=plan, measure=measure, relevance=relevance)
    tender.refresh_from_db()


# -- bids ------------------------------------------------------------------------------------


def _price_lines(total: Decimal) -> list[dict]:
    shares = [("Front-line staff", Decimal("0.68")), ("Volunteer expenses and training",
                                                      Decimal("0.09")),
              ("Transport and venues", Decimal("0.11"))]
    lines = [{"item": item, "amount": (total * share).quantize(Decimal("1"), ROUND_DOWN)}
             for item, share in shares]
    lines.append({"item": "Management and overheads",
                  "amount": total - sum(line["amount"] for line in lines)})
    return lines


def _commitments(tender: Tender, name: str) -> list[dict]:
    voice = text.BIDDERS[name]
    entries = []
    for plan_measure in tender.social_value_plan.measures.select_related("measure"):
        measure = plan_measure.measure
        quantity = (text.SV_QUANTITIES[measure.code] * voice["sv_factor"]).quantize(
            Decimal("0.01"))
        entries.append({
            "plan_measure_id": plan_measure.pk, "quantity": quantity,
            "delivery_plan": f"{measure.name}: delivered evenly over each year of the contract.",
            "owner_name": voice["owner"], "milestones": "Quarterly, from the first quarter.",
            "method_statement": f"Tracked monthly; evidence kept as the catalogue asks: "
                                f"{measure.evidence_required}",
            "is_local": True, "is_core_deliverable": False, "deadweight": Decimal("10"),
            "attribution": Decimal("100")})
    return entries


def bid(cast: Cast, tender: Tender, name: str, *, lot=None, submit: bool = True
        ) -> tuple[Bid, BidReceipt | None]:
    """A bid by one of the demo providers: complete and submitted, or a draft in progress."""
    voice, organisation = text.BIDDERS[name], cast.organisations[name]
    writer = cast.person(voice["user"])
    draft = bid_services.bid_start(tender=tender, organisation=organisation, actor=writer, lot=lot)
    questions = list(tender.questions.order_by("number"))
    for question, answer in zip(questions, voice["answers"], strict=True):
        bid_services.bid_answer_save(bid=draft, question=question, actor=writer,
                                     text=answer.format(title=tender.title))
        if not submit:
            break  # a draft in progress: only the first answer so far
    budget = lot.estimated_value_ex_vat if lot else tender.estimated_value_ex_vat
    total = (budget * voice["price_factor"]).quantize(Decimal("1"))
    bid_services.bid_price_save(bid=draft, total=total, breakdown=_price_lines(total),
                                actor=writer)
    if not submit:
        return draft, None
    bid_services.bid_social_value_save(bid=draft, entries=_commitments(tender, name),
                                       actor=writer)
    for slot in tender.document_slots.all():
        bid_services.bid_file_add(bid=draft, slot=slot, actor=writer, uploaded_file=pdf_upload(
            "method-statement.pdf", f"{organisation.name}: method statement"))
    receipt = bid_services.bid_submit(bid=draft, actor=writer,
                                      declarations={"accurate": True, "no_collusion": True})
    draft.refresh_from_db()
    return draft, receipt
