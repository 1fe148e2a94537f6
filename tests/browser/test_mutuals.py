"""Mutuals in Chromium, with axe on every page: a mutual records evidence and asks to be
recognised, a programme officer recognises it, a visitor finds it on the register, and a mutual
sees whether it may bid for a reserved tender."""

import datetime
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from mutuals.models import Recognition
from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import SECRET, sign_in
from tests.commissioning import evaluation_support as commissioning
from tests.mutuals import support

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _definitions():
    from mutuals.services import definitions_install_first_versions

    definitions_install_first_versions()


def _choose(page, label):
    page.get_by_label(label, exact=True).check()


def test_a_mutual_is_recognised_and_found_on_the_register(browser, live_server,
                                                          check_accessibility):
    mutual = factories.OrganisationFactory(name="Northby Home Care Mutual",
                                           legal_form="society", charity_number="")
    admin = factories.member(mutual, Role.PROVIDER_ADMIN, email="tom@homecare.example")
    officer = factories.member(factories.AuthorityFactory(name="Office for Mutuals"),
                               Role.PROGRAMME_OFFICER, email="nadia@office.example")
    TOTP.activate(officer, SECRET)

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    sign_in(page, check_accessibility, admin.email)
    page.goto("/mutuals/")
    check_accessibility(page)
    page.get_by_role("link", name="Record your mutual evidence and ask to be recognised").click()
    check_accessibility(page)
    page.get_by_role("link", name="Record your evidence").click()
    check_accessibility(page)
    page.get_by_role("button", name="Save evidence").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)

    page.get_by_label("Sector").select_option("adult_social_care")
    page.get_by_label("Region").select_option("yorkshire")
    page.get_by_label("What the organisation does").fill("Home care run by its carers.")
    page.get_by_label("It operates for the purpose of delivering public services").check()
    page.get_by_label("Share of income from reservable light-touch services (%)").fill("90")
    _choose(page, "Not for profit: every surplus is reinvested")
    page.get_by_label("Board seats in all").fill("6")
    page.get_by_label("Board seats held by employees").fill("4")
    _choose(page, "Spun out of a public body")
    page.get_by_label("Public body it spun out of").fill("Northby Council")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2018")
    page.get_by_label("Number of staff").fill("85")
    page.get_by_label("Services you deliver").fill("85311000-2 Home care")
    page.get_by_role("button", name="Save evidence").click()
    page.get_by_text("Your mutual evidence is saved.").wait_for()
    check_accessibility(page)
    page.get_by_role("link", name="Ask to be recognised").click()
    check_accessibility(page)
    _choose(page, "Public service mutual (Procurement Act 2023 section 33)")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("Your request is with the programme officers").wait_for()
    check_accessibility(page)
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    sign_in(page, check_accessibility, officer.email, secret=SECRET)
    page.goto("/mutuals/review/")
    check_accessibility(page)
    page.get_by_role("link", name="Northby Home Care Mutual").click()
    check_accessibility(page)
    assert page.get_by_text("Employees hold 66.67% of board seats").count() == 1
    page.get_by_role("button", name="Record the decision").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    _choose(page, "Recognise the organisation")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Your decision is recorded").wait_for()
    check_accessibility(page)
    page.goto("/mutuals/definitions/")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("New version of the public service mutual "
                                             r"\(procurement act 2023 section 33\)")).click()
    check_accessibility(page)
    context.close()
    assert Recognition.objects.get(organisation=mutual).status == Recognition.Status.RECOGNISED

    page = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    page.goto("/mutuals/register/")
    check_accessibility(page)
    page.get_by_label("Region").select_option("yorkshire")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Northby Home Care Mutual").click()
    check_accessibility(page)
    assert page.get_by_role("heading", name="Recognition history").count() == 1
    page.goto("/mutuals/register/?region=london")
    page.get_by_role("heading", name="No mutuals found").wait_for()
    check_accessibility(page)


