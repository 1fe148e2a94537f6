"""Compliance checks about delivery, and the reports' access, figures and CSV."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Role
from socialvalue import compliance, reporting, services
from tests import factories
from tests.socialvalue.test_delivery import submit, target_for

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2025, 8, 1, 12))


def subjects(check, now=NOW):
    return {spec.subject[1] for spec in check(now)}


def test_overdue_reports_are_found_after_fifteen_working_days(ledger, provider_admin):
    first = target_for(ledger, "L1")  # 1 Jan to 31 Mar 2025
    second = target_for(ledger, "L1", 1)  # ends 30 Jun 2025: 15 working days ended 21 Jul
    found = subjects(compliance.delivery_report_overdue)
    assert {first.pk, second.pk} <= found
    early = timezone.make_aware(datetime.datetime(2025, 7, 10, 12))
    assert second.pk not in subjects(compliance.delivery_report_overdue, early)
    submit(ledger, provider_admin)
    assert first.pk not in subjects(compliance.delivery_report_overdue)
    spec = next(iter(compliance.delivery_report_overdue(NOW)))
    assert spec.organisation_id == ledger.supplier_id


def test_under_delivery_in_two_consecutive_periods(ledger, provider_admin, contract_manager):
    for index, actual in enumerate(["0.5", "0.5"]):
        report = submit(ledger, provider_admin, index=index, actual=actual)
        services.delivery_report_review(actor=contract_manager, report=report, accept=True)
    commitment = target_for(ledger, "L1").commitment
    assert commitment.pk in subjects(compliance.under_delivery)
    spec = next(s for s in compliance.under_delivery(NOW) if s.subject[1] == commitment.pk)
    assert spec.organisation_id == ledger.authority_id


def test_one_short_period_is_not_a_finding(ledger, provider_admin, contract_manager):
    for index, actual in enumerate(["0.5", "1"]):
        report = submit(ledger, provider_admin, index=index, actual=actual)
        services.delivery_report_review(actor=contract_manager, report=report, accept=True)
    assert target_for(ledger, "L1").commitment.pk not in subjects(compliance.under_delivery)


def test_delivery_claimed_without_evidence(ledger, provider_admin, contract_manager):
    without = submit(ledger, provider_admin, actual="1", with_evidence=False)
    with_evidence = submit(ledger, provider_admin, index=1, actual="1")
    nothing = submit(ledger, provider_admin, index=2, actual="0", with_evidence=False)
    found = subjects(compliance.delivery_without_evidence)
    assert without.pk in found and with_evidence.pk not in found and nothing.pk not in found
    services.delivery_report_review(actor=contract_manager, report=without, accept=True)
    spec = next(iter(compliance.delivery_without_evidence(NOW)))
    assert spec.organisation_id == ledger.authority_id


@pytest.mark.parametrize("who, status", [
    ("platform_admin", 200), ("commissioner", 200), ("contract_manager", 200),
    ("provider_admin", 403), ("citizen", 403),
])
@pytest.mark.parametrize("name", ["reports", "reports_csv", "performance", "statement"])
def test_reports_permission_matrix(client, ledger, platform_admin, commissioner,
                                   contract_manager, provider_admin, citizen, who, status, name):
    people = {"platform_admin": platform_admin, "commissioner": commissioner,
              "contract_manager": contract_manager, "provider_admin": provider_admin,
              "citizen": citizen}
    client.force_login(people[who])
    assert client.get(reverse(f"socialvalue:{name}")).status_code == status


def test_authority_staff_see_only_their_own_authority(client, ledger):
    other = factories.AuthorityFactory()
    stranger = factories.with_totp(factories.member(other, Role.COMMISSIONER))
    assert list(reporting.report_authorities(user=stranger)) == [other]
    assert reporting.delivery_rows(authorities=[other]) == []


def test_committed_and_delivered_by_theme_and_quarter(ledger, provider_admin,
                                                      contract_manager):
    report = submit(ledger, provider_admin, actual="0.5")
    services.delivery_report_review(actor=contract_manager, report=report, accept=True)
    rows = reporting.delivery_rows(authorities=[ledger.authority])
    themes = {t["label"]: t for t in reporting.totals_by(rows, "theme")}
    # L1 8 FTE-years at £1,000 and L2 2 at £2,000 committed; 0.5 L1 accepted.
    assert themes["J Jobs"]["committed"] == Decimal("12000.00")
    assert themes["J Jobs"]["delivered"] == Decimal("500.00")
    quarters = {q["label"]: q for q in reporting.totals_by(rows, "quarter")}
    assert quarters["2025 Q1"]["delivered"] == Decimal("500.00")
    assert [t["label"] for t in reporting.totals_by(rows, "supplier_type")] == ["VCSE"]


def test_csv_export_and_chart_have_the_same_figures(client, ledger, commissioner):
    client.force_login(commissioner)
    response = client.get(reverse("socialvalue:reports_csv"), {"dimension": "outcome"})
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Outcome,Quarter,Committed")
    assert "J1 Local jobs,2025 Q1,2000.00,0.00" in lines
    page = client.get(reverse("socialvalue:reports")).content.decode()
    assert 'role="img"' in page and "<table" in page and 'style="' not in page


def test_the_account_for_social_value(client, ledger, provider_admin, contract_manager,
                                      commissioner):
    report = submit(ledger, provider_admin, actual="1")
    services.delivery_report_review(actor=contract_manager, report=report, accept=True)
    statement = reporting.authority_statement(authority=ledger.authority)
    assert statement["plans"] == 1 and statement["commitment_sets"] == 1
    assert statement["reports_accepted"] == 1 and statement["accepted_with_evidence"] == 1
    assert statement["committed_indicator"] == Decimal("12000.00")
    client.force_login(commissioner)
    page = client.get(reverse("socialvalue:statement")).content.decode()
    assert "Account for social value" in page and "£12,000.00" in page


def test_ratings_per_contract_supplier_and_authority(ledger):
    ratings = reporting.performance_ratings(authorities=[ledger.authority])
    assert ratings["contracts"][0]["rating"] == "Inadequate"  # nothing accepted, periods due
    assert ratings["suppliers"][0]["name"] == ledger.supplier.name
    assert ratings["authorities"][0]["contracts"] == 1
