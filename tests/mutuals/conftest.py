"""People the mutuals tests need: a mutual's admin and bid writer, and a programme officer."""

import pytest

from organisations.models import Role
from tests import factories


@pytest.fixture
def programme_body(db):
    return factories.AuthorityFactory(name="Department for Mutuals")


@pytest.fixture
def officer(programme_body):
    return factories.with_totp(factories.member(programme_body, Role.PROGRAMME_OFFICER))


@pytest.fixture
def mutual_org(db):
    return factories.OrganisationFactory(name="Northby Care Mutual", legal_form="society",
                                         charity_number="")


@pytest.fixture
def mutual_admin(mutual_org):
    return factories.member(mutual_org, Role.PROVIDER_ADMIN)


@pytest.fixture
def mutual_writer(mutual_org):
    return factories.member(mutual_org, Role.BID_WRITER)


@pytest.fixture(autouse=True)
def _definitions(db):
    """The definitions the migration loads (a transactional test elsewhere may have flushed)."""
    from mutuals.services import definitions_install_first_versions

    definitions_install_first_versions()
