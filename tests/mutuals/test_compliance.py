"""Mutuals compliance: recognition due for re-confirmation; reserved contracts whose supplier
is no longer recognised."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from compliance import services as compliance
from compliance.models import Finding
from mutuals import services
from tests import factories
from tests.commissioning import evaluation_support as commissioning
from tests.mutuals import support

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def run(check_id: str, day: datetime.date) -> list[Finding]:
    now = datetime.datetime.combine(day, datetime.time(9), tzinfo=LONDON)
    checked = compliance.check_run(check_id=check_id, now=now)
    assert checked.succeeded, checked.error
    return list(Finding.objects.filter(check_id=check_id, status=Finding.Status.OPEN))


def test_reconfirmation_is_flagged_30_days_before_recognition_lapses(mutual_org, mutual_admin):
    support.profile(mutual_org)
    recognition = support.recognise(mutual_org, on=datetime.date(2026, 3, 1))  # until 1 Mar 2027
    check = "mutuals.recognition_reconfirmation_due"
    assert run(check, datetime.date(2027, 1, 29)) == []
    [finding] = run(check, datetime.date(2027, 1, 30))
    assert finding.organisation_id == mutual_org.pk
    assert "lapses on 1 March 2027" in finding.message
    # Asking for re-confirmation resolves it; so would a newer recognition.
    services.recognition_request(actor=mutual_admin, organisation=mutual_org,
                                 definition_key="s33")
    assert run(check, datetime.date(2027, 2, 1)) == []
    assert recognition.pk == Finding.objects.get(check_id=check).object_id


def test_a_newer_recognition_means_nothing_is_due(mutual_org):
    support.profile(mutual_org)
    support.recognise(mutual_org, on=datetime.date(2026, 3, 1))
    support.recognise(mutual_org, on=datetime.date(2027, 2, 15))
    assert run("mutuals.recognition_reconfirmation_due", datetime.date(2027, 2, 16)) == []


def test_a_reserved_contract_whose_supplier_lapsed_is_flagged(authority):
    organisation = support.mutual(name="Lapsing Mutual", on=datetime.date(2026, 1, 10))
    contract = commissioning.past_contract(organisation, authority, datetime.date(2026, 2, 1))
    contract.ends_on = datetime.date(2029, 1, 31)
    contract.save()
    check = "commissioning.reserved_supplier_not_recognised"
    assert run(check, datetime.date(2026, 6, 1)) == []
    [finding] = run(check, datetime.date(2027, 1, 11))
    assert finding.organisation_id == authority.pk
    assert "Lapsing Mutual is no longer recognised" in finding.message
    unreserved = commissioning.past_contract(factories.OrganisationFactory(), authority,
                                             datetime.date(2026, 2, 1), reserved=False)
    assert unreserved.pk not in {f.object_id for f in run(check, datetime.date(2027, 1, 11))}


def test_overdue_milestones_and_stalled_plans_are_flagged(programme_body, officer):
    from mutuals.models import SupportPlan

    lead = factories.UserFactory()
    plan = support.approved_plan(support.scheme(programme_body), lead, officer)
    first = plan.milestones.first()
    assert run("mutuals.milestone_overdue", first.due_on) == []
    [finding] = run("mutuals.milestone_overdue", first.due_on + datetime.timedelta(days=1))
    assert finding.organisation_id == programme_body.pk
    assert "“Options appraisal” was due on" in finding.message
    services.milestone_evidence_submit(actor=lead, milestone=first, note="Done.")
    services.milestone_review(actor=officer, milestone=first, sign_off=True)
    assert run("mutuals.milestone_overdue", first.due_on + datetime.timedelta(days=1)) == []

    plan.refresh_from_db()
    quiet = plan.last_progress_at.date() + datetime.timedelta(days=61)
    [stalled] = run("mutuals.plan_without_progress", quiet)
    assert "nothing has happened on the support plan" in stalled.message
    assert SupportPlan.objects.filter(pk=plan.pk).exists()


def test_applications_close_to_the_subsidy_limit_are_flagged(programme_body, officer):
    from decimal import Decimal

    from mutuals.models import SubsidyDeclaration

    lead = factories.UserFactory()
    application = support.submitted_team_application(support.scheme(programme_body), lead)
    assert run("mutuals.subsidy_headroom_low", datetime.date.today()) == []
    SubsidyDeclaration.objects.create(application=application, provider="Council",
                                      amount=Decimal("290000"),
                                      received_on=datetime.date.today(),
                                      description="Transition funding")
    [finding] = run("mutuals.subsidy_headroom_low", datetime.date.today())
    assert "only 8% of the subsidy control limit is left" in finding.message
