"""Contracts reserved for public service mutuals (Procurement Act 2023 s.33)."""

import datetime

import pytest

from commissioning.services.opening import opening_confirm, opening_request
from commissioning.services.reservation import (
    comparable_reserved_contract,
    passes_mutual_tests,
    reservation_problem,
)
from core.models import AuditEntry, Notification
from organisations.models import Organisation, Role
from tests import factories
from tests.commissioning import evaluation_support as support

AWARD_DAY = datetime.date(2027, 6, 15)


@pytest.fixture
def reserved(authority, commissioner):
    return support.closed_tender(authority, commissioner, is_reserved_for_mutuals=True,
                                 procedure="competitive_flexible", is_light_touch=True)


@pytest.fixture
def mutual(db):
    return factories.OrganisationFactory(legal_form=Organisation.LegalForm.MUTUAL,
                                         name="Care Workers Mutual")


def test_only_public_service_mutuals_pass_the_three_tests(mutual, provider):
    assert passes_mutual_tests(mutual) == (True, "")
    passes, reason = passes_mutual_tests(provider)
    assert not passes
    assert "not registered as a public service mutual" in reason


def test_opening_disregards_bids_from_organisations_that_are_not_mutuals(reserved, commissioner,
                                                                         mutual, provider):
    passing = support.sealed_bid(reserved, organisation=mutual)
    failing = support.sealed_bid(reserved, organisation=provider)
    opening_request(tender=reserved, actor=commissioner)
    opening_confirm(tender=reserved, actor=support.staff(reserved.authority, Role.AUTHORITY_ADMIN))
    passing.refresh_from_db()
    failing.refresh_from_db()
    assert passing.disregarded_reason == ""
    assert "section 33" in failing.disregarded_reason
    assert AuditEntry.objects.filter(action="bid.disregard", object_id=str(failing.pk)).exists()
    told = Notification.objects.get(recipient=failing.created_by)
    assert "disregarded" in told.body


def test_unreserved_tenders_disregard_nobody(authority, commissioner, provider):
    tender = support.closed_tender(authority, commissioner)
    bid = support.sealed_bid(tender, organisation=provider)
    assert reservation_problem(bid=bid, award_day=AWARD_DAY) == ""


@pytest.mark.parametrize(("signed_on", "disregarded"), [
    (datetime.date(2024, 6, 15), False),  # exactly three years before: outside the period
    (datetime.date(2024, 6, 16), True),   # the first day of the three years ending on award day
    (AWARD_DAY, True),
    (datetime.date(2026, 1, 10), True),
])
def test_a_comparable_reserved_contract_in_the_three_years_disqualifies(
        reserved, mutual, signed_on, disregarded):
    support.past_contract(mutual, reserved.authority, signed_on)
    bid = support.sealed_bid(reserved, organisation=mutual)
    problem = reservation_problem(bid=bid, award_day=AWARD_DAY)
    assert bool(problem) is disregarded
    if disregarded:
        assert "comparable contract" in problem


def test_contracts_that_are_not_comparable_do_not_count(reserved, mutual):
    recent = datetime.date(2026, 1, 10)
    support.past_contract(mutual, factories.AuthorityFactory(), recent)  # another authority
    support.past_contract(mutual, reserved.authority, recent, cpv="79410000-1")  # other services
    support.past_contract(mutual, reserved.authority, recent, reserved=False)  # not under s.33
    assert comparable_reserved_contract(organisation=mutual, tender=reserved,
                                        award_day=AWARD_DAY) is None


def test_another_organisations_contract_does_not_count(reserved, mutual):
    other = factories.OrganisationFactory(legal_form=Organisation.LegalForm.MUTUAL)
    support.past_contract(other, reserved.authority, datetime.date(2026, 1, 10))
    assert comparable_reserved_contract(organisation=mutual, tender=reserved,
                                        award_day=AWARD_DAY) is None
