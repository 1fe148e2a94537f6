"""Social value in Chromium: design a plan, report delivery, review it; axe on every page."""

import datetime
import re
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from organisations.models import Role
from socialvalue import services
from socialvalue.models import DeliveryReport, Measure, PlanMeasure
from tests import factories
from tests.browser.test_journeys import SECRET, sign_in
from tests.socialvalue.conftest import LOCAL_ROWS, entry, local_csv

pytestmark = pytest.mark.django_db(transaction=True)


def _authority_with_catalogue():
    authority = factories.AuthorityFactory(name="Northby Council")
    commissioner = factories.member(authority, Role.COMMISSIONER, email="cara@northby.example")
    TOTP.activate(commissioner, SECRET)
    services.load_social_value_model()
    report = services.catalogue_import(actor=commissioner, authority=authority,
                                       text=local_csv(*LOCAL_ROWS))
    assert report.ok
    return authority, commissioner


def test_a_commissioner_designs_social_value_into_a_tender(page, check_accessibility):
    from tests.commissioning.factories import publishable_tender

    authority, commissioner = _authority_with_catalogue()
    tender = publishable_tender(authority=authority, created_by=commissioner)
    sign_in(page, check_accessibility, commissioner.email, secret=SECRET)
    page.goto(f"/commissioning/tenders/{tender.pk}/")
    page.get_by_role("link", name="Design social value").click()
    check_accessibility(page)
    page.get_by_role("button", name="Start the social value design").click()
    page.wait_for_url(re.compile("/social-value/plans/"))
    check_accessibility(page)
    tender.refresh_from_db()
    plan = tender.social_value_plan
    assert plan is not None and plan.weight == Decimal("10")
    page.goto(f"/social-value/plans/{plan.pk}/")
    page.get_by_role("heading", name="Social value plan").wait_for()
    assert "Choose at least one social value measure" in page.content()
    check_accessibility(page)

    page.get_by_role("link", name="Add a measure").click()
    check_accessibility(page)
    page.get_by_label("Local jobs: Local FTE jobs (FTE-years)").check()
    page.get_by_role("button", name="Add measure").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    page.get_by_label("Why is this measure relevant to the contract?").fill(
        "The contract employs 40 care workers in Northby.")
    page.get_by_role("button", name="Add measure").click()
    page.get_by_text("Added “Local FTE jobs”.").wait_for()
    check_accessibility(page)

    page.get_by_role("link", name="Change the weight and question").click()
    check_accessibility(page)
    page.get_by_label("Social value weight (%)").fill("5")
    page.get_by_label("Social value question").fill("How will you create local jobs?")
    page.get_by_role("button", name="Save weight and question").click()
    page.get_by_text("Weight must be between 10%").first.wait_for()
    check_accessibility(page)
    assert page.get_by_label("Social value question").input_value() == \
        "How will you create local jobs?"
    page.get_by_label("Social value weight (%)").fill("15")
    page.get_by_role("button", name="Save weight and question").click()
    page.get_by_text("Bidders will see these measures and the question.").wait_for()
    check_accessibility(page)

    plan.refresh_from_db()
    assert plan.weight == Decimal("15.00")
    chosen = PlanMeasure.objects.get(plan=plan)
    assert chosen.measure == Measure.objects.get(code="L1") and chosen.proxy_value.version == 1
    page.goto("/social-value/catalogue/")
    check_accessibility(page)


def test_a_supplier_reports_delivery_and_the_contract_manager_reviews_it(
        page, check_accessibility, tmp_path):
    authority, commissioner = _authority_with_catalogue()
    provider = factories.OrganisationFactory(name="Riverside Care CIC")
    supplier = factories.member(provider, Role.PROVIDER_ADMIN, email="sam@riverside.example")
    manager = factories.member(authority, Role.CONTRACT_MANAGER, email="max@northby.example")
    TOTP.activate(manager, SECRET)
    plan = services.plan_create(actor=commissioner, authority=authority)
    services.plan_measure_add(actor=commissioner, plan=plan,
                              measure=Measure.objects.get(code="L1"), relevance="Local jobs")
    chosen = plan.measures.get()
    recorded = services.commitments_record(plan=plan, supplier=provider,
                                           contract_value=Decimal("400000"),
                                           entries=[entry(chosen, quantity="8")])
    ledger = services.ledger_create(commitment_set=recorded, authority=authority,
                                    actor=commissioner, starts_on=datetime.date(2025, 1, 1),
                                    ends_on=datetime.date(2026, 12, 31))
    evidence = tmp_path / "payroll.csv"
    evidence.write_text("name,hours\nA,37\n")

    sign_in(page, check_accessibility, supplier.email)
    page.goto(f"/social-value/ledgers/{ledger.pk}/")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("^Report for 1 Jan 2025")).click()
    check_accessibility(page)
    page.get_by_role("button", name="Send report").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    page.get_by_label(re.compile("Amount delivered")).fill("0.9")
    page.get_by_label("What did you deliver?").fill("Hired a local care worker full time.")
    page.get_by_label("Evidence (optional)").set_input_files(str(evidence))
    page.get_by_role("button", name="Send report").click()
    page.get_by_role("heading", name="Report sent").wait_for()
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, check_accessibility, manager.email, secret=SECRET)
    page.goto(f"/social-value/ledgers/{ledger.pk}/")
    page.get_by_role("link", name=re.compile("^Review for 1 Jan 2025")).click()
    check_accessibility(page)
    page.get_by_label("No, reject it").check()
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Enter the reason for rejecting the report").first.wait_for()
    check_accessibility(page)
    page.get_by_label(re.compile("^Yes, accept it")).check()
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Report accepted.").wait_for()
    check_accessibility(page)
    assert DeliveryReport.objects.get().status == DeliveryReport.Status.ACCEPTED

    page.goto("/social-value/reports/")
    page.get_by_role("img", name=re.compile("Committed and delivered by Theme")).wait_for()
    check_accessibility(page)
    page.goto("/social-value/reports/statement/")
    check_accessibility(page)
    page.goto("/social-value/reports/performance/")
    check_accessibility(page)
