"""A provider prepares, submits and gets a receipt for a sealed bid; axe on every page."""

import re

import pytest

from commissioning import bid_panels
from commissioning.models import BidReceipt
from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import sign_in
from tests.commissioning import factories as cf
from tests.commissioning.bids_support import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_provider_admin_submits_a_bid_and_downloads_the_receipt(page, check_accessibility,
                                                                 tmp_path):
    bid_panels.register()
    provider = factories.OrganisationFactory(name="Riverside Care Co-operative")
    admin = factories.member(provider, Role.PROVIDER_ADMIN)
    tender = cf.TenderFactory(title="Home support in Northby")
    cf.TenderQuestionFactory(tender=tender, number=1, word_limit=50,
                             text="How will you recruit local staff?")
    cf.DocumentSlotFactory(tender=tender, name="Method statement")
    check = check_accessibility

    sign_in(page, check, admin.email)
    page.goto("/dashboard/")
    check(page)
    page.get_by_role("link", name="See your bids").click()
    page.get_by_role("heading", name="Your bids").wait_for()
    check(page)

    page.goto(f"/tenders/{tender.pk}/bid/")
    check(page)
    page.get_by_role("button", name="Start bid").click()
    page.get_by_role("heading", name=re.compile("Your bid for")).wait_for()
    check(page)

    page.get_by_role("link", name="Question 1").click()
    check(page)
    page.get_by_label("How will you recruit local staff?").fill(
        "We advertise in community centres and pay the real living wage.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=re.compile("Your bid for")).wait_for()

    page.get_by_role("link", name="Price").click()
    check(page)
    page.get_by_label("Total price").fill("1000")
    page.get_by_label(re.compile("^What the amount is for")).fill("Staff")
    page.get_by_label(re.compile("^Amount")).fill("900")
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()
    check(page)  # the error page too
    page.get_by_label(re.compile("^Amount")).fill("1000")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=re.compile("Your bid for")).wait_for()

    page.get_by_role("link", name="Documents").click()
    check(page)
    pdf = tmp_path / "method-statement.pdf"
    pdf.write_bytes(pdf_bytes("Our method"))
    page.get_by_label("Upload a file for method statement").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload", exact=True).first.click()
    page.get_by_text("method-statement.pdf was uploaded").wait_for()
    check(page)

    page.get_by_role("link", name="Back to your bid").click()
    page.get_by_role("button", name="Check and submit your bid").click()
    check(page)
    page.get_by_label(re.compile("accurate and complete")).check()
    page.get_by_label(re.compile("not colluded")).check()
    page.get_by_role("button", name="Submit bid").click()
    page.get_by_role("heading", name="Bid received").wait_for()
    check(page)

    receipt = BidReceipt.objects.get(bid__tender=tender)
    content = page.content()
    assert receipt.number in content and receipt.submission_sha256 in content
    assert receipt.file_hashes[0]["sha256"] in content
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this receipt").click()
    download = download_info.value
    assert download.suggested_filename == f"{receipt.number}.txt"
    with open(download.path(), encoding="utf-8") as handle:
        assert receipt.submission_sha256 in handle.read()

    page.goto("/bids/")
    page.locator(".govuk-tag", has_text="Submitted").wait_for()
    check(page)
