"""In the browser, axe on every new page: a supplier asks a question in a stage from its own
stage page and reads the answer; the commissioner answers it and extends the stage's deadline
from the stages page; the commissioner publishes a UK3 and a UK1 after a confirmation page;
the public tender page lists the procurement's notices."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from commissioning.models import Notice
from core.calendar import LONDON
from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import sign_in
from tests.commissioning import factories as cf
from tests.commissioning import stages_support as support

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXF"


@pytest.fixture
def commissioner(db):
    authority = factories.AuthorityFactory(name="Northshire County Council")
    user = factories.member(authority, Role.COMMISSIONER, email="dana@example.org")
    TOTP.activate(user, SECRET)
    return user


def as_person(browser, live_server, check, email, secret=None):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, check, email, secret=secret)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    return page


def test_a_question_in_a_stage_its_answer_and_a_longer_deadline(page, browser, live_server,
                                                               check_accessibility,
                                                               commissioner):
    check = check_accessibility
    staged = support.with_requests(support.designed(commissioner.memberships.first()
                                                    .organisation, commissioner), count=2)
    stage = staged.participation
    _, writer = staged.suppliers[0]
    sign_in(page, check, writer.email)
    page.goto("/procedures/")
    check(page)
    page.get_by_role("link", name=f"1. {stage.title}").click()
    page.get_by_role("heading", name=f"1. {stage.title}").wait_for()
    check(page)
    page.get_by_role("link", name="Ask a question about this stage").click()
    page.get_by_role("heading", name="Ask a question about this stage").wait_for()
    check(page)
    page.get_by_role("button", name="Send question").click()
    page.get_by_text("Enter your question").first.wait_for()
    check(page)
    page.get_by_label("Your question").fill("May two charities request to participate jointly?")
    page.get_by_role("button", name="Send question").click()
    page.get_by_text("Question sent").wait_for()
    check(page)

    staff = as_person(browser, live_server, check, commissioner.email, secret=SECRET)
    staff.goto(f"/commissioning/tenders/{staged.tender.pk}/stages/")
    check(staff)
    staff.get_by_role("link", name="Clarification questions in stage 1").click()
    staff.get_by_role("heading", name="Clarification questions").wait_for()
    check(staff)
    staff.get_by_role("link", name=re.compile("^Answer")).click()
    staff.get_by_role("heading", name="Answer a question").wait_for()
    check(staff)
    staff.get_by_label("Answer", exact=True).fill("Yes: name the lead organisation.")
    staff.get_by_role("button", name="Publish answer").click()
    staff.get_by_text("Answer published").wait_for()
    check(staff)

    page.goto(f"/procedures/stages/{stage.pk}/")
    page.get_by_text("Yes: name the lead organisation.").wait_for()
    check(page)

    staff.goto(f"/commissioning/tenders/{staged.tender.pk}/stages/")
    staff.get_by_role("link", name="Extend the deadline of stage 1").click()
    staff.get_by_role("heading", name="Extend the deadline of this stage").wait_for()
    check(staff)
    staff.get_by_role("button", name="Extend the deadline").click()
    staff.locator(".govuk-error-summary").wait_for()  # no reason given
    check(staff)
    new = (stage.round.deadline + timedelta(days=4)).astimezone(LONDON)
    staff.locator('input[name="new_deadline_date_day"]').fill(str(new.day))
    staff.locator('input[name="new_deadline_date_month"]').fill(str(new.month))
    staff.locator('input[name="new_deadline_date_year"]').fill(str(new.year))
    staff.get_by_label("Reason for the new deadline").fill("Suppliers asked for more time.")
    staff.get_by_role("button", name="Extend the deadline").click()
    staff.get_by_text("is extended").wait_for()
    check(staff)
    stage.round.refresh_from_db()
    assert stage.round.deadline.astimezone(LONDON).date() == new.date()


def test_publishing_a_uk3_and_a_uk1_and_the_public_list_of_notices(page, check_accessibility,
                                                                   commissioner):
    check = check_accessibility
    authority = commissioner.memberships.first().organisation
    project = cf.ProjectFactory(authority=authority, created_by=commissioner)
    tender = cf.publishable_tender(authority=authority, created_by=commissioner,
                                   project=project)
    sign_in(page, check, commissioner.email, secret=SECRET)
    page.goto(f"/commissioning/tenders/{tender.pk}/")
    page.get_by_role("link", name="Publish a planned procurement notice (UK3)").click()
    page.get_by_role("heading", name="Publish a planned procurement notice (UK3)").wait_for()
    check(page)
    page.get_by_role("button", name="Publish the notice").click()
    page.get_by_text("UK3 Planned procurement notice published").wait_for()
    check(page)
    assert Notice.objects.filter(notice_type="UK3", tender=tender).exists()

    page.goto(f"/pipeline/{project.pk}/")
    page.get_by_role("link", name="Publish a pipeline notice (UK1)").click()
    page.get_by_role("heading", name="Publish a pipeline notice (UK1)").wait_for()
    check(page)
    page.get_by_role("button", name="Publish the notice").click()
    page.get_by_text("UK1 Pipeline notice published").wait_for()
    check(page)

    from commissioning.services.tenders import tender_publish

    tender_publish(actor=commissioner, tender=tender)
    page.goto(f"/tenders/{tender.pk}/")
    page.get_by_role("heading", name="Notices").wait_for()
    check(page)
    for number in ("UK1", "UK3", "UK4"):
        assert page.get_by_role("link", name=re.compile(f"^{number} ")).count() == 1
    page.get_by_role("link", name=re.compile("^UK3 ")).click()
    page.get_by_role("heading", name=re.compile(tender.title)).first.wait_for()
    check(page)