def test_a_mutual_sees_whether_it_may_bid_for_a_reserved_tender(page, check_accessibility):
    authority = factories.AuthorityFactory(name="Southby Council")
    commissioner = factories.member(authority, Role.COMMISSIONER)
    tender = commissioning.closed_tender(
        authority, commissioner, is_reserved_for_mutuals=True, procedure="competitive_flexible",
        is_light_touch=True, deadline=timezone.now() + datetime.timedelta(days=20))
    mutual = support.mutual(name="Southby Care Mutual")
    charity = factories.OrganisationFactory(name="Southby Charity")
    factories.member(mutual, Role.PROVIDER_ADMIN, email="admin@care.example")
    factories.member(charity, Role.PROVIDER_ADMIN, email="admin@charity.example")

    sign_in(page, check_accessibility, "admin@care.example")
    page.goto(f"/tenders/{tender.pk}/")
    page.get_by_text("Southby Care Mutual qualifies").wait_for()
    check_accessibility(page)
    page.context.clear_cookies()
    sign_in(page, check_accessibility, "admin@charity.example")
    page.goto(f"/tenders/{tender.pk}/")
    page.get_by_text("Southby Charity does not qualify").wait_for()
    check_accessibility(page)
    page.get_by_role("link", name="Your mutual evidence and recognition").click()
    check_accessibility(page)
    assert page.get_by_role("heading", name="Mutual evidence and recognition").count() == 1


def test_a_mutual_declares_contracts_and_keeps_its_social_value_profile(page,
                                                                        check_accessibility):
    from socialvalue.services import load_social_value_model

    load_social_value_model()
    mutual = factories.OrganisationFactory(name="Ferncliffe Mutual", legal_form="society",
                                           charity_number="")
    support.profile(mutual)
    factories.member(mutual, Role.PROVIDER_ADMIN, email="admin@ferncliffe.example")
    factories.AuthorityFactory(name="Ferncliffe Council")
    sign_in(page, check_accessibility, "admin@ferncliffe.example")
    page.goto("/mutuals/your-organisation/")
    check_accessibility(page)
    page.get_by_role("link", name="Declare a reserved contract").click()
    check_accessibility(page)
    page.get_by_role("button", name="Declare the contract").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    page.locator("#id_authority").select_option(label="Ferncliffe Council")
    page.get_by_label("Contract title").fill("Day care, 2025 to 2028")
    page.get_by_label("Main CPV code").fill("85312000-9")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2025")
    _choose(page, "Procurement Act 2023 section 33")
    page.get_by_role("button", name="Declare the contract").click()
    page.get_by_text("The contract is recorded.").wait_for()
    page.get_by_role("link", name="Remove Day care, 2025 to 2028").click()
    check_accessibility(page)
    page.get_by_role("button", name="Remove the contract").click()
    page.get_by_text("The contract is removed").wait_for()

    page.get_by_role("link", name="Add a measure to your social value profile").click()
    check_accessibility(page)
    page.get_by_label("Measure").select_option(index=1)
    page.get_by_label("How much each year").fill("12")
    page.get_by_label("How your organisation delivers it").fill("Staff volunteering days")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your social value profile is saved.").wait_for()
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("^Remove")).first.click()
    check_accessibility(page)
    from mutuals.models import DeclaredReservedContract, SocialValueProfileEntry

    assert not DeclaredReservedContract.objects.exists()
    assert SocialValueProfileEntry.objects.get().annual_quantity == 12


