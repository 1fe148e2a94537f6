"""Contracts: only after the standstill, KPIs for contracts over £5m, notices, termination."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.services.awards import award_approve, award_notice_publish, award_propose
from commissioning.services.contracts import (
    contract_details_publish,
    contract_enter,
    contract_kpi_add,
    contract_terminate,
)
from organisations.models import Role
from tests import factories
from tests.commissioning import evaluation_support as support

NOTICE = datetime.datetime(2026, 12, 22, 10, tzinfo=datetime.UTC)
LAST_DAY = datetime.date(2027, 1, 5)


def at(day: datetime.date, hour: int = 10):
    return mock.patch("django.utils.timezone.now", return_value=datetime.datetime(
        day.year, day.month, day.day, hour, tzinfo=datetime.UTC))


@pytest.fixture
def award(authority, commissioner):
    ready = support.evaluated_tender(authority, commissioner)
    award = award_propose(tender=ready["tender"], actor=commissioner)
    award_approve(award=award, actor=ready["approver"])
    with mock.patch("django.utils.timezone.now", return_value=NOTICE):
        return award_notice_publish(award=award, actor=commissioner)


def enter(award, actor, *, value="100000", signed_on=None, **kwargs):
    fields = {"starts_on": datetime.date(2027, 2, 1), "ends_on": datetime.date(2030, 1, 31),
              "signed_on": signed_on or LAST_DAY + datetime.timedelta(days=1)}
    return contract_enter(award=award, actor=actor, value=Decimal(value), **{**fields, **kwargs})


def test_no_contract_until_the_standstill_has_ended(award, commissioner):
    with at(LAST_DAY, hour=22), pytest.raises(ValidationError) as error:
        enter(award, commissioner, signed_on=LAST_DAY)
    assert error.value.messages == ["The standstill period ends on 5 January 2027: you can "
                                    "enter into the contract from 6 January 2027."]
    with at(LAST_DAY + datetime.timedelta(days=1)):
        contract = enter(award, commissioner)
    award.refresh_from_db()
    award.tender.refresh_from_db()
    assert award.status == "contracted" and award.tender.status == "contracted"
    assert contract.signed_at.date() == datetime.date(2027, 1, 6)


def test_the_signature_date_cannot_fall_in_the_standstill(award, commissioner):
    with at(datetime.date(2027, 1, 20)), pytest.raises(ValidationError) as error:
        enter(award, commissioner, signed_on=LAST_DAY, ends_on=datetime.date(2027, 1, 1))
    assert set(error.value.error_dict) == {"signed_on", "ends_on"}


def test_entering_the_contract_publishes_a_release_and_starts_the_ledger(award, commissioner):
    from socialvalue.services import commitments_record

    plan_measure = support.social_value_plan(award.tender, commissioner)
    bid = award.bid
    bid.social_value_commitments = commitments_record(
        plan=plan_measure.plan, supplier=bid.organisation, contract_value=Decimal("100000"),
        entries=[support.commitment_entry(plan_measure)])
    bid.save()
    with at(datetime.date(2027, 1, 7)), \
            mock.patch("commissioning.services.contracts.release_publish") as release:
        contract = enter(award, commissioner)
    release.assert_called_once_with(tender=award.tender, tags=["contract"])
    ledger = contract.social_value_ledger
    assert ledger is not None and ledger.commitment_set == bid.social_value_commitments
    assert ledger.targets.exists()


def test_contracts_over_five_million_need_three_most_material_kpis(award, commissioner):
    with at(datetime.date(2027, 1, 7)):
        contract = enter(award, commissioner, value="6000000")
    with pytest.raises(ValidationError, match="at least 3 key performance indicators"):
        contract_details_publish(contract=contract, actor=commissioner)
    for name in ("Visits on time", "Satisfaction", "Readmissions"):
        contract_kpi_add(contract=contract, actor=commissioner, name=name, target="95%",
                         is_most_material=True)
    with mock.patch("commissioning.services.contracts.release_publish") as release:
        contract_details_publish(contract=contract, actor=commissioner)
    release.assert_called_once()
    assert release.call_args.kwargs["tags"] == ["contractUpdate"]
    assert release.call_args.kwargs["notice"].notice_type == "UK7"
    assert contract.details_published_at is not None


def test_smaller_contracts_publish_details_without_kpis(award, commissioner):
    with at(datetime.date(2027, 1, 7)):
        contract = enter(award, commissioner, value="5000000")
    contract_details_publish(contract=contract, actor=commissioner)
    with pytest.raises(ValidationError, match="already published"):
        contract_details_publish(contract=contract, actor=commissioner)


def test_termination_needs_a_reason_and_publishes_a_release(award, commissioner):
    with at(datetime.date(2027, 1, 7)):
        contract = enter(award, commissioner)
    with pytest.raises(ValidationError):
        contract_terminate(contract=contract, actor=commissioner, reason="")
    with mock.patch("commissioning.services.contracts.release_publish") as release:
        contract_terminate(contract=contract, actor=commissioner, reason="Provider insolvent.")
    release.assert_called_once()
    assert release.call_args.kwargs["tags"] == ["contractTermination"]
    assert release.call_args.kwargs["notice"].notice_type == "UK11"
    assert contract.terminated_at is not None
    with pytest.raises(ValidationError, match="terminated"):
        contract_kpi_add(contract=contract, actor=commissioner, name="x", target="y")


def test_contract_managers_look_after_kpis_and_suppliers_cannot(award, commissioner,
                                                                provider_admin):
    with at(datetime.date(2027, 1, 7)):
        contract = enter(award, commissioner)
    manager = support.staff(award.tender.authority, Role.CONTRACT_MANAGER)
    contract_kpi_add(contract=contract, actor=manager, name="Visits on time", target="95%")
    with pytest.raises(PermissionDenied):
        contract_kpi_add(contract=contract, actor=provider_admin, name="x", target="y")
    winner = award.bid.created_by
    with pytest.raises(PermissionDenied):
        contract_kpi_add(contract=contract, actor=winner, name="x", target="y")


def test_contract_pages(client, award, commissioner):
    url = reverse("commissioning:contract_enter", args=[award.pk])
    with at(LAST_DAY):  # sessions are dated by the same clock, so sign in within it
        client.force_login(commissioner)
        page = client.get(reverse("commissioning:award", args=[award.pk])).content.decode()
        assert "You cannot enter into the contract until the standstill period has ended." in page
    with at(datetime.date(2027, 1, 7)):
        client.force_login(commissioner)
        response = client.post(url, {"value": "", "starts_on_day": "1", "starts_on_month": "2",
                                     "starts_on_year": "2027"})
        html = response.content.decode()
        assert "Enter the contract value" in html and "Enter end date" in html
        response = client.post(url, {
            "value": "250000", "starts_on_day": "1", "starts_on_month": "2",
            "starts_on_year": "2027", "ends_on_day": "31", "ends_on_month": "1",
            "ends_on_year": "2030", "signed_on_day": "7", "signed_on_month": "1",
            "signed_on_year": "2027"}, follow=True)
    assert "Contract entered." in response.content.decode()
    outsider = factories.with_totp(factories.member(factories.AuthorityFactory(),
                                                    Role.COMMISSIONER))
    with at(datetime.date(2027, 1, 7)):
        client.force_login(outsider)
        contract = award.contract
        assert client.get(reverse("commissioning:contract",
                                  args=[contract.pk])).status_code == 403
