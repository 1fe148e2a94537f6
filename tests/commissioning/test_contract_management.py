"""Contract management: changes with value and term deltas and the UK10 rule, the change
history, KPI ratings feeding the UK9, and the notice deadline checks (UK9, UK11)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from commissioning.compliance_notices import (
    performance_notice_due,
    termination_notice_overdue,
)
from commissioning.models import ContractKpi, Notice, Tender
from commissioning.services import contract_management as management
from organisations.models import Role
from tests import factories
from tests.commissioning import ocds_support as ocds
from tests.commissioning.ocds_support import no_network  # noqa: F401  (fixture)
from tests.commissioning.test_notices import assert_valid, notice_documents

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]
START = datetime.date(2026, 1, 1)
END = datetime.date(2027, 12, 31)  # a term of 729 days: 10% is 72.9 days


def make_contract(commissioner, *, value="1000000.00", contract_type="services"):
    tender = ocds.open_tender(created_by=commissioner, contract_type=contract_type,
                              authority=commissioner.memberships.first().organisation)
    bid = ocds.submit_bid(tender, ocds.provider("Riverside Care"))
    ocds.close_deadline(tender, status=Tender.Status.STANDSTILL)
    return ocds.enter_contract(ocds.publish_award(tender, bid), value=value, starts_on=START,
                               ends_on=END)


@pytest.fixture
def contract(commissioner):
    return make_contract(commissioner)


def propose(contract, commissioner, delta="0", ends=END):
    return management.contract_change_propose(actor=commissioner, contract=contract,
                                              description="More visits", new_ends_on=ends,
                                              value_delta=Decimal(delta))


@pytest.mark.parametrize(("delta", "ends", "beyond"), [
    ("100000.00", END, False),                               # exactly +10%: within
    ("100000.01", END, True),                                # a penny more: beyond
    ("-500000", END, False),                                 # reductions are within
    ("0", END + datetime.timedelta(days=72), False),         # +72 days of 729: within
    ("0", END + datetime.timedelta(days=73), True),          # +73 days: beyond
])
def test_the_change_allowance_at_its_boundaries(contract, commissioner, delta, ends, beyond):
    assert propose(contract, commissioner, delta, ends).beyond_allowance is beyond


def test_works_contracts_allow_15_percent(commissioner):
    works = make_contract(commissioner, contract_type="works")
    assert not propose(works, commissioner, "150000.00").beyond_allowance
    works.changes.all().delete()
    assert propose(works, commissioner, "150000.01").beyond_allowance


def test_changes_count_together_against_the_allowance(contract, commissioner):
    management.contract_change_make(actor=commissioner,
                                    change=propose(contract, commissioner, "60000"))
    contract.refresh_from_db()
    assert contract.value == Decimal("1060000.00")
    assert propose(contract, commissioner, "40001").beyond_allowance


def test_a_change_beyond_the_allowance_waits_for_its_uk10(client, contract, commissioner):
    change = propose(contract, commissioner, "250000", END + datetime.timedelta(days=365))
    with pytest.raises(ValidationError, match="UK10"):
        management.contract_change_make(actor=commissioner, change=change)
    contract.refresh_from_db()
    assert contract.value == Decimal("1000000.00")
    management.contract_change_notice_publish(actor=commissioner, change=change)
    management.contract_change_make(actor=commissioner, change=change)
    contract.refresh_from_db()
    assert contract.value == Decimal("1250000.00") and contract.ends_on.year == 2028
    notice = Notice.objects.get(change=change)
    package = json.loads(client.get(reverse("commissioning:notice_release",
                                            args=[notice.pk])).content)
    assert_valid(package)
    release = package["releases"][0]
    assert release["tag"] == ["contractAmendment"]
    [entry] = release["contracts"]
    assert entry["amendments"][0]["rationale"] == "More visits"
    assert entry["documents"] == notice_documents(release, "UK10")
    history = client.get(reverse("commissioning:contract_changes", args=[contract.pk]))
    assert history.status_code == 302  # anonymous: sent to sign in
    client.force_login(commissioner)
    page = client.get(reverse("commissioning:contract_changes", args=[contract.pk])).content
    assert "Beyond the allowance" in page.decode() and "Made" in page.decode()


def test_one_proposed_change_at_a_time(contract, commissioner):
    propose(contract, commissioner, "10")
    with pytest.raises(ValidationError, match="already proposed"):
        propose(contract, commissioner, "20")


def rate_all(contract, commissioner, rating="good"):
    for kpi in contract.kpis.all():
        management.kpi_rating_record(actor=commissioner, kpi=kpi, rating=rating,
                                     period_start=datetime.date(2026, 1, 1),
                                     period_end=datetime.date(2026, 6, 30))


def test_the_performance_notice_reports_every_kpis_latest_rating(client, commissioner):
    contract = make_contract(commissioner, value="6000000.00")
    assert management.performance_notice_required(contract) is False
    for name in ("Visits on time", "Satisfaction", "Readmissions"):
        ContractKpi.objects.create(contract=contract, name=name, target="95%",
                                   is_most_material=True)
    assert management.performance_notice_required(contract)
    with pytest.raises(ValidationError, match="Rate every KPI"):
        management.performance_notice_publish(actor=commissioner, contract=contract)
    rate_all(contract, commissioner, rating="requires_improvement")
    with pytest.raises(ValidationError, match="already rated"):
        rate_all(contract, commissioner)
    management.performance_notice_publish(actor=commissioner, contract=contract)
    notice = Notice.objects.get(notice_type="UK9")
    assert notice.fields["KPI: Satisfaction"].startswith("Requires improvement")
    package = json.loads(client.get(reverse("commissioning:notice_release",
                                            args=[notice.pk])).content)
    assert_valid(package)
    implementation = package["releases"][0]["contracts"][0]["implementation"]
    assert implementation["documents"][0]["noticeType"] == "UK9"
    assert {m["status"] for m in implementation["milestones"]} == {"notMet"}


def test_a_rating_is_for_a_period_that_has_ended(contract, commissioner):
    kpi = ContractKpi.objects.create(contract=contract, name="Visits", target="95%")
    with pytest.raises(ValidationError) as error:
        management.kpi_rating_record(actor=commissioner, kpi=kpi, rating="good",
                                     period_start=timezone.localdate(),
                                     period_end=timezone.localdate()
                                     + datetime.timedelta(days=1))
    assert "period_end" in error.value.error_dict


def test_uk9_is_due_12_months_after_the_start_then_after_the_last_notice(commissioner):
    contract = make_contract(commissioner, value="6000000.00")
    ContractKpi.objects.create(contract=contract, name="Visits", target="95%")
    day_before_due = datetime.datetime(2026, 12, 31, 12, tzinfo=datetime.UTC)
    assert list(performance_notice_due(day_before_due + datetime.timedelta(days=1))) == []
    assert len(list(performance_notice_due(day_before_due + datetime.timedelta(days=2)))) == 1
    rate_all(contract, commissioner)
    management.performance_notice_publish(actor=commissioner, contract=contract)
    assert list(performance_notice_due(day_before_due + datetime.timedelta(days=2))) == []


def test_uk11_is_due_within_30_days_of_the_end(contract, commissioner):
    after_end = datetime.datetime.combine(END, datetime.time(12), tzinfo=datetime.UTC)
    assert list(termination_notice_overdue(after_end + datetime.timedelta(days=30))) == []
    assert len(list(termination_notice_overdue(after_end + datetime.timedelta(days=31)))) == 1
    with pytest.raises(ValidationError, match="not ended"):
        management.contract_expiry_notice_publish(actor=commissioner, contract=contract)
    contract.ends_on = timezone.localdate() - datetime.timedelta(days=40)
    contract.save()
    management.contract_expiry_notice_publish(actor=commissioner, contract=contract)
    assert list(termination_notice_overdue(timezone.now())) == []


PAGES = ("contract_changes", "contract_performance")
ALLOWED = {"anonymous": False, "provider": False, "commissioner": True,
           "contract_manager": True, "evaluator": False, "other_authority": False}


@pytest.mark.parametrize("person", ALLOWED)
def test_permission_matrix_of_the_contract_management_pages(client, contract, authority,
                                                            bid_writer, commissioner,
                                                            other_commissioner, person):
    people = {"anonymous": AnonymousUser(), "provider": bid_writer,
              "commissioner": commissioner,
              "contract_manager": factories.with_totp(factories.member(
                  contract.award.tender.authority, Role.CONTRACT_MANAGER)),
              "evaluator": factories.with_totp(factories.member(
                  contract.award.tender.authority, Role.EVALUATOR)),
              "other_authority": other_commissioner}
    if people[person].is_authenticated:
        client.force_login(people[person])
    for name in PAGES:
        status = client.get(reverse(f"commissioning:{name}", args=[contract.pk])).status_code
        assert (status == 200) is ALLOWED[person], (name, person, status)
    response = client.post(reverse("commissioning:contract_changes", args=[contract.pk]), {
        "description": "x", "value_delta": "5", "new_ends_on_day": "1", "new_ends_on_month": "1",
        "new_ends_on_year": "2028"})
    assert contract.changes.exists() is ALLOWED[person]
    assert response.status_code < 500
    assert client.get(reverse("commissioning:contract_changes",
                              args=[999999])).status_code in (302, 404)
