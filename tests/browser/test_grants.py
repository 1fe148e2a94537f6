"""Grants in Chromium: the applicant's journey from the pre-check to the receipt, the
assessor, the panel and the award, and axe (WCAG 2.2 A/AA) on every grants page."""

import re
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from grants.models import Application, Award, Round
from grants.services import applications as apps
from grants.services import assessment
from organisations.models import Role
from tests import factories
from tests.grants import support

pytestmark = pytest.mark.django_db(transaction=True)


def login_as(page, user) -> None:
    """Sign the browser in as `user` (the sign-in pages have their own journeys). The page
    must already show a page of the live server."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    host = urlparse(page.url).hostname
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
                               "domain": host, "path": "/"}])


@pytest.fixture
def people(db):
    authority = factories.AuthorityFactory(name="Northby Council")
    make = lambda role: factories.with_totp(factories.member(authority, role))  # noqa: E731
    return {"authority": authority, "manager": make(Role.GRANT_MANAGER),
            "second": make(Role.GRANT_MANAGER), "assessor": make(Role.EVALUATOR)}


def visit(page, check, paths) -> None:
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, path
        check(page)


def test_every_grants_page_passes_axe(page, live_server, check_accessibility, people):
    programme = support.programme(people["authority"], people["manager"])
    two_stage = support.published_round(programme, people["manager"], two_stage=True,
                                        budget=Decimal("100000"))
    open_round = support.published_round(programme, people["manager"])
    w = support.awarded_world(open_round, people["manager"], people["second"],
                              people["assessor"])
    a, award, r = w["application"], w["award"], w["round"]
    page.goto("/grants/")
    check = check_accessibility
    visit(page, check, ["/grants/", f"/grants/rounds/{r.pk}/", f"/grants/rounds/{r.pk}/check/",
                        f"/grants/rounds/{r.pk}/check/?check=1&legal_form=large&postcode=M1+1AA"
                        "&annual_income=1&registered=no&amount=5",
                        f"/grants/rounds/{two_stage.pk}/", "/grants/awarded/",
                        f"/grants/programmes/{programme.pk}/", "/"])
    login_as(page, w["user"])
    report = award.reports.first()
    visit(page, check, ["/grants/applications/", f"/grants/applications/{a.pk}/receipt/",
                        f"/grants/applications/{a.pk}/letter/", "/grants/my-grants/",
                        f"/grants/awards/{award.pk}/", f"/grants/awards/{award.pk}/agreement/",
                        f"/grants/awards/{award.pk}/reports/{report.pk}/",
                        f"/grants/rounds/{r.pk}/apply/", "/dashboard/"])
    login_as(page, people["assessor"])
    visit(page, check, ["/grants/assess/", f"/grants/assess/rounds/{r.pk}/declare/",
                        f"/grants/assess/rounds/{r.pk}/",
                        f"/grants/assess/applications/{w['waiting'].pk}/"])
    login_as(page, people["manager"])
    p, i = programme.pk, award.instalments.first()
    visit(page, check, [
        "/grants/manage/", "/grants/manage/reports/", "/grants/manage/programmes/new/",
        f"/grants/manage/programmes/{p}/", f"/grants/manage/programmes/{p}/edit/",
        f"/grants/manage/programmes/{p}/contributions/new/",
        f"/grants/manage/programmes/{p}/compliance/", f"/grants/manage/programmes/{p}/rounds/new/",
        f"/grants/manage/rounds/{r.pk}/", f"/grants/manage/rounds/{r.pk}/applications/",
        f"/grants/manage/rounds/{r.pk}/panel/", f"/grants/manage/rounds/{r.pk}/assessors/",
        f"/grants/manage/rounds/{r.pk}/status/start_assessment/",
        f"/grants/manage/applications/{a.pk}/", f"/grants/manage/applications/{w['waiting'].pk}/",
        f"/grants/manage/applications/{w['waiting'].pk}/decide/",
        f"/grants/manage/applications/{w['waiting'].pk}/moderate/",
        "/grants/manage/awards/", f"/grants/manage/awards/{award.pk}/",
        f"/grants/manage/awards/{award.pk}/due-diligence/",
        f"/grants/manage/awards/{award.pk}/instalments/new/",
        f"/grants/manage/awards/{award.pk}/instalments/{i.pk}/pay/",
        f"/grants/manage/awards/{award.pk}/recoveries/new/",
        f"/grants/manage/awards/{award.pk}/variations/new/",
        f"/grants/manage/awards/{award.pk}/variations/{award.variations.get().pk}/",
        f"/grants/manage/awards/{award.pk}/reviews/{award.annual_reviews.first().pk}/",
        f"/grants/manage/awards/{award.pk}/conditions/{award.conditions.get().pk}/",
        f"/grants/manage/awards/{award.pk}/reports/{report.pk}/",
        f"/grants/manage/awards/{award.pk}/close/"])
    draft = support.draft_round(programme, people["manager"], kind="closed",
                                budget=Decimal("50000"))
    visit(page, check, [f"/grants/manage/rounds/{draft.pk}/",
                        f"/grants/manage/rounds/{draft.pk}/edit/",
                        f"/grants/manage/rounds/{draft.pk}/publish/",
                        f"/grants/manage/rounds/{draft.pk}/criteria/new/",
                        f"/grants/manage/rounds/{draft.pk}/questions/new/?stage=full",
                        f"/grants/manage/rounds/{draft.pk}/invite/"])
    direct = support.published_round(programme, people["manager"], kind="direct",
                                     budget=Decimal("50000"))
    visit(page, check, [f"/grants/manage/rounds/{direct.pk}/direct-award/"])
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for()
    check(page)
    assert len(set(check.pages)) >= 50  # every page above was checked, none skipped


def test_precheck_then_expression_of_interest_then_full_application(
        page, live_server, check_accessibility, people):
    check = check_accessibility
    programme = support.programme(people["authority"], people["manager"])
    round_ = support.published_round(programme, people["manager"], two_stage=True)
    page.goto(f"/grants/rounds/{round_.pk}/")
    check(page)
    page.get_by_role("link", name="Check if you can apply").click()
    page.get_by_label("Charitable incorporated organisation (CIO)").check()
    page.get_by_label("Postcode where the work will happen").fill("LS6 1AA")
    page.get_by_label("Your annual income").fill("80000")
    page.get_by_label("Yes").check()
    page.get_by_label("How much do you want to ask for?").fill("20000")
    page.get_by_role("button", name="Check").click()
    page.get_by_role("heading", name="You can apply", exact=True).wait_for()
    check(page)

    org, user = support.applicant()
    page.goto("/grants/")
    login_as(page, user)
    page.goto(f"/grants/rounds/{round_.pk}/apply/")
    check(page)
    page.get_by_role("button", name="Start the application").click()
    page.get_by_role("heading", name=re.compile("expression of interest")).wait_for()
    check(page)
    page.get_by_role("link", name="About your project").click()
    check(page)
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()
    check(page)
    page.get_by_label("Project title").fill("Youth club")
    page.get_by_label("Describe your project").fill("Evening sessions for teenagers.")
    page.get_by_label("How much are you asking for?").fill("20000")
    page.get_by_label("Your organisation's annual income").fill("80000")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Your project", exact=True).click()
    check(page)
    page.get_by_label("What will you do?").fill("We will run a youth club.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Check your answers and submit").click()
    check(page)
    page.get_by_role("button", name="Submit application").click()
    page.get_by_role("heading", name="Application submitted").wait_for()
    check(page)
    eoi = Application.objects.get(organisation=org, stage="eoi")
    assert eoi.status == "submitted" and eoi.receipts.count() == 1

    # The panel invites a full application; the expression of interest's deadline passes.
    apps.application_screen(actor=people["manager"], application=eoi, eligible=True)
    decision = assessment.decision_record(actor=people["manager"], application=eoi,
                                          outcome="invite", rationale="Promising",
                                          feedback="Please apply in full.")
    assessment.decision_approve(actor=people["second"], decision=decision)
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now())
    page.goto(f"/grants/applications/{eoi.pk}/receipt/")
    check(page)
    page.get_by_role("link", name="start it").click()
    page.get_by_role("button", name="Start the application").click()
    page.get_by_role("heading", name=re.compile("full application")).wait_for()
    assert "already filled in" in page.content()
    check(page)
    page.get_by_role("link", name="Budget", exact=True).click()
    page.get_by_label("Your budget: line 1, item").fill("Youth worker")
    page.get_by_label("Your budget: line 1, amount").fill("20000")
    page.get_by_label("Your budget: total").fill("20000")
    page.get_by_role("button", name="Save and continue").click()
    measure = support.measure()
    page.get_by_role("link", name="Outcomes", exact=True).click()
    page.get_by_label("Outcomes you will deliver: outcome 1").select_option(str(measure.pk))
    page.get_by_label("Target for outcome 1").fill("400")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Check your answers and submit").click()
    assert "We will run a youth club." in page.content()
    page.get_by_role("button", name="Submit application").click()
    page.get_by_role("heading", name="Application submitted").wait_for()
    check(page)
    full = Application.objects.get(organisation=org, stage="full")
    assert full.previous == eoi and full.status == "submitted"


def test_assessor_scores_manager_awards_recipient_accepts_reports_and_is_paid(
        page, live_server, check_accessibility, people):
    check = check_accessibility
    programme = support.programme(people["authority"], people["manager"])
    round_ = support.published_round(programme, people["manager"])
    org, user = support.applicant()
    application = apps.application_start(actor=user, round_=round_, organisation=org)
    support.fill(application, user)
    apps.application_submit(actor=user, application=application)
    apps.application_screen(actor=people["manager"], application=application, eligible=True)
    assessment.assessor_assign(actor=people["manager"], round_=round_,
                               assessor=people["assessor"])

    page.goto("/grants/")
    login_as(page, people["assessor"])
    page.goto("/grants/assess/")
    check(page)
    page.get_by_role("link", name="Declare your conflicts of interest").click()
    page.get_by_label(re.compile("I have declared every conflict")).check()
    page.get_by_role("button", name="Confirm declaration").click()
    page.get_by_role("heading", name="Applications to assess").wait_for()
    check(page)
    page.get_by_role("link", name=application.reference).click()
    for criterion in round_.criteria.all():
        page.locator(f"#id_score_{criterion.pk}").select_option("4")
        page.locator(f"#id_comment_{criterion.pk}").fill("Clear evidence.")
    page.get_by_label("Fund", exact=True).check()
    page.get_by_role("button", name="Submit assessment").click()
    page.get_by_text("Assessment submitted.").wait_for()
    check(page)

    login_as(page, people["manager"])
    page.goto(f"/grants/manage/rounds/{round_.pk}/panel/")
    check(page)
    page.get_by_role("link", name=re.compile("Record the decision")).click()
    page.get_by_label("Fund", exact=True).check()
    page.get_by_label("Amount to award").fill("18000")
    page.get_by_label("The panel's rationale").fill("Strong need and a realistic plan.")
    page.get_by_label("Feedback for the applicant").fill("Well evidenced.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Decision recorded").wait_for()
    check(page)
    login_as(page, people["second"])
    page.goto(f"/grants/manage/rounds/{round_.pk}/panel/")
    page.get_by_role("button", name=re.compile("Approve")).click()
    page.get_by_text("Decision approved").wait_for()
    check(page)
    page.get_by_role("link", name=re.compile("Make the offer")).click()
    for name, day in (("planned_start", timezone.localdate()),
                      ("planned_end", timezone.localdate().replace(year=day_year()))):
        page.locator(f"#id_{name}_0").fill(str(day.day))
        page.locator(f"#id_{name}_1").fill(str(day.month))
        page.locator(f"#id_{name}_2").fill(str(day.year))
    page.get_by_role("button", name="Make the offer").click()
    page.get_by_text("Offer made").wait_for()
    check(page)
    award = Award.objects.get(application=application)

    login_as(page, user)
    page.goto(f"/grants/awards/{award.pk}/")
    check(page)
    page.get_by_role("link", name="Read and accept the agreement").click()
    page.get_by_label("Your full name").fill("Sam Jones")
    page.get_by_label("Your position in the organisation").fill("Chair")
    page.get_by_label(re.compile("I am authorised")).check()
    page.get_by_role("button", name="Accept the agreement").click()
    page.get_by_text("You have accepted the grant agreement.").wait_for()
    check(page)
    page.get_by_role("link", name=re.compile("Send the report")).first.click()
    page.get_by_label("Progress in this period").fill("Sessions running weekly.")
    page.get_by_label("Total spent so far").fill("0")
    page.locator("input[id^=id_measure_]").first.fill("120")
    page.get_by_role("button", name="Submit report").click()
    page.get_by_text("Report submitted.").wait_for()
    check(page)

    login_as(page, people["manager"])
    page.goto(f"/grants/manage/awards/{award.pk}/")
    page.get_by_role("link", name="Record a due diligence check").click()
    page.get_by_label("Registration (Charity Commission, Companies House)").check()
    page.get_by_label("Passed", exact=True).check()
    page.get_by_label("What you checked and found").fill("Register entry checked.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Due diligence recorded.").wait_for()
    page.get_by_role("link", name="Schedule an instalment").click()
    page.get_by_label("Amount").fill("9000")
    today = timezone.localdate()
    page.locator("#id_due_on_0").fill(str(today.day))
    page.locator("#id_due_on_1").fill(str(today.month))
    page.locator("#id_due_on_2").fill(str(today.year))
    page.get_by_label("Milestone or claim it pays for").fill("Start-up")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Instalment scheduled.").wait_for()
    page.get_by_role("link", name=re.compile("^Pay")).click()
    check(page)
    page.get_by_label("The claim or milestone evidence").fill("Start-up claim received.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Payment released.").wait_for()
    check(page)
    award.refresh_from_db()
    assert award.amount_paid == Decimal("9000")


def day_year() -> int:
    return timezone.localdate().year + 1
