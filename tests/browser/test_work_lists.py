"""Work lists and findings in Chromium, each page checked with axe (WCAG 2.2 A/AA): a finding
assigned, acknowledged and commented on; notifications marked read; a contract manager's
contracts; an evaluator's tasks on the dashboard."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from compliance.models import Finding
from core.notifications import notify
from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import SECRET, sign_in
from tests.commissioning import factories as cf
from tests.commissioning.test_work_lists import contract  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)


def _person(authority, role, email):
    person = factories.member(authority, role, email=email)
    TOTP.activate(person, SECRET)
    return person


def test_a_finding_is_assigned_acknowledged_and_commented_on(page, check_accessibility):
    authority = factories.AuthorityFactory(name="Northby Council")
    person = _person(authority, Role.COMMISSIONER, "kim@northby.example")
    factories.member(authority, Role.CONTRACT_MANAGER, email="sam@northby.example",
                     full_name="Sam Patel")
    tender = cf.TenderFactory(authority=authority, created_by=person, title="Meals at home")
    seen = timezone.now()
    finding = Finding.objects.create(
        check_id="commissioning.opening_overdue", object_id=tender.pk,
        content_type=ContentType.objects.get_for_model(tender), organisation=authority,
        message="Bids are still sealed two working days after the deadline.", severity="high",
        first_seen_at=seen, last_seen_at=seen)

    sign_in(page, check_accessibility, person.email, secret=SECRET)
    page.wait_for_url(re.compile("/dashboard/"))
    page.goto(f"/compliance/findings/{finding.pk}/")
    about = page.get_by_role("link", name=f"Tender {tender.reference} Meals at home")
    assert about.get_attribute("href") == f"/commissioning/tenders/{tender.pk}/"
    check_accessibility(page)

    page.get_by_role("button", name="Add comment").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    page.get_by_label("Who should deal with it?").select_option(label="Sam Patel")
    page.get_by_role("button", name="Assign").click()
    page.get_by_text("Finding assigned.").wait_for()
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_text("Finding acknowledged.").wait_for()
    page.get_by_label("Add a comment").fill("Opening booked for Monday.")
    page.get_by_role("button", name="Add comment").click()
    history = page.locator("#finding-history")
    history.get_by_text("Opening booked for Monday.").wait_for()
    assert "assigned it to Sam Patel" in history.inner_text()
    assert "acknowledged it" in history.inner_text()
    assert page.get_by_role("button", name="Acknowledge").count() == 0
    check_accessibility(page)


def test_notifications_are_marked_read_one_and_all(page, check_accessibility):
    person = factories.UserFactory(email="ash@example.org")
    for subject in ("Tender published", "Clarification answered", "Panel meeting"):
        notify(recipients=[person], subject=subject, body="See the portal.")
    sign_in(page, check_accessibility, person.email)
    page.wait_for_url(re.compile("/dashboard/"))
    page.goto("/notifications/")
    page.get_by_role("heading", level=1, name="Your notifications").wait_for()
    check_accessibility(page)
    item = page.locator("li", has=page.get_by_role("heading", name="Panel meeting"))
    item.get_by_role("button", name=re.compile("Mark as read")).click()
    page.get_by_text("Notification marked as read.").wait_for()
    assert page.get_by_role("button", name=re.compile("^Mark as read")).count() == 2
    page.get_by_role("button", name="Mark all as read").click()
    page.get_by_text("2 notifications marked as read.").wait_for()
    assert page.get_by_role("button", name=re.compile("Mark")).count() == 0
    check_accessibility(page)


def test_a_contract_manager_finds_a_contract_record(page, check_accessibility, authority,
                                                     contract):  # noqa: F811
    person = _person(authority, Role.CONTRACT_MANAGER, "lee@council.example")
    sign_in(page, check_accessibility, person.email, secret=SECRET)
    page.wait_for_url(re.compile("/dashboard/"))
    page.get_by_role("navigation").get_by_role("link", name="Contracts").click()
    page.get_by_role("heading", level=1, name="Contracts").wait_for()
    check_accessibility(page)
    page.locator("#contracts").get_by_role("link").first.click()
    page.get_by_role("heading", level=1, name="Contract with Hillside Support").wait_for()
    for heading in ("Key performance indicators", "Social value delivery", "Documents",
                    "Changes", "History"):
        assert page.get_by_role("heading", level=2, name=heading).is_visible()
    assert page.get_by_text("Visits on time").first.is_visible()
    check_accessibility(page)


def test_an_evaluator_sees_what_to_do_on_the_dashboard(page, check_accessibility, authority,
                                                      commissioner):
    person = _person(authority, Role.EVALUATOR, "eve@council.example")
    tender = cf.TenderFactory(authority=authority, created_by=commissioner, title="Day care")
    cf.TenderEvaluatorFactory(tender=tender, user=person)
    sign_in(page, check_accessibility, person.email, secret=SECRET)
    page.wait_for_url(re.compile("/dashboard/"))
    tasks = page.get_by_role("table", name=re.compile("What you must do"))
    link = tasks.get_by_role("link", name="Declare any conflicts of interest for Day care")
    assert link.is_visible()
    check_accessibility(page)
    link.click()
    page.wait_for_url(re.compile(f"/tenders/{tender.pk}/"))
