"""A competitive flexible procedure in the browser, axe on every page: a supplier keeps its core
information, requests to participate, is shortlisted, negotiates and submits a final tender; two
commissioners run each stage (the deadlines passing is the only step taken outside the
browser)."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from commissioning.models import Bid, ProcedureStage, SubmissionSupplierInformation
from commissioning.services import stages as services
from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import sign_in
from tests.commissioning import factories as cf
from tests.commissioning import stages_support as support

pytestmark = pytest.mark.django_db(transaction=True)
SECRETS = {"first": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXD",
           "second": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXE"}


@pytest.fixture
def scene(db):
    authority = factories.AuthorityFactory(name="Northshire County Council")
    people = {}
    for key, email in (("first", "dana@example.org"), ("second", "eli@example.org")):
        people[key] = factories.member(authority, Role.COMMISSIONER, email=email)
        TOTP.activate(people[key], SECRETS[key])
    staged = support.with_requests(support.designed(authority, people["first"]), count=3)
    staged.colleague = people["second"]
    supplier = factories.OrganisationFactory(name="Riverside Care Co-operative")
    admin = factories.member(supplier, Role.PROVIDER_ADMIN)
    return {"staged": staged, "supplier": supplier, "admin": admin, **people}


def open_as(browser, live_server, check, email, secret=None):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, check, email, secret=secret)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    return page


def submit_in_browser(page, check, bid_heading=re.compile("Your bid for"), price=False):
    page.get_by_role("link", name="Question 1").click()
    check(page)
    page.locator("textarea").first.fill("We run two comparable services in Northshire.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=bid_heading).wait_for()
    if price:
        page.get_by_role("link", name="Price").click()
        page.get_by_label("Total price").fill("250000")
        page.get_by_label(re.compile("^What the amount is for")).fill("Staff")
        page.get_by_label(re.compile("^Amount")).fill("250000")
        page.get_by_role("button", name="Save and continue").click()
        page.get_by_role("heading", name=bid_heading).wait_for()
    page.get_by_role("link", name="Core supplier information").click()
    page.get_by_role("heading", name="Confirm your core supplier information").wait_for()
    check(page)
    page.get_by_role("button", name="Confirm it is current").click()
    page.get_by_role("heading", name=bid_heading).wait_for()
    page.get_by_role("button", name="Check and submit your bid").click()
    check(page)
    page.get_by_label(re.compile("accurate and complete")).check()
    page.get_by_label(re.compile("not colluded")).check()
    page.get_by_role("button", name="Submit bid").click()
    page.get_by_role("heading", name="Bid received").wait_for()
    check(page)


def test_a_two_stage_procedure_from_request_to_final_tender(page, browser, live_server,
                                                            check_accessibility, scene):
    check, staged = check_accessibility, scene["staged"]
    sign_in(page, check, scene["admin"].email)
    page.goto("/supplier-information/")
    check(page)
    page.get_by_label("Legal name").fill("Riverside Care Co-operative Ltd")
    page.get_by_label("Registered address").fill("4 Mill Lane, Northby")
    page.get_by_label("Connected persons").fill("Asha Patel, director")
    page.get_by_role("button", name="Save as a new version").click()
    page.get_by_text("saved as a new version").wait_for()
    check(page)

    page.goto("/procedures/")
    check(page)
    page.get_by_role("link", name=re.compile("^Request to participate")).click()
    check(page)
    page.get_by_role("button", name="Start bid").click()
    page.get_by_role("heading", name=re.compile("Your bid for")).wait_for()
    check(page)
    submit_in_browser(page, check)
    request = Bid.objects.get(tender=staged.participation.round, organisation=scene["supplier"])
    assert request.status == Bid.Status.SUBMITTED
    assert SubmissionSupplierInformation.objects.get(bid=request).version.content[
        "legal_name"] == "Riverside Care Co-operative Ltd"

    support.close(staged.participation.round)  # the participation deadline passes
    first = open_as(browser, live_server, check, scene["first"].email, SECRETS["first"])
    second = open_as(browser, live_server, check, scene["second"].email, SECRETS["second"])
    open_in_browser(first, second, check, staged.participation.round.pk)

    first.goto(f"/commissioning/tenders/{staged.tender.pk}/stages/")
    check(first)
    first.get_by_role("link", name="Shortlist").click()
    first.get_by_role("heading", name="Shortlist").wait_for()
    check(first)
    decide(first, check, "Riverside Care Co-operative", True, "Strongest evidence of capacity.")
    others = [bid for bid in staged.requests]
    for index, bid in enumerate(others):
        decide(first, check, bid.organisation.name, index < 2,
               "Meets both criteria." if index < 2 else "Weaker capacity evidence.")
    first.get_by_role("button", name="Publish the shortlist").click()
    first.get_by_text("Shortlist published").wait_for()
    check(first)

    stage = services.stage_add(actor=scene["first"], procedure=staged.procedure,
                               kind=ProcedureStage.Kind.NEGOTIATION, title="Negotiation round 1",
                               deadline=timezone.now() + timedelta(days=15))
    cf.TenderQuestionFactory(tender=stage.round, number=1, text="Your initial tender")
    first.goto(f"/commissioning/tenders/{staged.tender.pk}/stages/")
    first.get_by_role("button", name=re.compile("Open for submissions")).click()
    first.get_by_text("is open for submissions").wait_for()
    check(first)

    page.goto("/procedures/")
    page.get_by_text("You are shortlisted").wait_for()
    check(page)
    page.get_by_role("link", name=re.compile("^Take part")).click()
    page.get_by_role("button", name="Start bid").click()
    page.get_by_role("heading", name=re.compile("Your bid for")).wait_for()
    submit_in_browser(page, check, price=True)

    support.close(stage.round)  # the round's deadline passes
    open_in_browser(first, second, check, stage.round.pk)
    first.goto(f"/commissioning/stages/{stage.pk}/meetings/")
    check(first)
    first.get_by_label("Supplier").select_option(label="Riverside Care Co-operative")
    day = timezone.localtime() - timedelta(days=1)
    first.get_by_label("Day").fill(str(day.day))
    first.get_by_label("Month").fill(str(day.month))
    first.get_by_label("Year").fill(str(day.year))
    first.get_by_label(re.compile("^Time for")).fill("10:00")
    first.get_by_label("Who attended").fill("Two officers; the co-operative's chair")
    first.get_by_label("Minutes").fill("Agreed weekend cover and a phased start.")
    first.get_by_role("button", name="Save the minutes").click()
    first.get_by_text("Meeting minuted").wait_for()
    check(first)

    page.goto("/procedures/")
    page.get_by_role("link", name="Submit a final tender").click()
    page.get_by_role("button", name="Start bid").click()
    page.get_by_role("heading", name=re.compile("Your bid for")).wait_for()
    submit_in_browser(page, check, price=True)
    final = Bid.objects.get(tender=staged.tender, organisation=scene["supplier"])
    assert final.status == Bid.Status.SUBMITTED

    support.close(staged.tender)  # the final tenders are due
    open_in_browser(first, second, check, staged.tender.pk)
    from commissioning.services.evaluation import conflict_declare

    conflict_declare(tender=staged.tender, actor=scene["first"], has_conflict=False)
    first.goto(f"/evaluation/bids/{final.pk}/supplier-information/")
    first.get_by_text("Riverside Care Co-operative Ltd").first.wait_for()
    check(first)
    assert "Asha Patel" in first.content()


def open_in_browser(first, second, check, tender_pk):
    first.goto(f"/tenders/{tender_pk}/opening/")
    check(first)
    first.get_by_role("button", name="Ask to open the bids").click()
    first.get_by_text("A colleague").first.wait_for()
    second.goto(f"/tenders/{tender_pk}/opening/")
    second.get_by_role("button", name="Confirm opening").click()
    second.get_by_text("The bids are open").wait_for()
    check(second)


def decide(page, check, name, included, reasons):
    page.get_by_role("link", name=f"Decide on {name}").click()
    page.get_by_role("heading", name=f"Decide on the request from {name}").wait_for()
    check(page)
    page.get_by_label("Shortlist this supplier" if included
                      else "Do not shortlist this supplier", exact=True).check()
    page.get_by_label("Reasons against the selection criteria").fill(reasons)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Shortlist").wait_for()
