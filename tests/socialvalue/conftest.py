"""Social value fixtures: the national catalogue, a local framework with proxies, a plan."""

import datetime
from decimal import Decimal

import pytest

from organisations.models import Role
from socialvalue import services
from socialvalue.models import Measure
from tests import factories

LOCAL_HEADER = (
    "framework_name,framework_version,framework_licence,theme_code,theme_name,outcome_code,"
    "outcome_name,measure_code,measure_name,unit,counting_rules,evidence_required,"
    "double_count_group,first_year_only,local_only,proxy_value,proxy_source,"
    "proxy_price_base_year,proxy_licence\n")


def local_csv(*rows: str) -> str:
    return LOCAL_HEADER + "".join(row + "\n" for row in rows)


LOCAL_ROWS = (
    "Northby values,2026,Council licence,J,Jobs,J1,Local jobs,L1,Local FTE jobs,fte_years,"
    "FTE x years,Payroll,jobs,no,yes,1000,Northby unit costs,2025,Licensed to Northby",
    "Northby values,2026,Council licence,J,Jobs,J1,Local jobs,L2,Jobs for care leavers,"
    "fte_years,First year only,Start records,,yes,no,2000,Northby unit costs,2025,Licensed",
    "Northby values,2026,Council licence,S,Spend,S1,Local spend,L3,Local SME spend,gbp,"
    "Pounds,Invoices,spend,no,yes,0.10,Northby unit costs,2025,Licensed",
    "Northby values,2026,Council licence,S,Spend,S1,Local spend,L4,Local spend any size,gbp,"
    "Pounds,Invoices,spend,no,yes,0.05,Northby unit costs,2025,Licensed",
)


@pytest.fixture
def national(db):
    return services.load_social_value_model().framework


@pytest.fixture
def local_framework(authority, commissioner):
    report = services.catalogue_import(actor=commissioner, authority=authority,
                                       text=local_csv(*LOCAL_ROWS))
    assert report.ok, report.errors
    return report.framework


@pytest.fixture
def local_measures(local_framework):
    return {m.code: m for m in Measure.objects.filter(outcome__theme__framework=local_framework)}


@pytest.fixture
def plan(authority, commissioner, local_measures):
    plan = services.plan_create(actor=commissioner, authority=authority)
    for code in ("L1", "L2", "L3", "L4"):
        services.plan_measure_add(actor=commissioner, plan=plan, measure=local_measures[code],
                                  relevance=f"Relevant: {code}")
    services.plan_update(actor=commissioner, plan=plan, weight=Decimal("15"),
                         question="How will you create local jobs?")
    return plan


def pm(plan, code):
    return plan.measures.get(measure__code=code)


def entry(plan_measure, **overrides):
    data = {
        "plan_measure_id": plan_measure.pk, "quantity": "10", "delivery_plan": "Recruit locally",
        "owner_name": "Asha Khan", "milestones": "Quarterly hires", "method_statement": "How",
        "is_local": True, "is_core_deliverable": False, "deadweight": "0", "attribution": "100",
    }
    return data | overrides


@pytest.fixture
def contract_manager(authority):
    return factories.with_totp(factories.member(authority, Role.CONTRACT_MANAGER))


@pytest.fixture
def ledger(plan, provider, contract_manager):
    commitment_set = services.commitments_record(
        plan=plan, supplier=provider, contract_value=Decimal("500000"),
        entries=[entry(pm(plan, "L1"), quantity="8"), entry(pm(plan, "L2"), quantity="2")])
    return services.ledger_create(
        commitment_set=commitment_set, authority=plan.authority, actor=contract_manager,
        starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2026, 12, 31))
