"""Journeys through the portal in Chromium, each page checked with axe (WCAG 2.2 A/AA)."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail

from organisations.models import Organisation, Role
from tests import factories
from tests.browser.conftest import totp_code

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def sign_in(page, check, email, *, secret=None):
    page.goto("/accounts/login/")
    check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if secret:
        page.wait_for_url(re.compile("/accounts/2fa/authenticate/"))
        check(page)
        page.get_by_label(re.compile("code", re.I)).fill(totp_code(secret))
        page.get_by_role("button", name=re.compile("Sign in|Continue|Confirm", re.I)).click()


def test_public_pages(page, check_accessibility):
    for path in ["/", "/accessibility/", "/privacy/", "/cookies/", "/no-such-page/"]:
        page.goto(path)
        check_accessibility(page)
    assert page.get_by_role("heading", level=1).count() == 1


def test_a_charity_signs_up_verifies_its_email_and_registers(page, check_accessibility):
    page.goto("/")
    page.get_by_role("link", name="Create an account").first.click()
    check_accessibility(page)
    page.get_by_role("button", name="Sign up").click()
    expect_error_summary(page)
    check_accessibility(page)
    page.get_by_label("Full name").fill("Sam Patel")
    page.get_by_label("Email").fill("sam@riverside.example.org")
    page.get_by_label("Password", exact=True).fill("a-long-enough-password")
    page.get_by_label(re.compile("Password \\(again\\)|Confirm password")).fill(
        "a-long-enough-password")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile("/accounts/confirm-email/"))
    check_accessibility(page)

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    check_accessibility(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile("/dashboard/"))
    check_accessibility(page)

    page.get_by_role("link", name="Register your organisation").click()
    check_accessibility(page)
    page.get_by_label("Organisation name").fill("Riverside Community Trust")
    page.get_by_label("Community interest company (CIC)").check()
    page.get_by_label("Address line 1").fill("1 Quay Street")
    page.get_by_label("Town or city").fill("Northby")
    page.get_by_label("Postcode").fill("ls1 4dy")
    page.get_by_label("Micro (fewer than 10 staff)").check()
    page.get_by_role("button", name="Register organisation").click()
    expect_error_summary(page)
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Enter your Companies House number")).click()
    page.get_by_label(re.compile("Companies House number")).fill("1234567")
    page.get_by_role("button", name="Register organisation").click()
    page.get_by_role("heading", name="Organisation registered").wait_for()
    assert "GB-COH-01234567" in page.content()
    check_accessibility(page)
    organisation = Organisation.objects.get(name="Riverside Community Trust")
    assert organisation.verification_status == "pending"


def test_platform_admin_signs_in_with_mfa_and_verifies_an_organisation(page, check_accessibility):
    admin = factories.PlatformAdminFactory(email="admin@example.org")
    TOTP.activate(admin, SECRET)
    factories.OrganisationFactory(name="Hillside Youth Project", verification_status="pending")
    sign_in(page, check_accessibility, admin.email, secret=SECRET)
    page.wait_for_url(re.compile("/dashboard/"))
    check_accessibility(page)
    page.get_by_role("navigation").get_by_role("link", name="Verification").click()
    check_accessibility(page)
    page.get_by_role("link", name="Hillside Youth Project").click()
    check_accessibility(page)
    page.get_by_role("button", name="Reject organisation").click()
    expect_error_summary(page)
    check_accessibility(page)
    page.get_by_role("button", name="Verify organisation").click()
    page.get_by_text("Hillside Youth Project is verified.").wait_for()
    check_accessibility(page)
    assert Organisation.objects.get(name="Hillside Youth Project").is_verified


def test_authority_staff_must_set_up_mfa_then_invite_a_colleague(page, check_accessibility):
    authority = factories.AuthorityFactory(name="Northshire County Council")
    admin = factories.member(authority, Role.AUTHORITY_ADMIN, email="owen@example.org")
    sign_in(page, check_accessibility, admin.email)
    page.goto("/dashboard/")
    # Setting up an authenticator asks for the password again (allauth's reauthentication).
    page.wait_for_url(re.compile("/accounts/reauthenticate/"))
    check_accessibility(page)
    page.get_by_label("Password", exact=True).fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile("/accounts/2fa/totp/activate/"))
    check_accessibility(page)
    secret = page.get_by_label(re.compile("secret", re.I)).input_value()
    page.get_by_label(re.compile("Authenticator code", re.I)).fill(totp_code(secret))
    page.get_by_role("button", name=re.compile("Activate", re.I)).click()
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    check_accessibility(page)

    page.goto("/dashboard/")
    check_accessibility(page)
    page.get_by_role("link", name="People and roles").first.click()
    check_accessibility(page)
    page.get_by_label("Email address").fill("Evaluator@Example.org")
    page.get_by_label("Evaluator").check()
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to evaluator@example.org.").wait_for()
    check_accessibility(page)
    # The app is set up for good and the invitation is for the evaluator role only.
    from allauth.mfa.models import Authenticator

    from organisations.models import Invitation

    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    invitation = Invitation.objects.get(organisation=authority)
    assert (invitation.email, invitation.role) == ("evaluator@example.org", Role.EVALUATOR)
    assert invitation.invited_by == admin and invitation.accepted_at is None


def test_a_citizen_registers_with_consent(page, check_accessibility):
    page.goto("/accounts/citizen/signup/")
    check_accessibility(page)
    page.get_by_label("Full name").fill("Rosa Martin")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("Password", exact=True).fill("a-long-enough-password")
    page.get_by_label(re.compile("Password \\(again\\)|Confirm password")).fill(
        "a-long-enough-password")
    page.get_by_label("Postcode").fill("LS2 7HY")
    page.get_by_label("25 to 34").check()
    page.get_by_role("button", name="Register").click()
    expect_error_summary(page)
    check_accessibility(page)
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_label("Password", exact=True).fill("a-long-enough-password")
    page.get_by_label(re.compile("Password \\(again\\)|Confirm password")).fill(
        "a-long-enough-password")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile("/accounts/confirm-email/"))
    check_accessibility(page)
    # Registered with the minimal data and a record of the consent given.
    from accounts.models import CitizenProfile

    profile = CitizenProfile.objects.get(user__email="rosa@example.org")
    assert (profile.postcode, profile.age_band) == ("LS2 7HY", "25-34")
    assert profile.consent_given_at is not None and profile.consent_version
    assert any("rosa@example.org" in message.to for message in mail.outbox)


def expect_error_summary(page):
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert summary.get_by_role("link").count() >= 1


def test_compliance_findings_and_notifications(page, check_accessibility):
    from datetime import timedelta

    from django.utils import timezone

    from compliance.services import check_run

    admin = factories.PlatformAdminFactory()
    TOTP.activate(admin, SECRET)
    factories.OrganisationFactory(name="Slow Lane Trust", verification_status="pending",
                                  submitted_at=timezone.now() - timedelta(days=14))
    check_run(check_id="organisations.verification_overdue")
    sign_in(page, check_accessibility, admin.email, secret=SECRET)
    page.wait_for_url(re.compile("/dashboard/"))
    page.get_by_role("navigation").get_by_role("link", name="Compliance").click()
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("verification", re.I)).first.click()
    assert "Slow Lane Trust" in page.content()
    check_accessibility(page)
    page.goto("/notifications/")
    assert "Slow Lane Trust" in page.content()
    check_accessibility(page)


def test_a_person_in_two_organisations_switches_between_them(page, check_accessibility):
    first = factories.OrganisationFactory(name="Riverside Community Trust")
    second = factories.OrganisationFactory(name="Northshire Care Mutual")
    writer = factories.member(first, Role.BID_WRITER, email="jo@example.org")
    factories.MembershipFactory(user=writer, organisation=second, role=Role.BID_WRITER)
    sign_in(page, check_accessibility, writer.email)
    page.goto("/organisations/switch/")
    check_accessibility(page)
    page.get_by_label("Northshire Care Mutual").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("You switched organisation.").wait_for()
    check_accessibility(page)
    assert "Northshire Care Mutual" in page.locator("main").inner_text()
