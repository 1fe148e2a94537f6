"""The deadline is enforced by the server clock on every request that changes a bid."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from commissioning.models import Bid, BidReceipt, DeadlineChange
from commissioning.sealing import unseal
from commissioning.services import bids as services
from commissioning.services.bids import clock
from tests.commissioning.bids_support import ServerClock, fill_bid, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def server_clock(monkeypatch) -> ServerClock:
    return ServerClock(monkeypatch)
MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
def ready_bid(published_tender, provider, bid_writer):
    bid = services.bid_start(tender=published_tender, organisation=provider, actor=bid_writer)
    return fill_bid(bid, bid_writer)


def test_a_bid_one_microsecond_before_the_deadline_is_accepted(ready_bid, bid_writer,
                                                               server_clock):
    moment = ready_bid.tender.deadline - MICROSECOND
    server_clock.at(moment)
    receipt = services.bid_submit(bid=ready_bid, actor=bid_writer)
    assert receipt.received_at == moment
    ready_bid.refresh_from_db()
    assert ready_bid.status == Bid.Status.SUBMITTED
    assert ready_bid.submitted_at == moment


@pytest.mark.parametrize("offset", [timedelta(0), MICROSECOND, timedelta(hours=2)])
def test_a_bid_at_or_after_the_deadline_is_refused_and_the_draft_kept(
        ready_bid, bid_writer, server_clock, offset):
    server_clock.at(ready_bid.tender.deadline + offset)
    before = unseal(tender=ready_bid.tender, blob=ready_bid.sealed_content)
    with pytest.raises(clock.DeadlinePassed) as refusal:
        services.bid_submit(bid=ready_bid, actor=bid_writer,
                            declarations={"accurate": True, "no_collusion": False})
    expected = clock.format_deadline(ready_bid.tender.deadline)
    assert refusal.value.messages == [
        f"The deadline was {expected}. Bids received at or after the deadline cannot be "
        "accepted."]
    ready_bid.refresh_from_db()
    assert ready_bid.status == Bid.Status.DRAFT
    assert not BidReceipt.objects.exists()
    after = unseal(tender=ready_bid.tender, blob=ready_bid.sealed_content)
    assert after["answers"] == before["answers"] and after["price"] == before["price"]
    # What came with the refused request was saved before the refusal.
    assert after["declarations"] == {"accurate": True, "no_collusion": False}


def test_the_refusal_message_names_the_deadline_in_london_time(published_tender):
    import datetime

    published_tender.deadline = datetime.datetime(2027, 3, 5, 12, 0, tzinfo=datetime.UTC)
    message = clock.deadline_passed(published_tender).messages[0]
    assert message == ("The deadline was 12:00 on 5 March 2027. Bids received at or after the "
                       "deadline cannot be accepted.")


def test_draft_typing_after_the_deadline_is_saved_but_flagged(ready_bid, bid_writer,
                                                              server_clock):
    server_clock.at(ready_bid.tender.deadline + MICROSECOND)
    question = ready_bid.tender.questions.first()
    result = services.bid_answer_save(bid=ready_bid, question=question, actor=bid_writer,
                                      text="Typed during the last second")
    assert result.late is not None
    assert "We saved your draft" in result.late.messages[0]
    assert unseal(tender=ready_bid.tender, blob=Bid.objects.get(pk=ready_bid.pk).sealed_content)[
        "answers"][str(question.pk)] == "Typed during the last second"


def test_uploads_and_new_bids_are_refused_at_the_deadline(ready_bid, bid_writer, provider,
                                                         server_clock):
    server_clock.at(ready_bid.tender.deadline)
    slot = ready_bid.tender.document_slots.first()
    with pytest.raises(clock.DeadlinePassed):
        services.bid_file_add(bid=ready_bid, slot=slot, actor=bid_writer,
                              uploaded_file=pdf_upload())
    with pytest.raises(clock.DeadlinePassed):
        services.bid_file_remove(bid_file=ready_bid.files.first(), actor=bid_writer)
    from tests import factories

    other = factories.OrganisationFactory()
    writer = factories.member(other, "bid_writer")
    with pytest.raises(clock.DeadlinePassed):
        services.bid_start(tender=ready_bid.tender, organisation=other, actor=writer)


def test_withdraw_and_resubmit_before_the_deadline_gives_a_new_receipt(ready_bid, bid_writer,
                                                                      server_clock):
    deadline = ready_bid.tender.deadline
    server_clock.at(deadline - timedelta(minutes=10))
    first = services.bid_submit(bid=ready_bid, actor=bid_writer)
    server_clock.at(deadline - timedelta(minutes=5))
    services.bid_withdraw(bid=ready_bid, actor=bid_writer)
    ready_bid.refresh_from_db()
    assert ready_bid.status == Bid.Status.WITHDRAWN
    server_clock.at(deadline - timedelta(minutes=1))
    second = services.bid_submit(bid=ready_bid, actor=bid_writer)
    assert second.number != first.number
    assert second.received_at == deadline - timedelta(minutes=1)
    assert Bid.objects.get(pk=ready_bid.pk).status == Bid.Status.SUBMITTED


def test_withdrawing_at_or_after_the_deadline_is_refused(ready_bid, bid_writer, server_clock):
    server_clock.at(ready_bid.tender.deadline - MICROSECOND)
    services.bid_submit(bid=ready_bid, actor=bid_writer)
    server_clock.at(ready_bid.tender.deadline)
    with pytest.raises(clock.DeadlinePassed, match="cannot be withdrawn"):
        services.bid_withdraw(bid=ready_bid, actor=bid_writer)
    assert Bid.objects.get(pk=ready_bid.pk).status == Bid.Status.SUBMITTED


def test_a_submitted_bid_cannot_be_edited_without_withdrawing(ready_bid, bid_writer):
    services.bid_submit(bid=ready_bid, actor=bid_writer)
    with pytest.raises(ValidationError, match="withdraw it first"):
        services.bid_answer_save(bid=ready_bid, question=ready_bid.tender.questions.first(),
                                 text="changed", actor=bid_writer)


def test_an_incident_extension_lets_bids_in_until_the_new_deadline(
        ready_bid, bid_writer, platform_admin, server_clock, mailoutbox):
    tender = ready_bid.tender
    old_deadline = tender.deadline
    server_clock.at(old_deadline - timedelta(minutes=30))
    change = services.tender_incident_record(
        tender=tender, new_deadline=old_deadline + timedelta(days=1), actor=platform_admin,
        reason="The portal was unavailable from 11:10 to 11:55.")
    assert change.kind == DeadlineChange.Kind.INCIDENT
    assert change.previous_deadline == old_deadline
    server_clock.at(old_deadline + timedelta(hours=1))  # after the old deadline, before the new
    receipt = services.bid_submit(bid=ready_bid, actor=bid_writer)
    assert receipt.received_at == old_deadline + timedelta(hours=1)


def test_the_postgres_clock_is_read_after_the_lock(published_tender):
    from django.db import connection, transaction

    with transaction.atomic():
        clock.lock_tender(published_tender.pk)
        first = clock.server_now()
        second = clock.server_now()
    assert first.tzinfo is not None
    if connection.vendor == "postgresql":
        assert second > first  # clock_timestamp(), not the frozen transaction start now()
