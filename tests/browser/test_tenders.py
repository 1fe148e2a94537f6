"""A commissioner goes from a project to a published tender; a visitor finds and reads it.
Every page is checked with axe (WCAG 2.2 A/AA)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from commissioning.models import AwardCriterion, ScaleDescriptor, Tender
from core.calendar import LONDON
from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fill_datetime(page, name: str, moment) -> None:
    local = moment.astimezone(LONDON)
    page.locator(f"#id_{name}_date_0").fill(str(local.day))
    page.locator(f"#id_{name}_date_1").fill(str(local.month))
    page.locator(f"#id_{name}_date_2").fill(str(local.year))
    page.locator(f"#id_{name}_time").fill("12pm")


def go(page, check, link: str) -> None:
    page.get_by_role("link", name=link, exact=True).first.click()
    page.wait_for_load_state()
    check(page)


def test_commissioner_publishes_a_tender_and_a_visitor_finds_it(page, browser, live_server,
                                                                check_accessibility):
    check = check_accessibility
    authority = factories.AuthorityFactory(name="Riverside Borough Council")
    commissioner = factories.member(authority, Role.COMMISSIONER, email="cara@example.org")
    TOTP.activate(commissioner, SECRET)
    sign_in(page, check, commissioner.email, secret=SECRET)
    page.wait_for_url(re.compile("/dashboard/"))
    check(page)

    # A project, opened to the market.
    page.get_by_role("link", name="Start a project").click()
    check(page)
    page.get_by_role("button", name="Save project").click()
    page.locator(".govuk-error-summary").wait_for()
    check(page)
    page.get_by_label("Project name").fill("Befriending for older people")
    page.get_by_label("The need").fill("Older people living alone are lonely.")
    page.get_by_label("Outcomes sought").fill("Fewer people feel lonely.")
    page.get_by_label("Indicative budget").fill("250000")
    page.get_by_role("button", name="Save project").click()
    page.get_by_role("heading", name="Befriending for older people").wait_for()
    check(page)
    page.get_by_role("button", name="Start market engagement").click()
    page.get_by_text("Market engagement has started").wait_for()
    check(page)

    # A tender from the project.
    go(page, check, "Create a tender from this project")
    page.get_by_label("Your reference").fill("ASC-2027-001")
    page.get_by_label("Open procedure").check()
    page.get_by_label("Services", exact=True).check()
    page.get_by_label("Estimated value excluding VAT").fill("400000")
    page.get_by_label("Estimated value including VAT").fill("480000")
    page.get_by_label("Maximum contract term, in months").fill("36")
    page.get_by_label("Particularly suitable for voluntary").check()
    page.get_by_role("button", name="Create draft tender").click()
    page.get_by_text("Draft tender ASC-2027-001 created.").wait_for()
    check(page)
    tender = Tender.objects.get(reference="ASC-2027-001")

    go(page, check, "Set the timeline")
    fill_datetime(page, "questions_deadline", timezone.now() + timedelta(days=20))
    fill_datetime(page, "deadline", timezone.now() + timedelta(days=35))
    page.get_by_role("button", name="Save timeline").click()
    page.get_by_text("Timeline saved.").wait_for()

    go(page, check, "Add CPV codes")
    page.get_by_label("CPV codes").fill("85311000-2")
    page.get_by_label("Main CPV code").fill("85311000-2")
    page.get_by_role("button", name="Save CPV codes").click()
    page.get_by_text("CPV codes saved.").wait_for()

    go(page, check, "Divide into lots")
    go(page, check, "Add a lot")
    page.get_by_label("Lot title").fill("North of the borough")
    page.get_by_role("button", name="Save lot").click()
    page.get_by_text("Lot 1 saved.").wait_for()
    check(page)
    page.get_by_role("link", name="Back").click()

    go(page, check, "Add tender documents")
    page.get_by_label("Document title").fill("Service specification")
    page.get_by_label("File").set_input_files(
        {"name": "specification.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Upload document").click()
    page.get_by_text("Service specification added.").wait_for()
    check(page)
    page.get_by_role("link", name="Back").click()

    go(page, check, "Set questions and documents for bidders")
    go(page, check, "Add a question")
    page.get_by_label("Question", exact=True).fill("How will you recruit volunteers locally?")
    page.get_by_label("Word limit").fill("500")
    page.get_by_role("button", name="Save question").click()
    page.get_by_text("Question 1 saved.").wait_for()
    check(page)
    page.get_by_role("link", name="Back").click()

    go(page, check, "Prepare the conflicts assessment")
    page.get_by_label("Conflicts identified").fill("No conflicts found after declarations.")
    page.get_by_role("button", name="Save the assessment").click()
    page.get_by_text("Conflicts assessment version 1 saved.").wait_for()

    # The award criteria are configured on the evaluation screens (tests/browser/
    # test_evaluation.py); set them directly here, with scales, and link the question.
    for kind, weight in (("quality", "60"), ("price", "30"), ("social_value", "10")):
        criterion = AwardCriterion.objects.create(tender=tender, kind=kind, name=kind.title(),
                                                  weight=Decimal(weight))
        if kind != "price":
            ScaleDescriptor.objects.bulk_create(
                ScaleDescriptor(criterion=criterion, score=score, descriptor=f"Score {score}")
                for score in (0, 50, 100))
        if kind == "quality":
            tender.questions.update(criterion=criterion)
    go(page, check, "Check and publish")
    page.get_by_role("button", name="Publish tender").click()
    page.get_by_role("heading", name="Tender published").wait_for()
    check(page)

    # An anonymous visitor finds it through the filters and reads it.
    visitor = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    visitor.goto("/tenders/")
    check(visitor)
    visitor.get_by_label("Search").fill("befriending")
    visitor.get_by_label("Voluntary, community and social enterprises").check()
    visitor.get_by_label("Status").select_option("open")
    visitor.get_by_role("button", name="Apply filters").click()
    visitor.get_by_role("heading", name="1 tender").wait_for()
    check(visitor)
    visitor.get_by_role("link", name="Befriending for older people").click()
    visitor.get_by_role("heading", name="Befriending for older people").wait_for()
    assert "Riverside Borough Council" in visitor.content()
    assert "85311000-2" in visitor.content()
    check(visitor)
    visitor.goto("/pipeline/")
    check(visitor)
