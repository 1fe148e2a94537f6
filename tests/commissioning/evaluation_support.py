"""Helpers for the evaluation, award and contract tests: sealed bids, criteria, scored panels."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from commissioning.models import AwardCriterion, Bid, ScaleDescriptor, Tender
from commissioning.sealing import seal
from commissioning.services.evaluation import ScoreEntry
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf

Kind = AwardCriterion.Kind


def sealed_bid(tender: Tender, *, organisation=None, price: str = "100000.00", lot=None,
               answers: dict | None = None, social_value: list | None = None,
               **organisation_fields) -> Bid:
    """A submitted bid whose content is sealed with the tender's key, as bid_submit leaves it."""
    organisation = organisation or factories.OrganisationFactory(**organisation_fields)
    writer = factories.member(organisation, Role.BID_WRITER)
    payload = {
        "answers": answers or {str(q.pk): f"Our answer to question {q.number}."
                               for q in tender.questions.all()},
        "price": {"total": price, "breakdown": []},
        "social_value": social_value or [],
        "declarations": {"accurate": True, "no_collusion": True},
    }
    return Bid.objects.create(
        tender=tender, lot=lot, organisation=organisation, status=Bid.Status.SUBMITTED,
        sealed_content=seal(tender=tender, payload=payload), submitted_at=timezone.now(),
        created_by=writer)


def with_scale(criterion: AwardCriterion, points=(0, 20, 40, 60, 80, 100)) -> AwardCriterion:
    ScaleDescriptor.objects.bulk_create(
        ScaleDescriptor(criterion=criterion, score=p, descriptor=f"Score {p}") for p in points)
    return criterion


def standard_criteria(tender: Tender, *, quality="60", price="30", social_value="10",
                      pass_fail: bool = False) -> dict[str, AwardCriterion]:
    """Quality, price and social value (and optionally a pass or fail criterion)."""
    criteria = {
        "quality": with_scale(cf.AwardCriterionFactory(
            tender=tender, kind=Kind.QUALITY, name="Quality of service", weight=Decimal(quality))),
        "price": cf.AwardCriterionFactory(tender=tender, kind=Kind.PRICE, name="Price",
                                          weight=Decimal(price)),
        "social_value": with_scale(cf.AwardCriterionFactory(
            tender=tender, kind=Kind.SOCIAL_VALUE, name="Social value",
            weight=Decimal(social_value))),
    }
    if pass_fail:
        criteria["pass_fail"] = cf.AwardCriterionFactory(
            tender=tender, kind=Kind.PASS_FAIL, name="Safeguarding policy", weight=Decimal("0"),
            max_score=1)
    tender.questions.update(criterion=criteria["quality"])
    return criteria


def closed_tender(authority, commissioner, **fields) -> Tender:
    """A published tender whose deadline has passed, with a main CPV code and one question."""
    fields.setdefault("deadline", timezone.now() - timedelta(hours=1))
    tender = cf.TenderFactory(authority=authority, created_by=commissioner, **fields)
    cf.TenderCpvFactory(tender=tender)
    cf.TenderQuestionFactory(tender=tender, number=1)
    return tender


def staff(authority, role=Role.COMMISSIONER):
    return factories.with_totp(factories.member(authority, role))


def open_and_start(tender: Tender, first, second) -> Tender:
    """Two people open the bids; the evaluation starts (the panel must already exist)."""
    from commissioning.services.opening import evaluation_start, opening_confirm, opening_request

    opening_request(tender=tender, actor=first)
    opening_confirm(tender=tender, actor=second)
    evaluation_start(tender=tender, actor=first)
    tender.refresh_from_db()
    return tender


def declare(user, tender: Tender, *conflicted):
    from commissioning.services.evaluation import conflict_declare

    return conflict_declare(tender=tender, actor=user, has_conflict=bool(conflicted),
                            organisations=conflicted,
                            details="I volunteer there." if conflicted else "")


def entries(criteria: dict[str, AwardCriterion], **scores) -> dict[int, ScoreEntry]:
    """ScoreEntry per criterion: quality=80 gives a score, pass_fail=True a pass."""
    result = {}
    for key, value in scores.items():
        criterion = criteria[key]
        if criterion.kind == Kind.PASS_FAIL:
            result[criterion.pk] = ScoreEntry(passed=value, rationale="Policy seen and checked.")
        else:
            result[criterion.pk] = ScoreEntry(score=value, rationale=f"Scored {value}: evidence.")
    return result


