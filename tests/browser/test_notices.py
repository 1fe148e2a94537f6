"""A commissioner makes a direct award (transparency notice, standstill, award) and manages a
live contract (a change beyond the allowance with its UK10, a KPI rating, the UK9); a visitor
reads the notices. Every page is checked with axe (WCAG 2.2 A/AA)."""

import datetime
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from commissioning.models import ContractKpi, DirectAward, Notice
from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import sign_in
from tests.commissioning import ocds_support as ocds

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def fill_date(page, name: str, day: datetime.date) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def test_a_direct_award_and_contract_management_in_the_browser(page, check_accessibility):
    check = check_accessibility
    authority = factories.AuthorityFactory(name="Riverside Borough Council")
    factories.OrganisationFactory(name="Harbour Care Mutual")
    commissioner = factories.member(authority, Role.COMMISSIONER, email="cara@example.org")
    TOTP.activate(commissioner, SECRET)
    sign_in(page, check, commissioner.email, secret=SECRET)
    page.wait_for_url(re.compile("/dashboard/"))

    page.goto("/direct-awards/")
    check(page)
    page.get_by_role("link", name="Start a direct award").click()
    check(page)
    page.get_by_role("button", name="Save the direct award").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)
    page.get_by_label("Reference", exact=True).fill("DA-7")
    page.get_by_label("Title", exact=True).fill("Crisis beds")
    page.get_by_label("What the contract is for").fill("Six crisis beds for three months.")
    page.get_by_label("Supplier", exact=True).select_option(label="Harbour Care Mutual")
    page.get_by_label("Section 41: a Schedule 5 direct award justification").check()
    page.get_by_label("Schedule 5 justification (section 41)").select_option(
        label="Extreme and unavoidable urgency")
    page.get_by_label("Justification", exact=True).fill("The provider closed with a week's notice.")
    page.get_by_label("Contract value").fill("90000")
    fill_date(page, "starts_on", datetime.date(2027, 3, 1))
    fill_date(page, "ends_on", datetime.date(2027, 5, 31))
    page.get_by_role("button", name="Save the direct award").click()
    page.wait_for_url(re.compile(r"/direct-awards/\d+/$"))
    check(page)
    page.get_by_role("button", name="Publish the transparency notice").click()
    page.wait_for_load_state()
    assert page.get_by_text("You can award the contract from").is_visible()
    check(page)
    assert DirectAward.objects.get().status == "standstill"
    page.get_by_role("link", name="UK5 Transparency notice").click()
    page.wait_for_load_state()
    assert page.get_by_text("Extreme and unavoidable urgency").first.is_visible()
    check(page)
    page.get_by_role("link", name="All notices").click()
    check(page)

    # A live contract: a change beyond the allowance needs its UK10 first.
    tender = ocds.open_tender(created_by=commissioner, authority=authority)
    bid = ocds.submit_bid(tender, ocds.provider("Riverside Care"))
    ocds.close_deadline(tender, status="standstill")
    contract = ocds.enter_contract(ocds.publish_award(tender, bid), value="6000000.00")
    ContractKpi.objects.create(contract=contract, name="Visits on time", target="95%")
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_role("link", name="Changes to the contract").click()
    check(page)
    page.get_by_label("What changes and why").fill("Two more years of service.")
    page.get_by_label("Change of value").fill("900000")
    fill_date(page, "new_ends_on", contract.ends_on + datetime.timedelta(days=730))
    page.get_by_role("button", name="Propose the change").click()
    page.wait_for_load_state()
    assert page.get_by_text("Beyond the allowance").is_visible()
    assert page.get_by_role("button", name="Make the change").count() == 0
    check(page)
    page.get_by_role("button", name="Publish the change notice").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Make the change").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Contract change notice").is_visible()
    check(page)

    page.goto(f"/contracts/{contract.pk}/performance/")
    check(page)
    fill_date(page, "period_start", datetime.date(2026, 1, 1))
    fill_date(page, "period_end", datetime.date(2026, 6, 30))
    page.get_by_label("Approaching target").check()
    page.get_by_role("button", name="Record the rating").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Publish the contract performance notice").click()
    page.wait_for_load_state()
    check(page)
    assert set(Notice.objects.values_list("notice_type", flat=True)) == {"UK5", "UK10", "UK9"}
    page.get_by_role("link", name="UK9 Contract performance notice").click()
    page.wait_for_load_state()
    assert page.get_by_text("Approaching target").first.is_visible()
    check(page)
