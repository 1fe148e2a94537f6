"""Every grants page renders for the people who use it, through the real services."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.services import applications as apps
from grants.services import assessment, awards, monitoring, payments
from tests.grants import support

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"grants:{name}", args=args)


@pytest.fixture
def world(open_round, manager, second_manager, assessor):
    """An application decided and awarded, with an accepted agreement and one payment."""
    org, user = support.applicant()
    application = apps.application_start(actor=user, round_=open_round, organisation=org)
    support.fill(application, user)
    apps.application_submit(actor=user, application=application)
    apps.application_screen(actor=manager, application=application, eligible=True)
    assessment.assessor_assign(actor=manager, round_=open_round, assessor=assessor)
    assessment.conflicts_declare(actor=assessor, round_=open_round, conflicts={})
    assessment.assessment_save(
        actor=assessor, application=application, recommendation="fund", comments="Good",
        submit=True, scores={c.pk: {"score": 5, "comment": "Yes"}
                             for c in open_round.criteria.all()})
    decision = assessment.decision_record(actor=manager, application=application,
                                          outcome="fund", rationale="Good", feedback="Well done",
                                          amount=Decimal("15000"))
    assessment.decision_approve(actor=second_manager, decision=decision)
    today = timezone.localdate()
    award = awards.award_make(actor=manager, application=application, planned_start=today,
                              planned_end=today + datetime.timedelta(days=400),
                              conditions=["Safeguarding policy sent"])
    awards.agreement_accept(actor=user, award=award, name="Jo Bloggs", position="Chair")
    payments.instalment_schedule(actor=manager, award=award, amount=Decimal("5000"),
                                 due_on=today, milestone="Start")
    monitoring.variation_propose(actor=manager, award=award, reason="Longer",
                                 changes={"planned_end": today + datetime.timedelta(days=500)})
    application.refresh_from_db()
    award.refresh_from_db()
    return {"application": application, "award": award, "user": user, "org": org,
            "round": open_round}


def test_public_pages(client, world):
    round_, award = world["round"], world["award"]
    for path in [url("round_list"), url("round_feed"), url("round_detail", round_.pk),
                 url("round_check", round_.pk), url("awarded_list"),
                 url("programme_public", award.programme_id), url("open_data"),
                 url("round_list") + "?q=neighbourhood&amount=10k_50k&who=cio&postcode=LS6+1AA"]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_manager_pages(client, world, manager):
    client.force_login(manager)
    round_, award, application = world["round"], world["award"], world["application"]
    report = award.reports.first()
    review = award.annual_reviews.first()
    instalment = award.instalments.first()
    for path in [url("manage_home"), url("programme_manage", round_.programme_id),
                 url("programme_edit", round_.programme_id), url("programme_create"),
                 url("contribution_add", round_.programme_id),
                 url("programme_compliance", round_.programme_id),
                 url("round_create", round_.programme_id), url("round_manage", round_.pk),
                 url("round_applications", round_.pk), url("panel_pack", round_.pk),
                 url("round_assessor", round_.pk), url("application_manage", application.pk),
                 url("awards_manage"), url("award_manage", award.pk),
                 url("due_diligence_add", award.pk), url("instalment_add", award.pk),
                 url("instalment_release", award.pk, instalment.pk),
                 url("recovery_add", award.pk), url("variation_add", award.pk),
                 url("variation_decide", award.pk, award.variations.get().pk),
                 url("annual_review", award.pk, review.pk), url("award_close", award.pk),
                 url("report_review", award.pk, report.pk),
                 url("condition_meet", award.pk, award.conditions.get().pk),
                 url("reports"), url("reports") + "?format=csv",
                 url("round_move", round_.pk, "start_assessment")]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_applicant_pages(client, world):
    client.force_login(world["user"])
    application, award = world["application"], world["award"]
    for path in [url("my_applications"), url("application_receipt", application.pk),
                 url("application_letter", application.pk), url("my_grants"),
                 url("award_detail", award.pk), url("agreement_accept", award.pk),
                 url("report_submit", award.pk, award.reports.first().pk),
                 url("application_start", world["round"].pk)]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_assessor_pages(client, world, assessor):
    client.force_login(assessor)
    round_ = world["round"]
    for path in [url("assessor_home"), url("assessor_declare", round_.pk),
                 url("assessor_queue", round_.pk)]:
        assert client.get(path).status_code == 200, path


def test_the_journey_through_the_forms(client, open_round):
    """Start, each task saved through its form, check your answers, submit, receipt."""
    org, user = support.applicant()
    client.force_login(user)
    response = client.post(url("application_start", open_round.pk))
    application = org.grant_applications.get()
    assert response.url == url("application_tasks", application.pk)
    assert "Not started" in client.get(response.url).content.decode()
    assert client.get(url("application_organisation", application.pk)).status_code == 200
    response = client.post(url("application_details", application.pk), {
        "project_title": "Lunch club", "project_summary": "Hot meals for older people.",
        "amount_requested": "12000", "annual_income": "90000", "beneficiary_postcode": "ls6 2ab"})
    assert response.status_code == 302
    text, budget, outcomes = open_round.questions.order_by("number")
    response = client.post(url("application_section", application.pk, 1),
                           {f"q{text.pk}": "Too many words " * 30})
    assert response.status_code == 400 and "50 words or fewer" in response.content.decode()
    client.post(url("application_section", application.pk, 1), {f"q{text.pk}": "Meals."})
    response = client.post(url("application_section", application.pk, 2), {
        f"q{budget.pk}_item_0": "Food", f"q{budget.pk}_amount_0": "7000",
        f"q{budget.pk}_item_1": "Staff", f"q{budget.pk}_amount_1": "5000",
        f"q{budget.pk}_total": "13000"})
    assert "add up to £12,000.00, not the total of £13,000.00" in response.content.decode()
    client.post(url("application_section", application.pk, 2), {
        f"q{budget.pk}_item_0": "Food", f"q{budget.pk}_amount_0": "7000",
        f"q{budget.pk}_item_1": "Staff", f"q{budget.pk}_amount_1": "5000",
        f"q{budget.pk}_total": "12000"})
    measure = support.measure()
    client.post(url("application_section", application.pk, 3), {
        f"q{outcomes.pk}_measure_0": str(measure.pk), f"q{outcomes.pk}_target_0": "300"})
    page = client.get(url("application_check", application.pk)).content.decode()
    assert "Food: £7,000.00" in page and "target 300" in page
    response = client.post(url("application_check", application.pk))
    assert response.url == url("application_receipt", application.pk)
    receipt = client.get(response.url).content.decode()
    assert "Application submitted" in receipt and application.reference in receipt
    assert client.get(url("application_withdraw", application.pk)).status_code == 200
    response = client.post(url("application_withdraw", application.pk), {"confirm": "on"})
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_the_assessor_scores_through_the_page(client, open_round, manager, assessor):
    org, user = support.applicant()
    application = apps.application_start(actor=user, round_=open_round, organisation=org)
    support.fill(application, user)
    apps.application_submit(actor=user, application=application)
    apps.application_screen(actor=manager, application=application, eligible=True)
    assessment.assessor_assign(actor=manager, round_=open_round, assessor=assessor)
    client.force_login(assessor)
    assert client.get(url("assessor_score", application.pk)).status_code == 404
    client.post(url("assessor_declare", open_round.pk), {"confirm": "on"})
    assert client.get(url("assessor_score", application.pk)).status_code == 200
    data = {"recommendation": "fund", "comments": "Fine", "action": "submit"}
    for c in open_round.criteria.all():
        data |= {f"score_{c.pk}": "3", f"comment_{c.pk}": "Adequate"}
    response = client.post(url("assessor_score", application.pk), data)
    assert response.status_code == 302
    assert application.assessments.get().total == 60