def test_a_team_is_supported_from_application_to_a_signed_off_milestone(browser, live_server,
                                                                        check_accessibility):
    from decimal import Decimal

    from mutuals.models import Adviser

    council = factories.AuthorityFactory(name="Hillside Council")
    scheme = support.scheme(council)
    officer = factories.member(council, Role.PROGRAMME_OFFICER, email="po@hillside.example")
    TOTP.activate(officer, SECRET)
    adviser = factories.UserFactory(email="adviser@firm.example")
    Adviser.objects.create(scheme=scheme, user=adviser, firm="Firm LLP",
                           specialisms=["legal"], day_rate=Decimal("800"))
    lead = factories.UserFactory(email="lead@hillside.example")

    def as_person(email, secret=None):
        page = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
        sign_in(page, check_accessibility, email, secret=secret)
        return page

    page = as_person(lead.email)
    page.goto("/mutuals/support/")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Apply for support")).click()
    check_accessibility(page)
    _choose(page, "A team inside a public body, planning to spin out")
    page.get_by_label("Your team's name").fill("Hillside Libraries Team")
    page.get_by_label("The public body your team is part of").select_option(
        label="Hillside Council")
    page.get_by_role("button", name="Start the application").click()
    page.get_by_role("heading", name="Hillside Libraries Team").wait_for()
    check_accessibility(page)
    page.get_by_role("link", name="Record support you received").click()
    check_accessibility(page)
    page.get_by_role("button", name="Record it").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Answer the eligibility and expression of interest "
                                  "questions").click()
    check_accessibility(page)
    page.get_by_label("We are based in England").check()
    _choose(page, "Public service mutual (government programme definition)")
    page.get_by_label("How will support help you grow or diversify?").fill(support.GROWTH)
    page.get_by_label("The services you deliver and how").fill("Six branch libraries.")
    page.get_by_label("How you plan to change the services").fill("Community-run branches.")
    page.get_by_label("Your senior sponsor (name and role)").fill("Director of Culture")
    page.get_by_label("Legal structure and governance").check()
    page.get_by_label("Advisory days you ask for").fill("6")
    page.get_by_role("button", name="Save answers").click()
    page.get_by_text("Your answers are saved.").wait_for()
    page.get_by_role("button", name="Send the application").click()
    page.get_by_text("Your application is sent").wait_for()
    check_accessibility(page)
    page.goto("/mutuals/support/applications/")
    check_accessibility(page)
    page.context.close()

    page = as_person(officer.email, SECRET)
    page.goto("/mutuals/support/applications/")
    page.get_by_role("link", name=re.compile("MSP-")).click()
    page.get_by_role("link", name="Declare and assess").click()
    check_accessibility(page)
    _choose(page, "No")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name=re.compile("Assess Hillside")).wait_for()
    check_accessibility(page)
    for key in ("growth_case", "staff_engagement", "deliverability", "value_for_money"):
        page.locator(f"#id_score_{key}_4").check()
        page.locator(f"#id_comment_{key}").fill("Clear evidence.")
    _choose(page, "Support")
    page.get_by_role("button", name="Save your assessment").click()
    page.get_by_text("Your assessment is saved.").wait_for()
    page.get_by_role("link", name="Decide").click()
    check_accessibility(page)
    page.get_by_role("button", name="Record the decision").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    _choose(page, "Agree support")
    page.get_by_label("Advisory days agreed").fill("6")
    page.get_by_label("Feedback for the applicant").fill("A clear plan; start with the law.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("link", name="See the support plan").click()
    check_accessibility(page)
    page.get_by_role("link", name="Allocate an adviser").click()
    check_accessibility(page)
    page.get_by_label("Adviser").select_option(index=1)
    page.get_by_label("Kind of advice").select_option("legal")
    page.get_by_label("Days").fill("3")
    page.get_by_role("button", name="Allocate").click()
    page.get_by_text("The adviser is allocated").wait_for()
    plan_url = page.url
    page.context.close()

    page = as_person(adviser.email)
    page.goto("/mutuals/support/advising/")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Log a day")).click()
    check_accessibility(page)
    today = datetime.date.today()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    _choose(page, "A day")
    page.get_by_label("What you did").fill("Compared legal structures with the team.")
    page.get_by_role("button", name="Log the day").click()
    page.get_by_text("The day is logged").wait_for()
    page.context.close()

    page = as_person(lead.email)
    page.goto(plan_url)
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("^Review")).click()
    check_accessibility(page)
    _choose(page, "Sign it off")
    page.get_by_role("button", name="Record your review").click()
    page.get_by_text("Thank you: the adviser is told.").wait_for()
    page.goto(plan_url)
    page.get_by_role("link", name="Options appraisal").click()
    check_accessibility(page)
    page.get_by_label("What was done").fill("The appraisal chose a community benefit society.")
    page.get_by_role("button", name="Send the evidence").click()
    page.context.close()

    page = as_person(officer.email, SECRET)
    page.goto(plan_url)
    page.get_by_role("link", name="Options appraisal").click()
    _choose(page, "Sign it off")
    page.get_by_role("button", name="Record your review").click()
    page.get_by_text("1 of 8 milestones signed off").wait_for()
    check_accessibility(page)
    from mutuals.models import AdviceDay, Milestone

    assert AdviceDay.objects.get().status == AdviceDay.Status.SIGNED_OFF
    assert Milestone.objects.filter(status=Milestone.Status.SIGNED_OFF).count() == 1