def past_contract(organisation, authority, signed_on, *, cpv="85310000-5", reserved=True):
    """A contract the organisation won earlier from the authority (for the s.33 rule)."""
    from commissioning.models import Award, Contract
    from core.calendar import start_of_day

    tender = cf.TenderFactory(authority=authority, status="contracted",
                              is_reserved_for_mutuals=reserved)
    cf.TenderCpvFactory(tender=tender, code=cpv)
    person = factories.UserFactory()
    bid = Bid.objects.create(tender=tender, organisation=organisation,
                             status=Bid.Status.SUBMITTED, created_by=person)
    award = Award.objects.create(tender=tender, bid=bid, value=Decimal("100000"),
                                 proposed_by=person, status=Award.Status.CONTRACTED)
    return Contract.objects.create(
        award=award, value=Decimal("100000"), starts_on=signed_on,
        ends_on=signed_on + timedelta(days=365), signed_at=start_of_day(signed_on)
        + timedelta(hours=12), entered_by=person)


def evaluated_tender(authority, commissioner, *, scores=None, legal_form="cio",
                     **fields) -> dict:
    """A tender whose two bids are scored and moderated; the commissioner has declared.

    Riverside Care (price £80,000) scores 72; Hillside Support (£100,000) scores 82 and wins.
    """
    from commissioning.services.evaluation import evaluator_add, moderation_save, scores_save

    tender = closed_tender(authority, commissioner, **fields)
    criteria = standard_criteria(tender, pass_fail=True)
    evaluator = staff(authority, Role.EVALUATOR)
    evaluator_add(tender=tender, actor=commissioner, user=evaluator, is_moderator=True)
    bids = {"cheap": sealed_bid(tender, price="80000.00", name="Riverside Care",
                                legal_form=legal_form),
            "dear": sealed_bid(tender, price="100000.00", name="Hillside Support",
                               legal_form=legal_form)}
    if tender.is_reserved_for_mutuals:  # both bidders recognised under s.33 before opening
        from tests.mutuals import support as mutual_support

        for bid in bids.values():
            mutual_support.profile(bid.organisation)
            mutual_support.recognise(bid.organisation, key="s33")
    approver = staff(authority, Role.AUTHORITY_ADMIN)
    open_and_start(tender, commissioner, approver)
    for person in (evaluator, commissioner, approver):
        declare(person, tender)
    scores = scores or {"cheap": (60, 60), "dear": (80, 100)}
    for key, (quality, social) in scores.items():
        marks = entries(criteria, quality=quality, social_value=social, pass_fail=True)
        scores_save(bid=bids[key], actor=evaluator, entries=marks, submit=True)
        moderation_save(bid=bids[key], actor=evaluator, entries=marks)
    return {"tender": tender, "criteria": criteria, "evaluator": evaluator,
            "approver": approver, **bids}


def social_value_plan(tender: Tender, actor):
    """A plan with one measure (local hires) attached to the tender; returns the plan measure."""
    from socialvalue.models import Framework, Measure, Outcome, PlanMeasure, Theme
    from socialvalue.services import plan_create

    plan = plan_create(actor=actor, authority=tender.authority)
    framework = Framework.objects.create(name="Test model", version="1", licence="OGL")
    outcome = Outcome.objects.create(
        theme=Theme.objects.create(framework=framework, code="1", name="Jobs"),
        code="1a", name="More local jobs")
    measure = Measure.objects.create(outcome=outcome, code="M1", name="Local hires",
                                     unit=Measure.Unit.PEOPLE)
    tender.social_value_plan = plan
    tender.save(update_fields=["social_value_plan"])
    return PlanMeasure.objects.create(plan=plan, measure=measure, relevance="Local employment")


def commitment_entry(plan_measure, quantity="4") -> dict:
    return {"plan_measure_id": plan_measure.pk, "quantity": quantity, "delivery_plan": "Hire.",
            "owner_name": "Ann Lee", "milestones": "Q1", "method_statement": "Jobcentre.",
            "is_local": True, "is_core_deliverable": False, "deadweight": "0",
            "attribution": "100"}
