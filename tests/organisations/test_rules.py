"""Who may do what with an organisation: roles x organisations x verification state."""

import pytest
from django.contrib.auth.models import AnonymousUser

from organisations.models import Role
from tests import factories

PERMS = [
    "organisations.view_organisation",
    "organisations.change_organisation",
    "organisations.view_members",
    "organisations.invite_member",
    "organisations.verify_organisation",
]


@pytest.fixture
def world(db):
    own = factories.OrganisationFactory(verification_status="verified")
    pending = factories.OrganisationFactory(verification_status="pending")
    other = factories.OrganisationFactory()
    authority = factories.AuthorityFactory()
    people = {
        "anonymous": AnonymousUser(),
        "citizen": factories.CitizenFactory(),
        "provider_admin": factories.member(own, Role.PROVIDER_ADMIN),
        "bid_writer": factories.member(own, Role.BID_WRITER),
        "pending_admin": factories.member(pending, Role.PROVIDER_ADMIN),
        "other_provider_admin": factories.member(other, Role.PROVIDER_ADMIN),
        "authority_admin": factories.member(authority, Role.AUTHORITY_ADMIN),
        "commissioner": factories.member(authority, Role.COMMISSIONER),
        "platform_admin": factories.PlatformAdminFactory(),
    }
    return people, {"own": own, "pending": pending, "authority": authority}


# (person, organisation) -> the permissions they hold; every other combination is refused.
EXPECTED = {
    ("provider_admin", "own"): {"view_organisation", "change_organisation", "view_members",
                                "invite_member"},
    ("bid_writer", "own"): {"view_organisation", "view_members"},
    ("pending_admin", "pending"): {"view_organisation", "change_organisation", "view_members"},
    ("authority_admin", "authority"): {"view_organisation", "change_organisation",
                                       "view_members", "invite_member"},
    ("commissioner", "authority"): {"view_organisation", "view_members"},
    ("platform_admin", "own"): {"view_organisation", "view_members", "invite_member"},
    ("platform_admin", "pending"): {"view_organisation", "view_members", "verify_organisation"},
    ("platform_admin", "authority"): {"view_organisation", "view_members", "invite_member"},
}
PEOPLE = ["anonymous", "citizen", "provider_admin", "bid_writer", "pending_admin",
          "other_provider_admin", "authority_admin", "commissioner", "platform_admin"]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("target", ["own", "pending", "authority"])
def test_permission_matrix(world, person, target):
    people, organisations = world
    user, organisation = people[person], organisations[target]
    granted = {perm.split(".")[1] for perm in PERMS if user.has_perm(perm, organisation)}
    assert granted == EXPECTED.get((person, target), set())
