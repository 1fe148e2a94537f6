"""Grants fixtures: a grant manager, a programme, an open round and an applicant."""

import pytest

from organisations.models import Role
from tests import factories
from tests.grants import support


@pytest.fixture
def manager(authority):
    return factories.with_totp(factories.member(authority, Role.GRANT_MANAGER))


@pytest.fixture
def second_manager(authority):
    return factories.with_totp(factories.member(authority, Role.GRANT_MANAGER))


@pytest.fixture
def assessor(authority):
    return factories.with_totp(factories.member(authority, Role.EVALUATOR))


@pytest.fixture
def programme(authority, manager):
    return support.programme(authority, manager)


@pytest.fixture
def open_round(programme, manager):
    return support.published_round(programme, manager)


@pytest.fixture
def applicant_org(db):
    return support.applicant()[0]


@pytest.fixture
def applicant_pair(db):
    return support.applicant()


@pytest.fixture
def other_authority(db):
    return factories.AuthorityFactory()


@pytest.fixture
def other_staff(other_authority):
    return factories.with_totp(factories.member(other_authority, Role.GRANT_MANAGER))
