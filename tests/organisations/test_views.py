import pytest
from django.urls import reverse

from organisations.models import Organisation, Role
from tests import factories


@pytest.fixture
def person(db):
    return factories.UserFactory()


def test_registration_form_explains_what_is_missing_and_keeps_what_was_typed(client, person):
    client.force_login(person)
    response = client.post(reverse("organisations:register"), {
        "name": "Valley Arts CIC", "legal_form": "cic", "address_line_1": "3 Mill Lane",
        "town": "Halifax", "postcode": "QQ1 1QQ", "size": "micro",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter your Companies House number" in html
    assert "Enter a real UK postcode" in html
    assert 'value="Valley Arts CIC"' in html
    assert not Organisation.objects.filter(name="Valley Arts CIC").exists()


def test_registration_journey_ends_on_a_confirmation(client, person):
    client.force_login(person)
    response = client.post(reverse("organisations:register"), {
        "name": "Valley Arts CIC", "legal_form": "cic", "company_number": "12345678",
        "address_line_1": "3 Mill Lane", "town": "Halifax", "postcode": "HX1 1AA",
        "size": "micro", "is_vcse": "on",
    }, follow=True)
    assert response.redirect_chain[-1][0].endswith("/registered/")
    assert "GB-COH-12345678" in response.content.decode()


def test_people_cannot_see_other_organisations(client, provider, db):
    outsider = factories.member(factories.OrganisationFactory(), Role.PROVIDER_ADMIN)
    client.force_login(outsider)
    assert client.get(reverse("organisations:detail", args=[provider.pk])).status_code == 403
    assert client.get(reverse("organisations:edit", args=[provider.pk])).status_code == 403
    assert client.get(reverse("organisations:members", args=[provider.pk])).status_code == 403
    assert client.get(reverse("organisations:detail", args=[999999])).status_code == 404


def test_anonymous_people_are_asked_to_sign_in(client, provider):
    response = client.get(reverse("organisations:detail", args=[provider.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_only_platform_admins_see_the_verification_queue(client, provider_admin, platform_admin):
    client.force_login(provider_admin)
    assert client.get(reverse("organisations:verification_queue")).status_code == 403
    client.force_login(platform_admin)
    assert client.get(reverse("organisations:verification_queue")).status_code == 200


def test_verification_queue_queries_stay_constant(client, platform_admin,
                                                  django_assert_max_num_queries):
    client.force_login(platform_admin)
    factories.OrganisationFactory(verification_status="pending")
    client.get(reverse("organisations:verification_queue"))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("organisations:verification_queue"))
    factories.OrganisationFactory.create_batch(30, verification_status="pending")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("organisations:verification_queue"))
    assert response.context["page_obj"].paginator.count == 31
    assert len(many) == len(one)


def test_platform_admin_rejects_with_a_reason_from_the_page(client, platform_admin):
    organisation = factories.OrganisationFactory(verification_status="pending")
    client.force_login(platform_admin)
    url = reverse("organisations:verification_detail", args=[organisation.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(url, {"decision": "reject", "reason": "Number not on register"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.verification_status == "rejected"


def test_switching_organisation_changes_the_current_one(client, db):
    first, second = factories.OrganisationFactory(name="A Trust"), factories.OrganisationFactory(
        name="B Trust")
    user = factories.member(first, Role.BID_WRITER)
    factories.MembershipFactory(user=user, organisation=second, role=Role.BID_WRITER)
    client.force_login(user)
    client.post(reverse("organisations:switch"), {"organisation": second.pk})
    response = client.get(reverse("core:dashboard"))
    assert response.wsgi_request.current_organisation.pk == second.pk
    response = client.post(reverse("organisations:switch"), {"organisation": 999999})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def test_accepting_an_invitation_through_the_link(client, authority, authority_admin):
    from organisations.services import invitation_create

    invitation = invitation_create(actor=authority_admin, organisation=authority,
                                   email="new@example.org", role=Role.EVALUATOR)
    url = reverse("organisations:invitation", args=[invitation.token])
    assert "Create an account" in client.get(url).content.decode()
    assert client.get(reverse("organisations:invitation", args=["nope"])).status_code == 404
    client.force_login(factories.UserFactory(email="new@example.org"))
    response = client.post(url)
    assert response.status_code == 302
    assert authority.memberships.filter(user__email="new@example.org", role="evaluator").exists()
    # An evaluator now: the next staff page asks for an authenticator app first.
    response = client.get(reverse("core:dashboard"))
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_the_governing_document_is_checked_stored_and_only_shown_to_those_allowed(
        client, person, platform_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"name": "Doc Trust", "legal_form": "cio", "charity_number": "1180001",
            "address_line_1": "1 Road", "town": "York", "postcode": "YO1 7HH", "size": "small"}
    client.force_login(person)
    fake = SimpleUploadedFile("constitution.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(reverse("organisations:register"), {**data, "governing_document": fake})
    assert "govuk-error-summary" in response.content.decode()
    pdf = SimpleUploadedFile("constitution.pdf",
                             b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    client.post(reverse("organisations:register"), {**data, "governing_document": pdf})
    organisation = Organisation.objects.get(name="Doc Trust")
    url = reverse("organisations:governing_document", args=[organisation.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    client.force_login(factories.member(factories.OrganisationFactory(), Role.PROVIDER_ADMIN))
    assert client.get(url).status_code == 403
    client.force_login(platform_admin)
    assert client.get(url).status_code == 200


def test_menus_and_panels_share_one_lookup_of_the_users_roles(client, authority_admin,
                                                              django_assert_max_num_queries):
    # Session, user, the user's roles and organisations, plus one findings check: every menu
    # item asks its question of the same cached roles, not a query each.
    client.force_login(authority_admin)
    client.get(reverse("core:accessibility"))
    with django_assert_max_num_queries(5):
        assert client.get(reverse("core:accessibility")).status_code == 200
