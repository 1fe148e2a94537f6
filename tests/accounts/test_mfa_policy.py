"""Two-factor authentication is decided on every request, from the roles a person holds now."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.policy import SECOND_FACTOR_SESSION_KEY
from organisations import services as organisation_services
from organisations.models import AUTHORITY_ROLES, Membership, Role
from tests import factories

STAFF_PAGES = ("core:dashboard", "compliance:dashboard", "organisations:switch")


def sign_in_without_second_factor(client, user):
    """A session signed in with the password alone (as when the person had no app yet)."""
    client.force_login(user)
    session = client.session
    session.pop(SECOND_FACTOR_SESSION_KEY, None)
    session.save()


def assert_sent_to(response, url_name):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(url_name)), response["Location"]


@pytest.mark.parametrize("role", sorted(AUTHORITY_ROLES))
def test_a_role_granted_mid_session_needs_mfa_on_the_next_request(client, provider_admin,
                                                                  authority, role):
    client.force_login(provider_admin)
    assert client.get(reverse("core:dashboard")).status_code == 200

    Membership.objects.create(user=provider_admin, organisation=authority, role=role)

    for name in STAFF_PAGES:
        assert_sent_to(client.get(reverse(name)), "mfa_activate_totp")
    # The public pages and the account pages used to set it up stay open.
    assert client.get("/").status_code == 200
    # Setting up the app asks for the password again first (allauth's reauthentication).
    assert_sent_to(client.get(reverse("mfa_activate_totp")), "account_reauthenticate")


@pytest.mark.parametrize("flag", ["is_platform_admin", "is_staff", "is_superuser"])
def test_becoming_a_platform_admin_mid_session_needs_mfa_on_the_next_request(client, citizen,
                                                                             flag):
    client.force_login(citizen)
    assert client.get(reverse("core:dashboard")).status_code == 200
    setattr(citizen, flag, True)
    citizen.save(update_fields=[flag])
    assert_sent_to(client.get(reverse("core:dashboard")), "mfa_activate_totp")
    assert_sent_to(client.get("/admin/"), "mfa_activate_totp")


def test_joining_an_authority_by_invitation_needs_mfa_on_the_next_request(
        client, authority, authority_admin, bid_writer):
    invitation = organisation_services.invitation_create(
        actor=authority_admin, organisation=authority, email=bid_writer.email,
        role=Role.EVALUATOR)
    client.force_login(bid_writer)
    response = client.post(reverse("organisations:invitation", args=[invitation.token]))
    assert_sent_to(response, "core:dashboard")
    assert_sent_to(client.get(reverse("core:dashboard")), "mfa_activate_totp")


def test_a_role_granted_to_someone_with_an_app_asks_for_its_code_when_not_used_yet(
        client, provider_admin, authority):
    factories.with_totp(provider_admin)
    sign_in_without_second_factor(client, provider_admin)
    assert client.get(reverse("core:dashboard")).status_code == 200

    Membership.objects.create(user=provider_admin, organisation=authority,
                              role=Role.COMMISSIONER)
    response = client.get(reverse("core:dashboard") + "?tab=tenders")
    assert_sent_to(response, "mfa_reauthenticate")
    assert response["Location"].endswith("?next=" + reverse("core:dashboard") + "%3Ftab%3Dtenders")

    totp = Authenticator.objects.get(user=provider_admin, type=Authenticator.Type.TOTP)
    response = client.post(reverse("mfa_reauthenticate"),
                           {"code": current_code(decrypt(totp.data["secret"]))})
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_role_removed_mid_session_lifts_the_requirement(client, provider, authority):
    person = factories.member(provider, Role.PROVIDER_ADMIN)
    membership = Membership.objects.create(user=person, organisation=authority,
                                           role=Role.EVALUATOR)
    client.force_login(person)
    assert_sent_to(client.get(reverse("core:dashboard")), "mfa_activate_totp")
    membership.delete()
    assert client.get(reverse("core:dashboard")).status_code == 200


@pytest.mark.django_db(transaction=True)  # real commits: allauth announces the app on commit
def test_activating_an_app_in_the_session_lets_the_person_through(client, provider_admin,
                                                                 authority):
    response = client.post(reverse("account_login"), {"login": provider_admin.email,
                                                      "password": factories.TEST_PASSWORD})
    assert response.status_code == 302 and client.session.get("_auth_user_id")
    Membership.objects.create(user=provider_admin, organisation=authority,
                              role=Role.CONTRACT_MANAGER)
    assert_sent_to(client.get(reverse("core:dashboard")), "mfa_activate_totp")

    # Setting up an app asks for the password again first, as allauth does for any change.
    assert_sent_to(client.get(reverse("mfa_activate_totp")), "account_reauthenticate")
    client.post(reverse("account_reauthenticate"), {"password": factories.TEST_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=provider_admin,
                                        type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_second_factor_proved_by_someone_else_does_not_count(client, commissioner,
                                                               authority):
    other = factories.with_totp(factories.member(authority, Role.EVALUATOR))
    client.force_login(other)
    sign_in_without_second_factor(client, commissioner)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = str(other.pk)
    session.save()
    assert_sent_to(client.get(reverse("core:dashboard")), "mfa_reauthenticate")


@pytest.mark.parametrize("person", ["commissioner", "provider_admin", "citizen"])
def test_the_policy_costs_no_query_beyond_the_role_lookup(client, settings, request, person):
    """The decision reads the role lookup the page makes anyway: the request makes exactly the
    queries it makes without the policy, and never reads the authenticators."""
    user = request.getfixturevalue(person)
    client.force_login(user)
    client.get(reverse("core:dashboard"))  # settle sessions and caches

    with CaptureQueriesContext(connection) as with_policy:
        assert client.get(reverse("core:dashboard")).status_code == 200
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE
                           if m != "accounts.middleware.MfaRequiredMiddleware"]
    with CaptureQueriesContext(connection) as without_policy:
        assert client.get(reverse("core:dashboard")).status_code == 200

    assert len(with_policy) == len(without_policy)
    assert not [q for q in with_policy if "mfa_authenticator" in q["sql"]]
    role_lookups = [q for q in with_policy if
                    '"organisations_membership"."role" AS "role" FROM "organisations_membership"'
                    in q["sql"]]
    assert len(role_lookups) == 1, "\n".join(q["sql"][:200] for q in with_policy)


def test_a_role_taken_in_a_request_counts_for_the_rest_of_that_request(authority,
                                                                        authority_admin,
                                                                        provider_admin):
    from accounts.policy import mfa_required

    assert not mfa_required(provider_admin)  # the roles are now read and kept on the object
    invitation = organisation_services.invitation_create(
        actor=authority_admin, organisation=authority, email=provider_admin.email,
        role=Role.GRANT_MANAGER)
    organisation_services.invitation_accept(actor=provider_admin, invitation=invitation)
    assert mfa_required(provider_admin)


def test_switching_organisation_neither_lifts_nor_skips_the_requirement(client, provider,
                                                                        authority):
    """Someone with an authority role needs MFA whichever organisation they act for."""
    person = factories.member(provider, Role.BID_WRITER)
    client.force_login(person)
    assert client.get(reverse("core:dashboard")).status_code == 200
    Membership.objects.create(user=person, organisation=authority, role=Role.EVALUATOR)
    for organisation in (provider, authority):
        session = client.session
        session["current_organisation_id"] = organisation.pk
        session.save()
        assert_sent_to(client.get(reverse("core:dashboard")), "mfa_activate_totp")


def test_a_live_page_update_sends_the_whole_browser_to_set_up_mfa(client, provider_admin,
                                                                  authority):
    """An htmx request is not answered with a redirect it would swap into the page."""
    client.force_login(provider_admin)
    Membership.objects.create(user=provider_admin, organisation=authority, role=Role.EVALUATOR)
    response = client.get(reverse("core:dashboard"), HTTP_HX_REQUEST="true",
                          HTTP_HX_CURRENT_URL="http://testserver/tenders/?q=care")
    assert response.status_code == 200
    assert response["HX-Redirect"] == (reverse("mfa_activate_totp")
                                       + "?next=/tenders/%3Fq%3Dcare")
