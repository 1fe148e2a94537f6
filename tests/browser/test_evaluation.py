"""Opening, evaluation, moderation, award and feedback in Chromium, every page checked by axe."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from commissioning.models import Award
from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import expect_error_summary, sign_in
from tests.commissioning import evaluation_support as support

pytestmark = pytest.mark.django_db(transaction=True)
SECRETS = {
    "first": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA",
    "second": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXB",
    "evaluator": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXC",
}


@pytest.fixture
def scene(db):
    authority = factories.AuthorityFactory(name="Northshire County Council")
    people = {}
    for key, role, email in (("first", Role.COMMISSIONER, "asha@example.org"),
                             ("second", Role.COMMISSIONER, "ben@example.org"),
                             ("evaluator", Role.EVALUATOR, "cara@example.org")):
        people[key] = factories.member(authority, role, email=email, full_name=email[:4].title())
        TOTP.activate(people[key], SECRETS[key])
    tender = support.closed_tender(authority, people["first"], title="Home support service")
    criteria = support.standard_criteria(tender)
    loser = support.sealed_bid(tender, price="120000.00", name="Riverside Care")
    winner = support.sealed_bid(tender, price="100000.00", name="Hillside Support")
    return {"tender": tender, "criteria": criteria, "loser": loser, "winner": winner, **people}


def open_as(browser, live_server, check, scene, key):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, check, scene[key].email, secret=SECRETS.get(key))
    page.wait_for_url(lambda url: "/accounts/" not in url)
    return page


def score(page, check, scene, bid, quality, social):
    page.goto(f"/evaluation/bids/{bid.pk}/")
    check(page)
    criteria = scene["criteria"]
    page.get_by_role("button", name="Submit scores").click()
    expect_error_summary(page)
    check(page)
    page.check(f"input[name=criterion_{criteria['quality'].pk}][value='{quality}']")
    page.get_by_label("Reasons for your score for Quality of service").fill("Clear plan.")
    page.check(f"input[name=criterion_{criteria['social_value'].pk}][value='{social}']")
    page.get_by_label("Reasons for your score for Social value").fill("Local jobs.")
    page.get_by_role("button", name="Submit scores").click()
    page.get_by_text("Scores submitted.").wait_for()
    check(page)


def moderate(page, check, scene, bid, quality, social):
    page.goto(f"/evaluation/bids/{bid.pk}/scores/")
    check(page)
    criteria = scene["criteria"]
    page.check(f"input[name=criterion_{criteria['quality'].pk}][value='{quality}']")
    page.get_by_label("Reasons for the moderated score for Quality of service").fill(
        "The panel agreed the plan is clear.")
    page.check(f"input[name=criterion_{criteria['social_value'].pk}][value='{social}']")
    page.get_by_label("Reasons for the moderated score for Social value").fill(
        "Credible local hiring.")
    page.get_by_role("button", name="Save moderated scores").click()
    page.get_by_text("Moderated scores saved.").wait_for()
    check(page)


def declare_none(page, check, tender):
    page.goto(f"/tenders/{tender.pk}/evaluation/conflicts/")
    check(page)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Make declaration").click()
    page.get_by_text("Declaration recorded.").wait_for()
    check(page)


def test_open_evaluate_moderate_award_and_read_feedback(browser, live_server, scene,
                                                        check_accessibility):
    check, tender = check_accessibility, scene["tender"]
    first = open_as(browser, live_server, check, scene, "first")
    first.goto(f"/tenders/{tender.pk}/opening/")
    check(first)
    first.get_by_role("button", name="Ask to open the bids").click()
    first.get_by_text("Opening requested: a colleague must confirm.").wait_for()
    check(first)

    second = open_as(browser, live_server, check, scene, "second")
    second.goto(f"/tenders/{tender.pk}/opening/")
    second.get_by_role("button", name="Confirm opening").click()
    second.get_by_text("Bids opened.").wait_for()
    check(second)

    first.goto(f"/tenders/{tender.pk}/panel/")
    check(first)
    first.get_by_label("Person").select_option(label="Cara (cara@example.org)")
    first.get_by_role("button", name="Add to panel").click()
    first.get_by_text("added to the panel").wait_for()
    first.get_by_role("button", name="Start evaluation").click()
    first.get_by_text("Evaluation started").wait_for()
    check(first)

    evaluator = open_as(browser, live_server, check, scene, "evaluator")
    evaluator.goto(f"/tenders/{tender.pk}/evaluation/")
    check(evaluator)
    evaluator.get_by_role("link", name="Declare conflicts of interest").click()
    evaluator.get_by_role("button", name="Make declaration").click()
    expect_error_summary(evaluator)
    check(evaluator)
    declare_none(evaluator, check, tender)
    score(evaluator, check, scene, scene["loser"], 60, 40)
    score(evaluator, check, scene, scene["winner"], 80, 60)

    declare_none(second, check, tender)
    moderate(second, check, scene, scene["loser"], 60, 40)
    moderate(second, check, scene, scene["winner"], 80, 80)

    declare_none(first, check, tender)
    first.goto(f"/tenders/{tender.pk}/evaluation/ranking/")
    check(first)
    first.goto(f"/tenders/{tender.pk}/award/")
    check(first)
    first.get_by_role("button", name="Propose award").click()
    first.get_by_text("Award proposed: a colleague must approve it.").wait_for()
    check(first)
    award = Award.objects.get()
    assert award.bid == scene["winner"]

    second.goto(f"/awards/{award.pk}/")
    check(second)
    second.get_by_role("button", name="Approve award").click()
    second.get_by_text("Award approved.").wait_for()
    check(second)
    second.get_by_role("link", name="Publish the contract award notice").click()
    check(second)
    second.get_by_role("button", name="Publish notice").click()
    second.get_by_role("heading", name="Contract award notice published").wait_for()
    check(second)
    award.refresh_from_db()
    from core.templatetags.govuk import govuk_date

    assert govuk_date(award.standstill_ends_on) in second.locator(".govuk-panel").inner_text()

    bidder = open_as(browser, live_server, check, {"bidder": scene["loser"].created_by},
                     "bidder")
    bidder.goto(f"/bids/{scene['loser'].pk}/feedback/")
    check(bidder)
    text = bidder.locator("main").inner_text()
    assert "Your bid was not successful" in text
    assert "Hillside Support" in text and "The panel agreed the plan is clear." in text
    assert re.search(r"60 out of 100", text)
