"""A bidder whose submission meets a database outage: a clear page (axe-checked), "Try again"
leads back to the draft as it was, and the retry gets the receipt with both of its times."""

import re

import pytest
from django.db import OperationalError

from commissioning.models import BidReceipt
from commissioning.services import bids as services
from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import sign_in
from tests.commissioning import factories as cf
from tests.commissioning.bids_support import fill_bid

pytestmark = pytest.mark.django_db(transaction=True)


def _database_gone(**kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_submission_during_an_outage_shows_a_clear_page_and_succeeds_on_retry(
        page, check_accessibility, monkeypatch):
    provider = factories.OrganisationFactory(name="Riverside Care Co-operative")
    admin = factories.member(provider, Role.PROVIDER_ADMIN)
    tender = cf.TenderFactory(title="Home support in Northby")
    cf.TenderQuestionFactory(tender=tender, number=1, text="How will you recruit local staff?")
    cf.DocumentSlotFactory(tender=tender, name="Method statement")
    bid = fill_bid(services.bid_start(tender=tender, organisation=provider, actor=admin), admin)
    check = check_accessibility
    sign_in(page, check, admin.email)

    page.goto(f"/bids/{bid.pk}/submit/")
    monkeypatch.setattr(services, "bid_submit", _database_gone)
    page.get_by_role("button", name="Submit bid").click()
    page.get_by_role("heading", name="We could not submit your bid").wait_for()
    check(page)
    assert "Nothing was lost" in page.content()
    assert not BidReceipt.objects.exists()

    monkeypatch.undo()
    page.get_by_role("button", name="Try again").click()
    page.get_by_role("button", name="Submit bid").wait_for()
    assert page.get_by_label(re.compile("accurate and complete")).is_checked()  # as saved
    page.get_by_role("button", name="Submit bid").click()
    page.get_by_role("heading", name="Bid received").wait_for()
    check(page)
    receipt = BidReceipt.objects.get(bid=bid)
    content = page.content()
    assert receipt.received_at.strftime("%Y-%m-%d %H:%M:%S.%f") in content
    assert receipt.recorded_at.strftime("%Y-%m-%d %H:%M:%S.%f") in content
