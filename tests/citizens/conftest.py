"""A panel with one person in every role, and people outside it, for the citizens tests."""

import datetime
from decimal import Decimal

import pytest

from citizens.models import PanelMembership, PanelRole
from citizens.services.panels import panel_create
from organisations.models import Role
from tests import factories


def panel_data(**overrides):
    data = {"title": "Food Futures Panel", "purpose": "Decide how the council spends its "
            "community food budget.", "remit": "Recommend which services to fund.",
            "feeds_decision": "Community food services 2027", "size": 6,
            "term_start": datetime.date(2027, 1, 1), "term_end": datetime.date(2027, 6, 30),
            "is_young": False, "retention_days": 90, "session_quorum": 0,
            "honorarium_per_session": Decimal("50.00"),
            "expenses_cap_per_session": Decimal("40.00")}
    data.update(overrides)
    return data


def seat(panel, role=PanelRole.MEMBER, user=None, status=PanelMembership.Status.ACTIVE):
    user = user or factories.CitizenFactory()
    PanelMembership.objects.create(panel=panel, user=user, role=role, status=status,
                                   email=user.email)
    user.__dict__.pop("_citizens_panel_roles", None)
    return user


@pytest.fixture
def panel(commissioner, authority):
    return panel_create(actor=commissioner, authority=authority, data=panel_data())


@pytest.fixture
def officer(commissioner):
    return commissioner  # the creator is the panel's commissioning officer


@pytest.fixture
def facilitator(panel):
    return seat(panel, PanelRole.FACILITATOR, factories.UserFactory())


@pytest.fixture
def members(panel):
    return [seat(panel) for _ in range(4)]


@pytest.fixture
def member(members):
    return members[0]


@pytest.fixture
def young_member(panel):
    return seat(panel, PanelRole.YOUNG_MEMBER, factories.UserFactory())


@pytest.fixture
def observer(panel):
    return seat(panel, PanelRole.OBSERVER, factories.UserFactory())


@pytest.fixture
def other_panel_member(authority, commissioner):
    other = panel_create(actor=commissioner, authority=authority,
                         data=panel_data(title="Another panel"))
    return seat(other)


@pytest.fixture
def other_authority_staff(db):
    return factories.with_totp(factories.member(factories.AuthorityFactory(), Role.COMMISSIONER))


def second_officer(panel):
    return seat(panel, PanelRole.OFFICER, factories.with_totp(factories.UserFactory()))


def move_to(panel, actor, *names):
    from citizens.services.panels import panel_move

    for name in names:
        panel_move(actor=actor, panel=panel, name=name, reason="test")
    panel.refresh_from_db()
    return panel
