"""A known commissioning dataset for the report figures (see test_figures.py for the sums)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from commissioning.models import Award, Bid, Tender
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf
from tests.mutuals import support as mutual_support

UTC = datetime.UTC


def noon(day: int, month: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 12, 0, tzinfo=UTC)


def tender(authority, *, created: datetime.datetime, value: str, **fields) -> Tender:
    made = cf.TenderFactory(authority=authority, estimated_value_ex_vat=Decimal(value),
                            **fields)
    Tender.objects.filter(pk=made.pk).update(created_at=created)
    return made


def bid(tender_: Tender, organisation, status=Bid.Status.SUBMITTED) -> Bid:
    return cf.BidFactory(tender=tender_, organisation=organisation, status=status,
                         submitted_at=tender_.deadline - datetime.timedelta(days=2))


def award(bid_: Bid, *, value: str, notice: datetime.datetime, **fields) -> Award:
    fields.setdefault("status", Award.Status.CONTRACTED)
    return Award.objects.create(tender=bid_.tender, bid=bid_, value=Decimal(value),
                                notice_published_at=notice, proposed_by=bid_.tender.created_by,
                                **fields)


@pytest.fixture
def dataset(authority, other_authority):
    charity = factories.OrganisationFactory(name="Small Charity", size="small", is_vcse=True)
    large = factories.OrganisationFactory(name="Large Ltd", size="large", is_vcse=False,
                                          legal_form="large", charity_number="")
    mutual = factories.OrganisationFactory(name="Care Mutual", size="medium", is_vcse=False,
                                           legal_form="mutual", charity_number="")
    mutual_support.profile(mutual)
    mutual_support.recognise(mutual, key="s33")  # recognised, not only declared
    t1 = tender(authority, created=noon(2, 1), value="120000.00", reference="A-1",
                status="contracted", published_at=noon(5, 1), deadline=noon(5, 2))
    t2 = tender(authority, created=noon(8, 1), value="320000.00", reference="A-2",
                procedure="competitive_flexible", status="standstill",
                published_at=noon(10, 1), deadline=noon(10, 2))
    tender(authority, created=noon(9, 1), value="50000.00", reference="A-3", status="draft",
           published_at=None, deadline=None)
    t4 = tender(authority, created=noon(1, 6), value="80000.00", reference="A-4",
                published_at=noon(1, 6), deadline=datetime.datetime(2099, 1, 1, tzinfo=UTC))
    winner_1 = bid(t1, charity)
    bid(t1, large)
    bid(t1, mutual, status=Bid.Status.WITHDRAWN)
    winner_2 = bid(t2, mutual)
    bid(t2, large)
    bid(t4, large)  # the deadline has not passed: sealed, never counted
    award(winner_1, value="100000.00", notice=noon(6, 3))  # 60 days after publication
    award(winner_2, value="300000.00", notice=noon(19, 2), status="standstill")  # 40 days
    t5 = tender(other_authority, created=noon(1, 1), value="700000.00", reference="B-1",
                status="contracted", published_at=noon(1, 1), deadline=noon(20, 1))
    winner_5 = bid(t5, large)
    award(winner_5, value="600000.00", notice=noon(31, 1))  # 30 days
    award(winner_5, value="1.00", notice=noon(2, 2), status=Award.Status.CANCELLED)
    officer = factories.with_totp(factories.member(authority, Role.PROGRAMME_OFFICER))
    mutual_support.approved_plan(mutual_support.scheme(authority), factories.UserFactory(),
                                 officer)
    panel_dataset(authority)
    return {"t1": t1, "t2": t2, "t4": t4, "t5": t5}


def panel_dataset(authority) -> None:
    """A drawn panel with one closed decision, written straight to the tables."""
    from citizens.models import Decision, Panel, Quota, SelectionRun

    officer = factories.UserFactory()
    panel = Panel.objects.create(
        authority=authority, title="Food panel", purpose="-", remit="-", feeds_decision="-",
        size=2, term_start=datetime.date(2026, 1, 1), term_end=datetime.date(2026, 12, 31),
        phase="response", created_by=officer)
    Quota.objects.create(panel=panel, feature="gender", feature_label="Gender", value="woman",
                         value_label="Woman", minimum=1, maximum=1)
    SelectionRun.objects.create(
        panel=panel, status="succeeded", seats=2, frozen_by=officer, pool_hash="0" * 64,
        pool=[{"id": "P-1", "gender": "woman"}, {"id": "P-2", "gender": "man"}],
        quotas=[{"feature": "gender", "value": "woman", "min": 1, "max": 1}],
        selected=["P-1", "P-2"])
    Decision.objects.create(panel=panel, title="Fund what", question="?", method="irv",
                            status="closed", closed_at=noon(1, 3), outcome="decided",
                            result={"voted": 2, "eligible": 2}, created_by=officer)


@pytest.fixture
def other_authority(db):
    return factories.AuthorityFactory(name="Zed Borough Council")
