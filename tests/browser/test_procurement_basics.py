"""Authority type, light touch from CPV codes and the bid countdown, in Chromium with axe."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from commissioning.services.tender_content import tender_cpv_set
from organisations.models import Organisation, Role
from tests import factories
from tests.browser.test_journeys import sign_in
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_a_platform_admin_records_that_an_authority_is_central_government(page,
                                                                         check_accessibility):
    admin = factories.PlatformAdminFactory(email="ops@example.org")
    TOTP.activate(admin, SECRET)
    authority = factories.AuthorityFactory(name="Department for Tests")
    sign_in(page, check_accessibility, admin.email, secret=SECRET)
    page.wait_for_url(re.compile("/dashboard/"))
    page.goto(f"/organisations/{authority.pk}/")
    page.get_by_text("Not recorded: treated as a sub-central authority").wait_for()
    check_accessibility(page)
    page.get_by_role("link", name="Change authority type").click()
    page.get_by_role("heading", name="Authority type").wait_for()
    check_accessibility(page)
    page.get_by_role("button", name="Save authority type").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)  # the error state too
    page.get_by_label("Central government authority").check()
    page.get_by_role("button", name="Save authority type").click()
    page.get_by_text("Authority type saved.").wait_for()
    check_accessibility(page)
    authority.refresh_from_db()
    assert authority.authority_type == Organisation.AuthorityType.CENTRAL


def test_a_commissioner_sees_why_the_contract_is_light_touch(page, check_accessibility):
    authority = factories.AuthorityFactory()
    commissioner = factories.member(authority, Role.COMMISSIONER)
    TOTP.activate(commissioner, SECRET)
    tender = cf.publishable_tender(authority=authority, created_by=commissioner)
    tender_cpv_set(actor=commissioner, tender=tender, codes=["85310000-5", "72000000-5"],
                   main="85310000-5")
    sign_in(page, check_accessibility, commissioner.email, secret=SECRET)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto(f"/commissioning/tenders/{tender.pk}/")
    page.get_by_role("heading", name="Light touch").wait_for()
    page.get_by_text("How each CPV code was assessed").click()
    page.get_by_text(re.compile("72000000-5.*Not a light touch service")).wait_for()
    check_accessibility(page)
    assert page.locator("[data-light-touch]").get_attribute("data-light-touch") == "yes"


def _bid(deadline_in: timedelta):
    provider = factories.OrganisationFactory()
    admin = factories.member(provider, Role.PROVIDER_ADMIN)
    now = timezone.now()
    tender = cf.TenderFactory(title="Home support in Northby", deadline=now + deadline_in,
                              questions_deadline=now - timedelta(hours=2),
                              published_at=now - timedelta(days=12))
    cf.TenderQuestionFactory(tender=tender, number=1)
    bid = cf.BidFactory(tender=tender, organisation=provider, created_by=admin)
    return admin, bid


def test_the_countdown_updates_itself_from_the_server(page, check_accessibility):
    admin, bid = _bid(timedelta(minutes=40))
    sign_in(page, check_accessibility, admin.email)
    page.goto(f"/bids/{bid.pk}/")
    countdown = page.locator("#bid-countdown")
    countdown.get_by_text("Closing soon").wait_for()
    first = countdown.inner_text()
    assert "Server time when this was shown" in first
    check_accessibility(page)
    with page.expect_response(lambda r: f"/bids/{bid.pk}/" in r.url
                              and r.request.headers.get("hx-request") == "true",
                              timeout=25_000):
        pass
    page.wait_for_function(
        "previous => document.querySelector('#bid-countdown').innerText !== previous", arg=first)
    assert page.locator("#bid-countdown").count() == 1  # swapped, not nested
    check_accessibility(page)


def test_without_javascript_the_countdown_is_right_and_the_late_state_is_clear(browser,
                                                                              live_server):
    admin, bid = _bid(timedelta(minutes=-5))
    context = browser.new_context(base_url=live_server.url, locale="en-GB",
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, lambda page: None, admin.email)
        page.goto(f"/bids/{bid.pk}/")
        page.get_by_text("This bid is late").wait_for()
        assert "can no longer be submitted" in page.locator("#bid-countdown").inner_text()
        assert page.get_by_role("button", name="Check and submit your bid").count() == 0
    finally:
        context.close()


def test_the_late_state_passes_axe(page, check_accessibility):
    admin, bid = _bid(timedelta(minutes=-5))
    sign_in(page, check_accessibility, admin.email)
    page.goto(f"/bids/{bid.pk}/")
    page.get_by_text("This bid is late").wait_for()
    check_accessibility(page)
    assert page.locator("#bid-countdown").get_attribute("data-state") == "late"
