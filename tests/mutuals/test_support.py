"""Support for mutuals: the eligibility screen, the conflict gate, the decision, the plan with
advisory days and milestones, and the grant made through the grants app."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEntry, Notification
from mutuals import services, support_rules
from mutuals.models import (
    AdviceDay,
    Adviser,
    Milestone,
    SubsidyDeclaration,
    SupportApplication,
    SupportPlan,
    SupportScheme,
)
from organisations.models import Role
from tests import factories
from tests.grants import support as grants_support

pytestmark = pytest.mark.django_db
GROWTH = ("We will move from one contract to three by offering reablement to the hospital "
          "trust and day services to two neighbouring councils, hiring twelve care workers "
          "from the local area and training four team leaders in the first year.")


@pytest.fixture
def scheme(programme_body):
    return SupportScheme.objects.create(authority=programme_body, name="Mutuals Support",
                                        summary="Advice and grants for new mutuals.")


@pytest.fixture
def lead(db):
    return factories.UserFactory(email="lead@council.example")


@pytest.fixture
def team_app(scheme, lead):
    council = factories.AuthorityFactory(name="Northby Council")
    return services.application_start(actor=lead, scheme=scheme, kind="team",
                                      team_name="Adult social care team", parent_body=council)


def complete(application, actor, **overrides):
    data = {"in_england": True, "definition_key": "programme", "growth_case": GROWTH,
            "services_and_model": "Home care for 400 people.",
            "transformation_plans": "Staff-led rotas and reablement.",
            "senior_sponsor": "Director of Adult Services", "support_needed": ["legal", "hr"],
            "advisory_days_requested": 10, **overrides}
    return services.application_save(actor=actor, application=application, data=data)


def test_a_team_applies_and_the_screen_explains_every_rule(officer, team_app, lead):
    results = {r.rule: r for r in support_rules.screen(team_app, datetime.date.today())}
    assert not results["england"].passed and not results["growth"].passed
    with pytest.raises(ValidationError) as caught:
        services.application_submit(actor=lead, application=team_app)
    assert any("Based in England" in m for m in caught.value.messages)
    complete(team_app, lead)
    submitted = services.application_submit(actor=lead, application=team_app)
    assert submitted.status == SupportApplication.Status.SUBMITTED
    assert all(r["passed"] for r in submitted.eligibility)
    assert Notification.objects.filter(recipient=officer, subject__contains="MSP-").exists()
    assert Notification.objects.filter(recipient=lead, body__contains=submitted.reference)
    with pytest.raises(ValidationError, match="can no longer change"):
        complete(team_app, lead)


def test_a_team_cannot_ask_for_a_grant(team_app, lead):
    complete(team_app, lead, grant_requested=Decimal("5000"))
    with pytest.raises(ValidationError, match="a grant goes to an organisation"):
        services.application_submit(actor=lead, application=team_app)


@pytest.fixture
def mutual_app(scheme, mutual_org, mutual_admin):
    return services.application_start(actor=mutual_admin, scheme=scheme, kind="mutual",
                                      organisation=mutual_org)


@pytest.mark.parametrize(("trading_since", "first_contract", "passed"), [
    (datetime.date.today() - datetime.timedelta(days=365 * 5 - 10), False, True),
    (datetime.date.today() - datetime.timedelta(days=365 * 5 + 10), False, False),
    (datetime.date.today() - datetime.timedelta(days=365 * 9), True, True),
])
def test_an_existing_mutual_must_be_young_or_on_its_first_contract(
        mutual_app, mutual_admin, trading_since, first_contract, passed):
    mutual_app = complete(mutual_app, mutual_admin, trading_since=trading_since,
                          on_first_contract=first_contract)
    results = {r.rule: r for r in support_rules.screen(mutual_app, datetime.date.today())}
    assert results["stage"].passed is passed


def test_match_funding_and_subsidy_control_are_checked(mutual_app, mutual_admin, scheme):
    mutual_app = complete(mutual_app, mutual_admin, trading_since=datetime.date(2024, 1, 1),
                          grant_requested=Decimal("20000"), match_funding=Decimal("1999.99"))
    today = datetime.date.today()
    results = {r.rule: r for r in support_rules.screen(mutual_app, today)}
    assert not results["match"].passed and "£2,000.00 needed" in results["match"].reason
    services.subsidy_add(actor=mutual_admin, application=mutual_app, data={
        "provider": "County council", "amount": Decimal("295000.01"),
        "received_on": today - datetime.timedelta(days=30), "description": "Loan"})
    SubsidyDeclaration.objects.create(application=mutual_app, provider="Old",
                                      amount=Decimal("100000"),
                                      received_on=today.replace(year=today.year - 3),
                                      description="Outside the look-back")
    mutual_app.refresh_from_db()
    results = {r.rule: r for r in support_rules.screen(mutual_app, today)}
    assert not results["subsidy"].passed  # 295,000.01 + 20,000 > 315,000
    assert "over the limit of £315,000.00" in results["subsidy"].reason


@pytest.fixture
def submitted(team_app, lead):
    complete(team_app, lead)
    return services.application_submit(actor=lead, application=team_app)


def test_the_conflict_gate_hides_the_application_from_a_conflicted_officer(
        client, submitted, officer, programme_body):
    client.force_login(officer)
    page = client.get(f"/mutuals/support/applications/{submitted.pk}/assess/")
    assert GROWTH[:40] not in page.content.decode()
    assert "Before you see the application" in page.content.decode()
    client.post(f"/mutuals/support/applications/{submitted.pk}/assess/",
                {"has_conflict": "yes", "details": "I manage this team."})
    assert client.get(f"/mutuals/support/applications/{submitted.pk}/assess/"
                      ).status_code == 403
    with pytest.raises(PermissionDenied):
        services.application_decide(actor=officer, application=submitted, approve=True,
                                    feedback="Good", advisory_days=5)


def _assess(application, officer, recommendation="support"):
    services.assessment_declare(actor=officer, application=application, has_conflict=False)
    return services.assessment_score(
        actor=officer, application=application,
        scores={"growth_case": 4, "staff_engagement": 5, "deliverability": 3,
                "value_for_money": 4},
        comments={k: "Evidence given." for k in ("growth_case", "staff_engagement",
                                                 "deliverability", "value_for_money")},
        recommendation=recommendation)


def test_scores_are_weighted_and_the_decision_creates_the_plan(submitted, officer, lead):
    assessment = _assess(submitted, officer)
    assert services.support.weighted(assessment) == Decimal("80.0")  # (4*30+5*25+3*25+4*20)/5
    with pytest.raises(ValidationError, match="feedback"):
        services.application_decide(actor=officer, application=submitted, approve=True,
                                    feedback="", advisory_days=5)
    with pytest.raises(ValidationError):
        services.application_decide(actor=officer, application=submitted, approve=True,
                                    feedback="Yes", advisory_days=21)  # over the cap of 20
    decided = services.application_decide(actor=officer, application=submitted, approve=True,
                                          feedback="A strong case.", advisory_days=8)
    plan = decided.plan
    assert [m.key for m in plan.milestones.all()][:2] == ["options_appraisal", "service_review"]
    assert plan.milestones.count() == 8
    assert Notification.objects.filter(recipient=lead, body__contains="A strong case.").exists()
    assert AuditEntry.objects.filter(action="mutual_support.approved").exists()


def test_a_decision_needs_a_scored_assessment(submitted, officer):
    services.assessment_declare(actor=officer, application=submitted, has_conflict=False)
    with pytest.raises(ValidationError, match="Score the application"):
        services.application_decide(actor=officer, application=submitted, approve=False,
                                    feedback="No")


@pytest.fixture
def plan(submitted, officer):
    _assess(submitted, officer)
    return services.application_decide(actor=officer, application=submitted, approve=True,
                                       feedback="Agreed.", advisory_days=6).plan


@pytest.fixture
def adviser(scheme):
    user = factories.UserFactory(email="adviser@law.example")
    return Adviser.objects.create(scheme=scheme, user=user, firm="Hempsons-like LLP",
                                  specialisms=["legal", "hr"], day_rate=Decimal("900"))


def test_advisers_log_days_within_their_allocation_and_the_team_signs_them_off(
        plan, officer, adviser, lead):
    with pytest.raises(ValidationError, match="not approved for that kind"):
        services.adviser_allocate(actor=officer, plan=plan, adviser=adviser,
                                  specialism="finance", days=Decimal("2"))
    with pytest.raises(ValidationError, match="6 advisory days"):
        services.adviser_allocate(actor=officer, plan=plan, adviser=adviser,
                                  specialism="legal", days=Decimal("7"))
    allocation = services.adviser_allocate(actor=officer, plan=plan, adviser=adviser,
                                           specialism="legal", days=Decimal("1.5"))
    day = services.advice_day_log(actor=adviser.user, allocation=allocation,
                                  worked_on=datetime.date.today(), days=Decimal("1"),
                                  summary="Options appraisal workshop.")
    with pytest.raises(ValidationError, match="1.5 days were allocated"):
        services.advice_day_log(actor=adviser.user, allocation=allocation,
                                worked_on=datetime.date.today(), days=Decimal("1"),
                                summary="Too much.")
    with pytest.raises(PermissionDenied):
        services.advice_day_log(actor=lead, allocation=allocation,
                                worked_on=datetime.date.today(), days=Decimal("0.5"),
                                summary="Not an adviser.")
    with pytest.raises(PermissionDenied):
        services.advice_day_review(actor=adviser.user, day=day, sign_off=True)
    services.advice_day_review(actor=lead, day=day, sign_off=True)
    assert AdviceDay.objects.get().status == AdviceDay.Status.SIGNED_OFF


def test_milestones_need_evidence_and_an_officer_signs_them_off(plan, officer, lead):
    first = plan.milestones.first()
    with pytest.raises(ValidationError):
        services.milestone_evidence_submit(actor=lead, milestone=first, note="")
    services.milestone_evidence_submit(actor=lead, milestone=first,
                                       note="Options appraisal agreed by the board.")
    with pytest.raises(PermissionDenied):
        services.milestone_review(actor=lead, milestone=first, sign_off=True)
    with pytest.raises(ValidationError, match="Say what more is needed"):
        services.milestone_review(actor=officer, milestone=first, sign_off=False)
    services.milestone_review(actor=officer, milestone=first, sign_off=True)
    first.refresh_from_db()
    assert first.status == Milestone.Status.SIGNED_OFF
    for milestone in plan.milestones.exclude(pk=first.pk):
        services.milestone_evidence_submit(actor=lead, milestone=milestone, note="Done.")
        services.milestone_review(actor=officer, milestone=milestone, sign_off=True)
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.COMPLETED


def test_the_grant_is_a_direct_award_through_the_grants_app(scheme, mutual_org, mutual_admin,
                                                            officer, programme_body):
    manager = factories.with_totp(factories.member(programme_body, Role.GRANT_MANAGER))
    programme = grants_support.programme(programme_body, manager)
    scheme.grants_round = grants_support.published_round(
        programme, manager, kind="direct", min_amount=Decimal("1000"),
        max_amount=Decimal("25000"), eligible_legal_forms=["society"])
    scheme.save()
    application = services.application_start(actor=mutual_admin, scheme=scheme, kind="mutual",
                                              organisation=mutual_org)
    complete(application, mutual_admin, trading_since=datetime.date(2024, 1, 1),
             grant_requested=Decimal("15000"), match_funding=Decimal("1500"))
    services.application_submit(actor=mutual_admin, application=application)
    _assess(application, officer)
    plan = services.application_decide(actor=officer, application=application, approve=True,
                                       feedback="Agreed.", advisory_days=4,
                                       grant_amount=Decimal("15000")).plan
    with pytest.raises(PermissionDenied):
        services.support_grant_make(actor=officer, plan=plan)  # a grant manager makes grants
    plan = services.support_grant_make(actor=manager, plan=plan)
    award = plan.grant_award
    assert award.recipient == mutual_org and award.amount_awarded == Decimal("15000")
    assert award.round == scheme.grants_round
    with pytest.raises(ValidationError, match="already been made"):
        services.support_grant_make(actor=manager, plan=plan)


def test_withdrawal_before_a_decision(submitted, lead):
    services.application_withdraw(actor=lead, application=submitted)
    submitted.refresh_from_db()
    assert submitted.status == SupportApplication.Status.WITHDRAWN
    assert timezone.now()
