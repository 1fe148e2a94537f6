"""Grants test support: a programme, rounds in each shape, applicants and filled applications."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from grants.models import Criterion, Programme, Question, Round
from grants.services import applications as app_services
from grants.services.programmes import round_publish
from organisations.models import Role
from socialvalue.models import Framework, Measure, Outcome, Theme
from tests import factories

DAY = datetime.timedelta(days=1)


def measure(code: str = "G1") -> Measure:
    framework, _ = Framework.objects.get_or_create(
        authority=None, name="Grants test measures", version="1", defaults={"licence": "OGL"})
    theme, _ = Theme.objects.get_or_create(framework=framework, code="C",
                                           defaults={"name": "Communities"})
    outcome, _ = Outcome.objects.get_or_create(theme=theme, code="C1",
                                               defaults={"name": "Stronger communities"})
    found, _ = Measure.objects.get_or_create(outcome=outcome, code=code, defaults={
        "name": f"Volunteering hours {code}", "unit": Measure.Unit.HOURS})
    return found


def programme(authority, manager, **fields) -> Programme:
    defaults = dict(
        title="Communities Fund", code=f"CF{Programme.objects.count() + 1}",
        summary="Grants for community groups.", objectives="Stronger neighbourhoods.",
        outcomes="More volunteering.", total_budget=Decimal("1000000"),
        ggis_scheme_id="GGIS-1234", instruments=["revenue", "capital", "repayable"],
        senior_officer="Director of Communities", business_case="The case for the fund.",
        business_case_approved_by="Cabinet", business_case_approved_on=datetime.date(2026, 1, 5),
        risk_assessment="Low risk.", fraud_risk_assessed_on=datetime.date(2026, 1, 5),
        performance_measures="Hours volunteered.", status="active")
    return Programme.objects.create(authority=authority, created_by=manager,
                                    **{**defaults, **fields})


def draft_round(prog: Programme, manager, *, two_stage: bool = False, kind: str = "open",
                **fields) -> Round:
    now = timezone.now()
    defaults = dict(
        title="Neighbourhood grants 2027", summary="Up to £50,000 for local groups.",
        description="What we fund.", who_can_apply="Registered charities in Leeds.",
        how_to_apply="Apply online.", kind=kind, instrument="revenue",
        is_two_stage=two_stage, budget=Decimal("200000"), min_amount=Decimal("1000"),
        max_amount=Decimal("50000"), opens_at=now - DAY, closes_at=now + 10 * DAY,
        full_closes_at=(now + 30 * DAY) if two_stage else None,
        eligible_legal_forms=["cio", "charity", "cic"], eligible_postcode_areas=["LS"],
        max_annual_income=Decimal("500000"), require_registration=True,
        agreement_terms="Spend only on the funded activities.", reporting_every_months=6,
        direct_award_justification="Only provider able to deliver." if kind == "direct" else "")
    round_ = Round.objects.create(programme=prog, created_by=manager, **{**defaults, **fields})
    Criterion.objects.create(round=round_, number=1, title="Need", weight=60,
                             descriptors="5: clear need")
    Criterion.objects.create(round=round_, number=2, title="Delivery", weight=40,
                             descriptors="5: strong plan")
    stages = ["eoi", "full"] if two_stage else ["full"]
    for stage in stages:
        Question.objects.create(round=round_, stage=stage, section="Your project", number=1,
                                kind="text", label="What will you do?", word_limit=50)
    Question.objects.create(round=round_, stage="full", section="Budget", number=2,
                            kind="budget", label="Your budget")
    Question.objects.create(round=round_, stage="full", section="Outcomes", number=3,
                            kind="outcomes", label="Outcomes you will deliver")
    return round_


def published_round(prog, manager, **kwargs) -> Round:
    return round_publish(actor=manager, round_=draft_round(prog, manager, **kwargs),
                         justifications={"mr5_competition": "Test"})


def applicant(**fields):
    org = factories.OrganisationFactory(postcode="LS6 1AA", **fields)
    return org, factories.member(org, Role.PROVIDER_ADMIN)


def fill(application, user, *, amount: Decimal = Decimal("20000")):
    """Answer every question of the application's stage correctly."""
    app_services.application_details_save(actor=user, application=application, data={
        "project_title": "Youth club", "project_summary": "Evening sessions for teenagers.",
        "amount_requested": amount, "annual_income": Decimal("120000"),
        "beneficiary_postcode": "LS6 2AB"})
    values = {}
    for question in application.round.questions.filter(stage=application.stage):
        values[question.pk] = {
            "text": "We will run a youth club.",
            "budget": {"rows": [{"item": "Staff", "amount": str(amount)}], "total": str(amount)},
            "outcomes": [{"measure": measure().pk, "target": "500"}],
        }[question.kind]
    app_services.application_answers_save(actor=user, application=application, values=values)
    application.refresh_from_db()
    return application
