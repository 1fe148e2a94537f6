"""Social value commitments checked as the bidder types, in Chromium, with and without
JavaScript; axe on every state of the page; no Content Security Policy violation."""

import re

import pytest

from commissioning.services import bids as services
from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import sign_in
from tests.commissioning import factories as cf
from tests.socialvalue.conftest import local_framework, local_measures, plan, pm  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
TWICE = "The same activity cannot be counted twice"


@pytest.fixture
def scene(plan):  # noqa: F811
    provider = factories.OrganisationFactory(name="Riverside Care Co-operative")
    admin = factories.member(provider, Role.PROVIDER_ADMIN, email="ria@riverside.example")
    tender = cf.TenderFactory(authority=plan.authority, social_value_plan=plan,
                              title="Home support in Northby")
    bid = services.bid_start(tender=tender, organisation=provider, actor=admin)
    return {"admin": admin, "bid": bid, "plan": plan}


def fill_commitment(page, plan, code, quantity):  # noqa: F811
    block = page.locator("fieldset", has=page.locator(f"#id_m{pm(plan, code).pk}-quantity"))
    block.get_by_label("How you will deliver it").fill("Buy from local firms")
    block.get_by_label("Who is responsible").fill("Asha Khan")
    block.get_by_label("Milestones").fill("Quarterly")
    block.get_by_label("Method statement").fill("Invoices")
    block.get_by_label("Delivered locally").check()
    block.get_by_label("Quantity you commit to").fill(quantity)
    return block


def test_commitments_are_checked_as_the_bidder_types(page, check_accessibility, scene):
    csp_errors = []
    page.on("console", lambda message: csp_errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    sv_plan, bid = scene["plan"], scene["bid"]
    sign_in(page, check_accessibility, scene["admin"].email)
    page.goto(f"/bids/{bid.pk}/social-value/")
    page.get_by_role("heading", name="Social value commitments").wait_for()
    check_accessibility(page)

    first = fill_commitment(page, sv_plan, "L3", "5000")
    status = page.locator("#sv-check-status")
    status.get_by_text("No problems found so far").wait_for()
    first.get_by_text("£500.00").wait_for()  # 5,000 × £0.10, shown for information
    second = fill_commitment(page, sv_plan, "L4", "100")
    status.get_by_text("2 problems to fix before you save.").wait_for()
    second.get_by_text(TWICE).wait_for()
    check_accessibility(page)

    # Saving anyway gives the ordinary error page, which is checked as typed too.
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").get_by_text(TWICE).first.wait_for()
    check_accessibility(page)

    second = page.locator("fieldset", has=page.locator(f"#id_m{pm(sv_plan, 'L4').pk}-quantity"))
    second.get_by_label("Quantity you commit to").fill("")
    status.get_by_text("No problems found so far").wait_for()
    assert second.get_by_text(TWICE).count() == 0
    check_accessibility(page)
    assert csp_errors == []

    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=re.compile("Your bid for")).wait_for()


def test_without_javascript_the_page_is_checked_when_saved(browser, live_server, scene):
    context = browser.new_context(base_url=live_server.url, locale="en-GB",
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sv_plan, bid = scene["plan"], scene["bid"]
    try:
        # axe needs JavaScript: the same page with JavaScript is checked above.
        sign_in(page, lambda page: None, scene["admin"].email)
        page.goto(f"/bids/{bid.pk}/social-value/")
        fill_commitment(page, sv_plan, "L3", "5000")
        fill_commitment(page, sv_plan, "L4", "100")
        page.get_by_role("button", name="Save and continue").click()
        page.locator(".govuk-error-summary").get_by_text(TWICE).first.wait_for()
        assert page.locator("#sv-check-status").inner_text().strip() == ""  # nothing live here
    finally:
        context.close()
