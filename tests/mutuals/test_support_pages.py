"""Support pages as every role: who may see and do what, and the pages a person uses."""

import datetime
from decimal import Decimal

import pytest

from mutuals import services
from mutuals.models import Adviser, Milestone, SupportApplication
from organisations.models import Role
from tests import factories
from tests.mutuals import support

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(programme_body, officer):
    scheme = support.scheme(programme_body)
    lead = factories.UserFactory(email="lead@team.example")
    plan = support.approved_plan(scheme, lead, officer)
    adviser = Adviser.objects.create(scheme=scheme, user=factories.UserFactory(),
                                     firm="Advice LLP", specialisms=["legal"],
                                     day_rate=Decimal("700"))
    allocation = services.adviser_allocate(actor=officer, plan=plan, adviser=adviser,
                                           specialism="legal", days=Decimal("2"))
    day = services.advice_day_log(actor=adviser.user, allocation=allocation,
                                  worked_on=datetime.date.today(), days=Decimal("1"),
                                  summary="Governance workshop.")
    draft = services.application_start(actor=lead, scheme=scheme, kind="team",
                                       team_name="Second team", parent_body=programme_body)
    other_admin = factories.member(factories.OrganisationFactory(), Role.PROVIDER_ADMIN)
    other_officer = factories.with_totp(factories.member(factories.AuthorityFactory(),
                                                         Role.PROGRAMME_OFFICER))
    return {"lead": lead, "officer": officer, "adviser": adviser.user,
            "other_admin": other_admin, "other_officer": other_officer, "anonymous": None,
            "plan": plan, "application": plan.application, "draft": draft,
            "allocation": allocation, "day": day, "milestone": plan.milestones.first()}


def _pages(w):
    app, plan = w["application"].pk, w["plan"].pk
    return {
        "application": f"/mutuals/support/applications/{app}/",
        "draft_answers": f"/mutuals/support/applications/{w['draft'].pk}/answers/",
        "draft_subsidy": f"/mutuals/support/applications/{w['draft'].pk}/subsidies/add/",
        "assess": f"/mutuals/support/applications/{app}/assess/",
        "plan": f"/mutuals/support/plans/{plan}/",
        "allocate": f"/mutuals/support/plans/{plan}/allocate/",
        "log": f"/mutuals/support/allocations/{w['allocation'].pk}/log/",
        "review_day": f"/mutuals/support/advice/{w['day'].pk}/review/",
        "milestone": f"/mutuals/support/milestones/{w['milestone'].pk}/",
    }


ALLOWED = {  # the rest answer 403 (or, signed out, send to sign in)
    "lead": {"application", "draft_answers", "draft_subsidy", "plan", "review_day",
             "milestone"},
    "officer": {"application", "plan", "allocate", "milestone", "assess"},
    "adviser": {"plan", "log", "milestone"},
    "other_admin": set(),
    "other_officer": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_support_permission_matrix(client, world, role):
    user = world[role]
    if user is not None:
        client.force_login(user)
    for name, url in _pages(world).items():
        status = client.get(url).status_code
        if role == "officer" and name == "assess":
            assert status == 302, status  # decided already: back to the application
        elif name in ALLOWED[role]:
            assert status == 200, (role, name, status)
        elif user is None:
            assert status == 302, (role, name, status)
        else:
            assert status == 403, (role, name, status)


def test_lists_show_each_person_only_their_own(client, world):
    for role, expected in (("lead", 2), ("officer", 1), ("other_admin", 0),
                           ("other_officer", 0)):
        client.force_login(world[role])
        page = client.get("/mutuals/support/applications/").content.decode()
        count = page.count("/mutuals/support/applications/") - page.count(
            'href="/mutuals/support/applications/"')
        assert count == expected, (role, count)


def test_the_team_applies_through_the_pages(client, programme_body, officer):
    scheme = support.scheme(programme_body)
    lead = factories.UserFactory()
    client.force_login(lead)
    assert "Apply for support" in client.get("/mutuals/support/").content.decode()
    response = client.post(f"/mutuals/support/schemes/{scheme.pk}/apply/", {"kind": "team"})
    assert "Enter your team" in response.content.decode()
    response = client.post(f"/mutuals/support/schemes/{scheme.pk}/apply/", {
        "kind": "team", "team_name": "Libraries team", "parent_body": programme_body.pk})
    application = SupportApplication.objects.get(team_name="Libraries team")
    assert response.status_code == 302
    sent = client.post(f"/mutuals/support/applications/{application.pk}/submit/", follow=True)
    assert "Based in England" in sent.content.decode()
    application.refresh_from_db()
    assert application.status == SupportApplication.Status.DRAFT
    response = client.post(f"/mutuals/support/applications/{application.pk}/answers/", {
        "in_england": "on", "definition_key": "programme", "growth_case": support.GROWTH,
        "services_and_model": "Libraries", "england_share_percent": "100",
        "transformation_plans": "Community-run branches", "senior_sponsor": "Director",
        "support_needed": ["legal"], "advisory_days_requested": "5"})
    assert response.status_code == 302
    client.post(f"/mutuals/support/applications/{application.pk}/submit/")
    application.refresh_from_db()
    assert application.status == SupportApplication.Status.SUBMITTED


def test_a_milestone_page_takes_evidence_then_a_sign_off(client, world):
    milestone = world["milestone"]
    client.force_login(world["lead"])
    response = client.post(f"/mutuals/support/milestones/{milestone.pk}/",
                           {"evidence-note": "The appraisal chose a society."})
    assert response.status_code == 302
    client.force_login(world["officer"])
    response = client.post(f"/mutuals/support/milestones/{milestone.pk}/",
                           {"review-decision": "accept", "review-reason": ""})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.SIGNED_OFF
