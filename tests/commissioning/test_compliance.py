"""Commissioning compliance checks: each finding opens when a duty is missed, stays open while
it is, and resolves once the authority acts. Dates straddle Easter 2026 (Good Friday 3 April,
Easter Monday 6 April) where working days matter."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from commissioning.models import Award, Clarification, Contract, ContractKpi, Opening, Score
from compliance import services
from compliance.models import Finding
from tests.commissioning import factories as cf
from tests.commissioning import ocds_support as support

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(day: int, month: int = 4, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=LONDON)


def run(check_id: str, now: datetime.datetime) -> list[Finding]:
    checked = services.check_run(check_id=check_id, now=now)
    assert checked.succeeded, checked.error
    return list(Finding.objects.filter(check_id=check_id, status=Finding.Status.OPEN))


def resolved(check_id: str) -> list[Finding]:
    return list(Finding.objects.filter(check_id=check_id, status=Finding.Status.RESOLVED))


def closed_tender(deadline: datetime.datetime, **fields):
    fields.setdefault("status", "published")
    return cf.TenderFactory(deadline=deadline, published_at=deadline - datetime.timedelta(30),
                            questions_deadline=deadline - datetime.timedelta(5), **fields)


def test_bids_not_opened_two_working_days_after_the_deadline():
    check = "commissioning.opening_overdue"
    tender = closed_tender(at(2))  # Thursday before Easter
    cf.TenderFactory(deadline=at(1), status="opened")  # already opened: never a finding
    assert run(check, at(8)) == []  # Tuesday 7 and Wednesday 8 April: two working days
    (finding,) = run(check, at(9))
    assert (finding.subject, finding.organisation_id) == (tender, tender.authority_id)
    assert "2 April 2026" in finding.message and "2 working days" in finding.message
    assert len(run(check, at(10))) == 1 and Finding.objects.filter(check_id=check).count() == 1

    Opening.objects.create(tender=tender, requested_by=tender.created_by, requested_at=at(10),
                           confirmed_by=tender.created_by, confirmed_at=at(10, hour=13))
    assert run(check, at(13)) == [] and len(resolved(check)) == 1


def test_the_allowance_comes_from_settings(settings):
    settings.COMMISSIONING_OPENING_DUE_WORKING_DAYS = 5
    closed_tender(at(2))
    assert run("commissioning.opening_overdue", at(9)) == []
    assert len(run("commissioning.opening_overdue", at(14))) == 1


def test_evaluation_not_started_five_working_days_after_opening():
    check = "commissioning.evaluation_not_started"
    tender = closed_tender(at(13), status="opened")
    bid = support.submit_bid(tender, support.provider("Bidder"))
    Opening.objects.create(tender=tender, requested_by=tender.created_by, requested_at=at(14),
                           confirmed_by=tender.created_by, confirmed_at=at(14))
    nobody_bid = closed_tender(at(13), status="opened")
    Opening.objects.create(tender=nobody_bid, requested_by=nobody_bid.created_by,
                           requested_at=at(14), confirmed_at=at(14))
    assert run(check, at(21)) == []  # 15, 16, 17, 20, 21 April
    (finding,) = run(check, at(22))
    assert finding.subject == tender and "14 April 2026" in finding.message
    assert len(run(check, at(23))) == 1

    criterion = cf.AwardCriterionFactory(tender=tender)
    Score.objects.create(bid=bid, criterion=criterion, evaluator=tender.created_by, score=60)
    assert run(check, at(24)) == [] and len(resolved(check)) == 1


def awarded(standstill_ends_on: datetime.date, **fields) -> Award:
    tender = closed_tender(at(1), status="standstill")
    bid = support.submit_bid(tender, support.provider("Winner"))
    return support.publish_award(tender, bid, notice_published_at=at(1),
                                 standstill_ends_on=standstill_ends_on, **fields)


def test_standstill_ended_without_a_contract():
    check = "commissioning.standstill_without_contract"
    award = awarded(datetime.date(2026, 4, 14))
    awarded(datetime.date(2026, 4, 14), status=Award.Status.CANCELLED)
    assert run(check, at(14, hour=18)) == []  # the last day of standstill
    (finding,) = run(check, at(15))
    assert finding.subject == award and "14 April 2026" in finding.message
    assert finding.organisation_id == award.tender.authority_id
    assert len(run(check, at(16))) == 1

    support.enter_contract(award)
    assert run(check, at(17)) == [] and len(resolved(check)) == 1


def contract(value="390000.00", **fields) -> Contract:
    award = awarded(datetime.date(2026, 3, 20))
    fields.setdefault("signed_at", at(1, hour=10))
    return support.enter_contract(award, value=value, **fields)


def test_contract_details_notice_due_within_thirty_days():
    check = "commissioning.contract_details_overdue"
    signed = contract()
    contract(details_published_at=at(2))
    assert run(check, at(1, month=5, hour=9)) == []  # 30 days to the hour
    (finding,) = run(check, at(1, month=5, hour=11))
    assert finding.subject == signed and "1 May 2026" in finding.message
    assert len(run(check, at(2, month=5))) == 1

    Contract.objects.filter(pk=signed.pk).update(details_published_at=at(2, month=5))
    assert run(check, at(3, month=5)) == [] and len(resolved(check)) == 1


def test_contracts_over_five_million_need_three_most_material_kpis():
    check = "commissioning.contract_kpis_missing"
    large = contract(value="6000000.00")
    for material in (True, True, False):
        ContractKpi.objects.create(contract=large, name="On-time visits", target="95%",
                                   is_most_material=material)
    contract(value="5000000.00")  # not over the threshold
    (finding,) = run(check, at(14))
    assert finding.subject == large
    assert "£6,000,000.00" in finding.message and "has 2 most material KPIs" in finding.message
    assert len(run(check, at(15))) == 1

    ContractKpi.objects.create(contract=large, name="Satisfaction", target="90%",
                               is_most_material=True)
    assert run(check, at(16)) == [] and len(resolved(check)) == 1


def test_clarification_questions_answered_within_three_working_days():
    check = "commissioning.clarification_unanswered"
    tender = cf.TenderFactory(deadline=at(30))
    question = cf.ClarificationFactory(tender=tender)
    Clarification.objects.filter(pk=question.pk).update(created_at=at(2, hour=15))
    closed = cf.ClarificationFactory(tender=cf.TenderFactory(deadline=at(3), status="opened"))
    Clarification.objects.filter(pk=closed.pk).update(created_at=at(1))
    assert run(check, at(9)) == []  # 7, 8 and 9 April after Easter
    (finding,) = run(check, at(10))
    assert finding.subject == question and finding.organisation_id == tender.authority_id
    assert len(run(check, at(13))) == 1

    Clarification.objects.filter(pk=question.pk).update(answer="Yes.", answered_at=at(13))
    assert run(check, at(14)) == [] and len(resolved(check)) == 1


def test_each_check_is_a_constant_number_of_queries(django_assert_max_num_queries):
    from commissioning import compliance

    for _ in range(3):
        contract(value=Decimal("6000000.00"))
        closed_tender(at(1))
    for check in (compliance.opening_overdue, compliance.contract_kpis_missing,
                  compliance.contract_details_overdue, compliance.standstill_without_contract,
                  compliance.evaluation_not_started, compliance.clarification_unanswered):
        with django_assert_max_num_queries(2):
            list(check(at(20, month=5)))
