"""A role granted in the middle of a session asks for a second factor on the next page."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from organisations.models import Membership, Role
from tests import factories
from tests.browser.conftest import totp_code
from tests.browser.test_journeys import SECRET, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_given_a_role_mid_session_enters_their_app_code_first(page,
                                                                     check_accessibility):
    provider = factories.OrganisationFactory(name="Riverside Community Trust")
    person = factories.member(provider, Role.PROVIDER_ADMIN, email="sam@riverside.example")
    sign_in(page, check_accessibility, person.email)
    page.goto("/dashboard/")
    page.get_by_role("heading", level=1).wait_for()
    assert "/dashboard/" in page.url

    # Meanwhile the person set up an app on another device and a council made them an
    # evaluator: the very next staff page asks for the app's code.
    TOTP.activate(person, SECRET)
    authority = factories.AuthorityFactory(name="Northshire County Council")
    Membership.objects.create(user=person, organisation=authority, role=Role.EVALUATOR)
    page.goto("/dashboard/")
    page.wait_for_url(re.compile("/accounts/2fa/reauthenticate/"))
    page.get_by_text("Your role needs two-factor authentication").wait_for()
    check_accessibility(page)
    page.get_by_label(re.compile("code", re.I)).fill(totp_code(SECRET))
    page.get_by_role("button", name=re.compile("Confirm|Continue|Sign in", re.I)).click()
    page.wait_for_url(re.compile("/dashboard/$"))
    check_accessibility(page)
