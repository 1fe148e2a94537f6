"""The report figures on a known dataset (tests/reports/conftest.py), computed in the database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from commissioning.selectors.reports import (
    ReportScope,
    bids_per_tender,
    pipeline_by_status,
    supplier_shares,
    time_to_award,
)
from reports import presenters

pytestmark = pytest.mark.django_db


def test_pipeline_counts_and_sums_by_status_and_procedure(dataset, authority):
    rows = pipeline_by_status(scope=ReportScope(authority_ids=[authority.pk]))
    assert [(r["status"], r["procedure"], r["count"], r["value"]) for r in rows] == [
        ("draft", "open", 1, Decimal("50000.00")),
        ("published", "open", 1, Decimal("80000.00")),
        ("standstill", "competitive_flexible", 1, Decimal("320000.00")),
        ("contracted", "open", 1, Decimal("120000.00")),
    ]
    table = presenters.REPORTS["pipeline"].build(scope=ReportScope(authority_ids=[authority.pk]))
    assert table.rows[-1] == {"status": "Total", "procedure": "", "header": True, "count": 4,
                              "value": Decimal("570000.00")}


def test_the_date_range_is_inclusive_in_london(dataset, authority):
    scope = ReportScope(authority_ids=[authority.pk], start=datetime.date(2026, 1, 2),
                        end=datetime.date(2026, 1, 8))
    assert sum(row["count"] for row in pipeline_by_status(scope=scope)) == 2


def test_bids_per_tender_counts_only_submitted_bids_after_the_deadline(dataset, authority):
    rows = list(bids_per_tender(scope=ReportScope(authority_ids=[authority.pk])))
    assert [(r["reference"], r["bid_count"], r["sme_bids"], r["vcse_bids"]) for r in rows] == [
        ("A-2", 2, 1, 0), ("A-1", 2, 1, 1)]


def test_shares_of_bids_and_awards_for_smes_vcses_and_mutuals(dataset, authority):
    (row,) = supplier_shares(scope=ReportScope(authority_ids=[authority.pk]))
    assert (row["bids"], row["bids_sme"], row["bids_vcse"], row["bids_mutual"]) == (4, 2, 1, 1)
    assert (row["awards"], row["award_value"]) == (2, Decimal("400000.00"))
    assert (row["awards_vcse"], row["award_value_vcse"]) == (1, Decimal("100000.00"))
    assert (row["awards_mutual"], row["award_value_mutual"]) == (1, Decimal("300000.00"))
    table = presenters.REPORTS["suppliers"].build(scope=ReportScope(authority_ids=[authority.pk]))
    shares = {r["group"]: (r["bid_share"], r["award_share"], r["value_share"])
              for r in table.rows}
    assert shares == {
        "All suppliers": (Decimal("100.0"), Decimal("100.0"), Decimal("100.0")),
        "SMEs": (Decimal("50.0"), Decimal("100.0"), Decimal("100.0")),
        "VCSEs": (Decimal("25.0"), Decimal("50.0"), Decimal("25.0")),
        "Public service mutuals": (Decimal("25.0"), Decimal("50.0"), Decimal("75.0")),
    }


def test_shares_cover_every_authority_for_admins(dataset, authority, other_authority):
    rows = supplier_shares(scope=ReportScope())
    assert [(r["authority"], r["bids"], r["awards"], r["award_value"]) for r in rows] == [
        (authority.name, 4, 2, Decimal("400000.00")),
        (other_authority.name, 1, 1, Decimal("600000.00")),  # the cancelled award is left out
    ]


def test_time_to_award_mean_and_median_in_days(dataset, authority, other_authority):
    result = time_to_award(scope=ReportScope())
    by_name = {row["authority"]: row for row in result["authorities"]}
    assert by_name[authority.name]["awards"] == 2
    assert by_name[authority.name]["mean_days"] == pytest.approx(50.0)
    assert by_name[authority.name]["median_days"] == pytest.approx(50.0)
    assert by_name[other_authority.name]["median_days"] == pytest.approx(30.0)
    overall = result["overall"]
    assert overall["awards"] == 3
    assert overall["mean_days"] == pytest.approx(130 / 3)
    assert overall["median_days"] == pytest.approx(40.0)
    table = presenters.REPORTS["time-to-award"].build(scope=ReportScope())
    assert table.rows[-1]["authority"] == "All authorities"
    assert table.rows[-1]["mean"] == Decimal("43.3")


def test_empty_scopes_report_nothing(db):
    scope = ReportScope(authority_ids=[0])
    assert pipeline_by_status(scope=scope) == [] and supplier_shares(scope=scope) == []
    assert time_to_award(scope=scope)["overall"] == {"awards": 0, "mean_days": None,
                                                     "median_days": None}


def test_mutuals_reports_count_recognised_mutuals_support_and_shares(dataset, authority):
    from commissioning.selectors.reports import reserved_and_mutual_awards
    from mutuals.selectors import reports as reporting

    assert reporting.register_counts() == [
        {"sector": "adult_social_care", "region": "yorkshire", "count": 1,
         "sector_label": "Adult social care", "region_label": "Yorkshire and the Humber"}]
    (row,) = reserved_and_mutual_awards(scope=ReportScope(authority_ids=[authority.pk]))
    assert row["mutual"] == 1 and row["reserved"] == 0
    [funnel] = reporting.support_funnel(authority_ids=[authority.pk])
    assert (funnel["started"], funnel["applied"], funnel["supported"], funnel["launched"]) == (
        1, 1, 1, 0)
    milestones = reporting.milestone_progress(authority_ids=[authority.pk])
    assert len(milestones) == 8 and {m["signed_off"] for m in milestones} == {0}


def test_an_award_keeps_its_authority_lead_supplier_and_publication(dataset):
    # What the award reports read from the award row alone, copied when the award is made.
    from commissioning.models import Award

    award = Award.objects.get(tender=dataset["t1"])
    assert award.authority_id == dataset["t1"].authority_id
    assert award.supplier_id == award.bid.organisation_id
    assert award.tender_published_at == dataset["t1"].published_at


def test_award_figures_are_one_aggregate_of_the_awards_without_their_bids(dataset, authority):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scope = ReportScope(authority_ids=[authority.pk])
    with CaptureQueriesContext(connection) as queries:
        overall = time_to_award(scope=scope)["overall"]
        shares = supplier_shares(scope=scope)
    assert overall["awards"] == 2 and shares[0]["awards"] == 2
    award_queries = [q["sql"] for q in queries.captured_queries
                     if "commissioning_award" in q["sql"]]
    assert len(award_queries) == 2  # time to award, and the awards half of the shares
    assert not any("commissioning_bid" in sql or "commissioning_tender" in sql
                   for sql in award_queries)
