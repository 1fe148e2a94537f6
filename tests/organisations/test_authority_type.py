"""The authority type on an authority's profile: who sets it, how, and what the profile says."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEntry
from organisations import services
from organisations.models import Organisation, Role
from tests import factories

T = Organisation.AuthorityType


def test_platform_admins_set_the_type_and_it_is_audited(platform_admin, authority):
    services.organisation_authority_type_set(actor=platform_admin, organisation=authority,
                                             authority_type=T.CENTRAL)
    authority.refresh_from_db()
    assert authority.authority_type == T.CENTRAL
    entry = AuditEntry.objects.get(action="organisation.authority_type_set")
    assert entry.changes["authority_type"] == ["", "central"]


def test_the_authoritys_own_staff_cannot_change_their_type(authority_admin, authority):
    # The type sets legal duties (PPN 002's 10% floor): an authority cannot opt out of them.
    with pytest.raises(PermissionDenied):
        services.organisation_authority_type_set(actor=authority_admin, organisation=authority,
                                                 authority_type=T.SUB_CENTRAL)


def test_providers_have_no_authority_type(platform_admin, provider):
    with pytest.raises(ValidationError):
        services.organisation_authority_type_set(actor=platform_admin, organisation=provider,
                                                 authority_type=T.CENTRAL)


def test_an_unknown_type_is_refused(platform_admin, authority):
    with pytest.raises(ValidationError):
        services.organisation_authority_type_set(actor=platform_admin, organisation=authority,
                                                 authority_type="parish")


def test_an_authority_with_no_type_is_treated_as_sub_central(authority):
    assert authority.authority_type == ""
    assert authority.procurement_authority_type == T.SUB_CENTRAL


def test_new_authorities_are_created_with_their_type(platform_admin):
    authority = services.authority_create(
        actor=platform_admin, admin_email="chief@dept.example.org",
        data={"name": "Department for Tests", "authority_type": T.CENTRAL,
              "address_line_1": "1 Street", "town": "London", "postcode": "SW1A 2AA"})
    assert authority.authority_type == T.CENTRAL


def test_the_add_authority_form_requires_the_type(client, platform_admin):
    client.force_login(platform_admin)
    response = client.post(reverse("organisations:authority_create"), {
        "name": "Eastshire Council", "address_line_1": "Town Hall", "town": "Eastby",
        "postcode": "LS1 1UR", "admin_email": "chief@eastshire.example.org"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert not Organisation.objects.filter(name="Eastshire Council").exists()


# -- the page --------------------------------------------------------------------------------


def url(organisation) -> str:
    return reverse("organisations:authority_type", args=[organisation.pk])


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("provider_admin", 403), ("authority_admin", 403),
    ("commissioner", 403), ("platform_admin", 200),
])
def test_permission_matrix_of_the_authority_type_page(client, authority, who, status, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(url(authority)).status_code == status


def test_the_page_404s_for_providers_and_unknown_organisations(client, platform_admin, provider):
    client.force_login(platform_admin)
    assert client.get(url(provider)).status_code == 404
    assert client.get(reverse("organisations:authority_type", args=[999999])).status_code == 404


def test_the_page_saves_the_type_and_the_profile_shows_it(client, platform_admin, authority):
    client.force_login(platform_admin)
    response = client.post(url(authority), {"authority_type": "nhs"}, follow=True)
    html = response.content.decode()
    assert "Authority type saved." in html
    assert "NHS body (treated as central government)" in html
    authority.refresh_from_db()
    assert authority.authority_type == T.NHS


@pytest.mark.parametrize("junk", ["", "parish", "x" * 5000, "central\x00"])
def test_junk_is_refused_with_an_error_not_a_crash(client, platform_admin, authority, junk):
    client.force_login(platform_admin)
    response = client.post(url(authority), {"authority_type": junk})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    authority.refresh_from_db()
    assert authority.authority_type == ""


def test_staff_see_their_type_on_the_profile_without_a_change_link(client, authority):
    Organisation.objects.filter(pk=authority.pk).update(authority_type=T.CENTRAL)
    staff = factories.with_totp(factories.member(authority, Role.AUTHORITY_ADMIN))
    client.force_login(staff)
    html = client.get(reverse("organisations:detail", args=[authority.pk])).content.decode()
    assert "Central government authority" in html
    assert url(authority) not in html
