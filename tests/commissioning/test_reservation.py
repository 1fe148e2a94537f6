"""Contracts reserved for public service mutuals (Procurement Act 2023 s.33)."""

import datetime

import pytest

from commissioning.services.opening import opening_confirm, opening_request
from commissioning.services.reservation import (
    comparable_reserved_contract,
    reservation_problem,
)
from core.models import AuditEntry, Notification
from organisations.models import Organisation, Role
from tests import factories
from tests.commissioning import evaluation_support as support
from tests.mutuals import support as mutual_support

AWARD_DAY = datetime.date(2027, 6, 15)
# Recognised from before today until after the award day, whenever the tests run.
RECOGNISED = {"on": min(datetime.date.today(), AWARD_DAY) - datetime.timedelta(days=1),
              "until": max(datetime.date.today(), AWARD_DAY) + datetime.timedelta(days=1)}


@pytest.fixture
def reserved(authority, commissioner):
    return support.closed_tender(authority, commissioner, is_reserved_for_mutuals=True,
                                 procedure="competitive_flexible", is_light_touch=True)


@pytest.fixture
def mutual(db):
    return mutual_support.mutual(name="Care Workers Mutual", **RECOGNISED)


def test_only_organisations_recognised_under_s33_qualify(reserved, mutual, provider):
    assert reservation_problem(bid=support.sealed_bid(reserved, organisation=mutual),
                               award_day=AWARD_DAY) == ""
    problem = reservation_problem(bid=support.sealed_bid(reserved, organisation=provider),
                                  award_day=AWARD_DAY)
    assert "is not recognised as a public service mutual under section 33" in problem


def test_declaring_the_legal_form_is_not_enough(reserved):
    declared = factories.OrganisationFactory(legal_form=Organisation.LegalForm.MUTUAL)
    bid = support.sealed_bid(reserved, organisation=declared)
    assert "not recognised" in reservation_problem(bid=bid, award_day=AWARD_DAY)


def test_recognition_only_under_the_programme_definition_does_not_qualify(reserved):
    programme_only = mutual_support.mutual(key="programme", name="Spun Out Mutual",
                                           **RECOGNISED)
    bid = support.sealed_bid(reserved, organisation=programme_only)
    assert "not recognised" in reservation_problem(bid=bid, award_day=AWARD_DAY)


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


def test_recognition_must_be_current_on_the_award_day(reserved):
    lapsed = mutual_support.mutual(name="Lapsed Mutual", on=datetime.date(2026, 1, 4))
    bid = support.sealed_bid(reserved, organisation=lapsed)
    assert "not recognised" in reservation_problem(bid=bid, award_day=AWARD_DAY)
    assert reservation_problem(bid=bid, award_day=datetime.date(2026, 6, 1)) == ""


@pytest.mark.parametrize(("entered_on", "disregarded"), [
    (datetime.date(2024, 6, 15), False),
    (datetime.date(2024, 6, 16), True),
])
def test_a_declared_comparable_contract_counts_like_one_awarded_here(reserved, mutual,
                                                                     entered_on, disregarded):
    from mutuals.models import DeclaredReservedContract

    DeclaredReservedContract.objects.create(
        organisation=mutual, authority=reserved.authority, authority_name=reserved.authority.name,
        cpv_code="85310000-5", title="Home care, earlier", entered_on=entered_on,
        declared_by=factories.UserFactory())
    problem = reservation_problem(bid=support.sealed_bid(reserved, organisation=mutual),
                                  award_day=AWARD_DAY)
    assert bool(problem) is disregarded
    if disregarded:
        assert "declared a comparable contract" in problem


def _tender_started_on(tender, day):
    from django.utils import timezone as tz

    from commissioning.models import Tender

    Tender.objects.filter(pk=tender.pk).update(
        created_at=tz.make_aware(datetime.datetime.combine(day, datetime.time(12))))
    tender.refresh_from_db()
    return tender


def test_procurements_begun_before_the_act_follow_regulation_77(reserved):
    from commissioning.services.reservation import contract_problems, regime_for

    tender = _tender_started_on(reserved, datetime.date(2025, 2, 23))
    assert regime_for(tender).key == "reg77"
    qualifying = mutual_support.mutual(key="reg77", name="Participatory Trust",
                                       **RECOGNISED)
    assert reservation_problem(bid=support.sealed_bid(tender, organisation=qualifying),
                               award_day=AWARD_DAY) == ""
    s33_only = mutual_support.mutual(key="s33", name="Staff Mutual", **RECOGNISED)
    problem = reservation_problem(bid=support.sealed_bid(tender, organisation=s33_only),
                                  award_day=AWARD_DAY)
    assert "regulation 77 of the Public Contracts Regulations 2015" in problem
    tender.max_term_months = 48
    assert any("3 years (36 months)" in p for p in contract_problems(tender))
    later = _tender_started_on(reserved, datetime.date(2025, 2, 24))
    assert regime_for(later).key == "s33"
    later.max_term_months = 48
    assert not any("months" in p for p in contract_problems(later))


def test_only_reservable_services_can_be_reserved(reserved):
    from commissioning.models import TenderCpv
    from commissioning.services.reservation import services_problems, unverified_basis

    assert services_problems(reserved) == []
    assert unverified_basis(reserved) == ["85310000-5"]  # Schedule 1 not yet checked
    TenderCpv.objects.create(tender=reserved, code="79410000-1", is_main=False)
    [problem] = services_problems(reserved)
    assert problem.startswith("79410000-1 is not among the services that can be reserved")


def test_s33_needs_the_competitive_flexible_procedure_and_five_years(reserved):
    from commissioning.services.reservation import terms_problems

    reserved.procedure, reserved.max_term_months = "open", 61
    problems = terms_problems(reserved)
    assert any("competitive flexible procedure" in p for p in problems)
    assert any("5 years (60 months)" in p for p in problems)
    reserved.procedure, reserved.max_term_months = "competitive_flexible", 60
    assert terms_problems(reserved) == []


def test_a_supplier_sees_before_bidding_whether_it_qualifies(client, authority, commissioner,
                                                             mutual, provider):
    from django.utils import timezone as tz

    tender = support.closed_tender(authority, commissioner, is_reserved_for_mutuals=True,
                                   procedure="competitive_flexible", is_light_touch=True,
                                   deadline=tz.now() + datetime.timedelta(days=20))
    for organisation, expected in ((mutual, "Care Workers Mutual qualifies"),
                                   (provider, f"{provider.name} does not qualify")):
        user = factories.member(organisation, Role.PROVIDER_ADMIN)
        client.force_login(user)
        page = client.get(f"/tenders/{tender.pk}/").content.decode()
        assert expected in page
    assert "is not recognised as a public service mutual" in page
