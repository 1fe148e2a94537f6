"""Delivery: targets per period, reports with evidence, review, RAG and ratings."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Notification
from organisations.models import Role
from socialvalue import performance, selectors, services
from socialvalue.models import DeliveryReport
from socialvalue.services.delivery import reporting_periods, spread
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


def evidence():
    return SimpleUploadedFile("payroll.csv", b"name,hours\nA,37\n", content_type="text/csv")


def target_for(ledger, code, index=0):
    return ledger.targets.filter(commitment__plan_measure__measure__code=code).order_by(
        "period_start")[index]


def submit(ledger, user, code="L1", index=0, actual="1", with_evidence=True):
    return services.delivery_report_submit(
        actor=user, target=target_for(ledger, code, index), actual=Decimal(actual),
        narrative="Hired", evidence_file=evidence() if with_evidence else None)


def test_periods_are_quarters_and_the_last_is_clipped():
    periods = reporting_periods(D(2025, 1, 31), D(2025, 8, 15), "quarterly")
    assert periods == [(D(2025, 1, 31), D(2025, 4, 29)), (D(2025, 4, 30), D(2025, 7, 30)),
                       (D(2025, 7, 31), D(2025, 8, 15))]


def test_quantities_are_spread_to_the_penny():
    assert spread(Decimal("10"), 3) == [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]


def test_targets_cover_the_term_and_first_year_only_measures_the_first_year(provider_admin,
                                                                             ledger):
    jobs = ledger.targets.filter(commitment__plan_measure__measure__code="L1")
    hires = ledger.targets.filter(commitment__plan_measure__measure__code="L2")
    assert jobs.count() == 8 and sum(t.target for t in jobs) == Decimal("8")
    assert hires.count() == 4 and max(t.period_end for t in hires) == D(2025, 12, 31)
    assert Notification.objects.filter(subject__contains="delivery reporting").exists()


def test_commitments_that_broke_a_rule_are_not_tracked(plan, provider, contract_manager):
    from tests.socialvalue.conftest import entry, pm

    recorded = services.commitments_record(
        plan=plan, supplier=provider, contract_value=Decimal("1000000"),
        entries=[entry(pm(plan, "L1")), entry(pm(plan, "L3"), is_core_deliverable=True)])
    ledger = services.ledger_create(commitment_set=recorded, authority=plan.authority,
                                    actor=contract_manager, starts_on=D(2025, 1, 1),
                                    ends_on=D(2025, 12, 31))
    assert set(ledger.targets.values_list("commitment__plan_measure__measure__code",
                                          flat=True)) == {"L1"}
    assert len(selectors.ledger_summary(ledger=ledger)["untracked"]) == 1


def test_a_supplier_reports_and_the_contract_manager_accepts(ledger, provider_admin,
                                                             contract_manager):
    report = submit(ledger, provider_admin, actual="1")
    assert report.evidence.original_name == "payroll.csv"
    assert Notification.objects.filter(recipient=contract_manager).exists()
    with pytest.raises(ValidationError, match="already has a report"):
        submit(ledger, provider_admin)
    services.delivery_report_review(actor=contract_manager, report=report, accept=True)
    report.refresh_from_db()
    assert report.status == DeliveryReport.Status.ACCEPTED
    assert Notification.objects.filter(recipient=provider_admin,
                                       subject__contains="accepted").exists()


def test_rejecting_needs_a_reason_and_lets_the_supplier_report_again(ledger, provider_admin,
                                                                     contract_manager):
    report = submit(ledger, provider_admin)
    with pytest.raises(ValidationError):
        services.delivery_report_review(actor=contract_manager, report=report, accept=False)
    services.delivery_report_review(actor=contract_manager, report=report, accept=False,
                                    reason="The payroll extract is for another contract")
    assert submit(ledger, provider_admin).status == DeliveryReport.Status.SUBMITTED


def test_future_periods_cannot_be_reported(plan, provider, provider_admin, contract_manager):
    from tests.socialvalue.conftest import entry, pm

    recorded = services.commitments_record(plan=plan, supplier=provider,
                                           contract_value=Decimal("1"),
                                           entries=[entry(pm(plan, "L1"))])
    ledger = services.ledger_create(commitment_set=recorded, authority=plan.authority,
                                    actor=contract_manager, starts_on=D(2040, 1, 1),
                                    ends_on=D(2041, 1, 1))
    with pytest.raises(ValidationError, match="once it has started"):
        submit(ledger, provider_admin)


def test_only_accepted_reports_count_and_rag_follows_the_tolerance(ledger, provider_admin,
                                                                   contract_manager):
    # L1: 1 FTE-year per quarter. 0.95 is green (>= 90%), 0.85 amber (>= 80%), 0.5 red.
    for index, actual in enumerate(["0.95", "0.85", "0.5"]):
        report = submit(ledger, provider_admin, index=index, actual=actual)
        services.delivery_report_review(actor=contract_manager, report=report, accept=True)
    submit(ledger, provider_admin, index=3, actual="1")  # awaiting review: not delivered
    summary = selectors.ledger_summary(ledger=ledger, today=D(2026, 1, 15))
    jobs = next(c for c in summary["commitments"] if c["measure"].code == "L1")
    assert [t.rag for t in jobs["targets"][:5]] == ["green", "amber", "red", "red", "not_due"]
    assert jobs["percent"] == Decimal("57.5")
    assert summary["rating"] == performance.rating(summary["percent"])


@pytest.mark.parametrize("value, rag, rating", [
    (Decimal("100"), "green", "Good"), (Decimal("90"), "green", "Good"),
    (Decimal("85"), "amber", "Approaching target"), (Decimal("70"), "red",
                                                     "Requires improvement"),
    (Decimal("50"), "red", "Inadequate"), (None, "not_due", "Other"),
])
def test_rag_and_ratings(value, rag, rating):
    assert performance.rag(value) == rag and performance.rating(value) == rating


def test_overall_caps_over_delivery_so_it_never_hides_a_shortfall():
    assert performance.overall([Decimal("300"), Decimal("40")]) == Decimal("70.0")


@pytest.mark.parametrize("who, status", [
    ("provider_admin", 200), ("bid_writer", 200), ("contract_manager", 200),
    ("platform_admin", 200), ("other_provider", 403), ("evaluator", 403),
])
def test_ledger_permission_matrix(client, ledger, provider_admin, bid_writer, contract_manager,
                                  platform_admin, who, status):
    people = {
        "provider_admin": provider_admin, "bid_writer": bid_writer,
        "contract_manager": contract_manager, "platform_admin": platform_admin,
        "other_provider": factories.member(factories.OrganisationFactory(),
                                           Role.PROVIDER_ADMIN),
        "evaluator": factories.with_totp(factories.member(ledger.authority, Role.EVALUATOR)),
    }
    client.force_login(people[who])
    assert client.get(reverse("socialvalue:ledger_detail", args=[ledger.pk])).status_code == \
        status


def test_the_ledger_list_shows_only_your_own(client, ledger, provider_admin):
    outsider = factories.member(factories.OrganisationFactory(), Role.PROVIDER_ADMIN)
    client.force_login(outsider)
    assert "There are no contracts" in client.get(
        reverse("socialvalue:ledger_list")).content.decode()
    client.force_login(provider_admin)
    assert reverse("socialvalue:ledger_detail", args=[ledger.pk]) in client.get(
        reverse("socialvalue:ledger_list")).content.decode()


def test_reporting_and_reviewing_through_the_pages(client, ledger, provider_admin,
                                                   contract_manager):
    target = target_for(ledger, "L1")
    client.force_login(contract_manager)
    url = reverse("socialvalue:report_submit", args=[target.pk])
    assert client.get(url).status_code == 403
    client.force_login(provider_admin)
    response = client.post(url, {"actual": "", "narrative": "Hired two people"})
    assert "Enter the amount delivered" in response.content.decode()
    assert "Hired two people" in response.content.decode()
    response = client.post(url, {"actual": "1", "narrative": "Hired", "evidence": evidence()})
    report = DeliveryReport.objects.get()
    assert response.url == reverse("socialvalue:report_submitted", args=[report.pk])
    review = reverse("socialvalue:report_review", args=[report.pk])
    assert client.post(review, {"decision": "accept"}).status_code == 403
    assert client.get(reverse("socialvalue:report_evidence", args=[report.pk])).status_code \
        == 200
    client.force_login(contract_manager)
    response = client.post(review, {"decision": "reject", "reason": ""})
    assert "Enter the reason for rejecting" in response.content.decode()
    assert client.post(review, {"decision": "accept"}).status_code == 302
    report.refresh_from_db()
    assert report.status == DeliveryReport.Status.ACCEPTED and report.reviewed_by == \
        contract_manager
