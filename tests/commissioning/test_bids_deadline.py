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


# -- judged by when the request reached the portal ---------------------------------------------


def test_a_submission_that_arrived_in_time_is_accepted_though_recorded_after_the_deadline(
        ready_bid, bid_writer, server_clock):
    deadline = ready_bid.tender.deadline
    server_clock.at(deadline + timedelta(seconds=4))  # it queued for 4 s behind other bidders
    receipt = services.bid_submit(bid=ready_bid, actor=bid_writer,
                                  received_at=deadline - MICROSECOND)
    assert receipt.received_at == deadline - MICROSECOND
    assert receipt.recorded_at == deadline + timedelta(seconds=4)
    assert Bid.objects.get(pk=ready_bid.pk).submitted_at == deadline - MICROSECOND


def test_a_received_time_after_the_recorded_time_is_the_recorded_time(ready_bid, bid_writer,
                                                                      server_clock):
    deadline = ready_bid.tender.deadline
    server_clock.at(deadline - timedelta(minutes=1))
    receipt = services.bid_submit(bid=ready_bid, actor=bid_writer, received_at=deadline)
    assert receipt.received_at == receipt.recorded_at == deadline - timedelta(minutes=1)


def test_uploads_are_judged_by_arrival_too(ready_bid, bid_writer, server_clock):
    deadline = ready_bid.tender.deadline
    slot = ready_bid.tender.document_slots.first()
    server_clock.at(deadline + timedelta(seconds=2))
    services.bid_file_add(bid=ready_bid, slot=slot, actor=bid_writer, uploaded_file=pdf_upload(),
                          received_at=deadline - timedelta(seconds=1))
    with pytest.raises(clock.DeadlinePassed):
        services.bid_file_add(bid=ready_bid, slot=slot, actor=bid_writer,
                              uploaded_file=pdf_upload(), received_at=deadline)


def _post_submit(client, bid, **headers):
    from django.urls import reverse

    return client.post(reverse("commissioning:bid_submit", args=[bid.pk]),
                       {"accurate": "on", "no_collusion": "on"}, headers=headers)


def _request_start(moment) -> str:
    return f"t={int(moment.timestamp() * 1_000_000)}"


def test_the_trusted_proxy_time_decides_and_is_on_the_receipt(client, ready_bid, bid_writer,
                                                              settings, monkeypatch):
    from core import request_time

    settings.REQUEST_START_HEADER = "X-Request-Start"
    deadline = ready_bid.tender.deadline
    seen = deadline + timedelta(seconds=2)  # the proxy queued it; the portal saw it late
    monkeypatch.setattr(request_time, "portal_now", lambda: seen)
    monkeypatch.setattr(clock, "server_now", lambda: seen + timedelta(milliseconds=30))
    client.force_login(bid_writer)
    proxy_saw = deadline - timedelta(milliseconds=400)
    response = _post_submit(client, ready_bid, x_request_start=_request_start(proxy_saw))
    receipt = BidReceipt.objects.get(bid=ready_bid)
    assert receipt.received_at == proxy_saw
    assert receipt.recorded_at == seen + timedelta(milliseconds=30)
    page = client.get(response.url).content.decode()
    assert proxy_saw.strftime("%Y-%m-%d %H:%M:%S.%f") in page
    assert receipt.recorded_at.strftime("%Y-%m-%d %H:%M:%S.%f") in page
    from commissioning import receipts

    text = receipts.receipt_text(receipt)
    assert "Recorded (UTC): " + receipt.recorded_at.strftime("%Y-%m-%d %H:%M:%S.%f") in text


def test_a_client_sending_the_header_itself_is_ignored_when_no_proxy_is_configured(
        client, ready_bid, bid_writer, settings, monkeypatch):
    from core import request_time

    settings.REQUEST_START_HEADER = None
    deadline = ready_bid.tender.deadline
    monkeypatch.setattr(request_time, "portal_now", lambda: deadline + timedelta(seconds=2))
    monkeypatch.setattr(clock, "server_now", lambda: deadline + timedelta(seconds=2))
    client.force_login(bid_writer)
    page = _post_submit(client, ready_bid, x_request_start=_request_start(
        deadline - timedelta(minutes=5))).content.decode()
    assert "Bids received at or after the deadline cannot be accepted." in page
    assert not BidReceipt.objects.exists()


def test_a_claim_earlier_than_the_proxy_could_have_seen_it_does_not_beat_the_deadline(
        client, ready_bid, bid_writer, settings, monkeypatch):
    from core import request_time

    settings.REQUEST_START_HEADER = "X-Request-Start"
    settings.REQUEST_START_MAX_AGE = 60
    deadline = ready_bid.tender.deadline
    seen = deadline + timedelta(seconds=90)
    monkeypatch.setattr(request_time, "portal_now", lambda: seen)
    monkeypatch.setattr(clock, "server_now", lambda: seen)
    client.force_login(bid_writer)
    page = _post_submit(client, ready_bid, x_request_start=_request_start(
        deadline - timedelta(hours=1))).content.decode()
    assert "Bids received at or after the deadline cannot be accepted." in page


# -- bids run side by side; extensions and the opening exclude them ----------------------------


WAIT, BLOCKED = 10.0, 0.5


class TenderHolder:
    """Another request in flight on the tender: holds its lock until released."""

    def __init__(self, tender_id: int, *, exclusive: bool = False, then=None):
        import threading

        self.tender_id, self.exclusive, self.then = tender_id, exclusive, then
        self.holding, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.holding.wait(WAIT)

    def _run(self) -> None:
        from django.db import connections, transaction

        take = clock.lock_tender_exclusive if self.exclusive else clock.lock_tender
        try:
            with transaction.atomic():
                take(self.tender_id)
                if self.then:
                    self.then()
                self.holding.set()
                self.release.wait(WAIT)
        finally:
            connections.close_all()

    def finish(self) -> None:
        self.release.set()
        self.thread.join(WAIT)


def in_thread(work):
    """Run ``work`` in its own thread and database connection; .done is set when it returns."""
    import threading

    from django.db import connections

    done, outcome = threading.Event(), {}

    def run():
        try:
            outcome["value"] = work()
        except Exception as error:  # noqa: BLE001 - handed to the test
            outcome["error"] = error
        finally:
            connections.close_all()
            done.set()

    threading.Thread(target=run, daemon=True).start()
    return done, outcome


@pytest.fixture
def on_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: nothing runs side by side")


@pytest.mark.django_db(transaction=True)
def test_two_bidders_submit_to_one_tender_side_by_side(on_postgres, ready_bid, bid_writer):
    other = TenderHolder(ready_bid.tender_id)  # another bidder's submission, still in flight
    try:
        done, outcome = in_thread(lambda: services.bid_submit(bid=ready_bid, actor=bid_writer))
        assert done.wait(WAIT), "the submission queued behind another bidder's"
        assert "error" not in outcome
        assert BidReceipt.objects.filter(bid=ready_bid).count() == 1
    finally:
        other.finish()


@pytest.mark.django_db(transaction=True)
def test_an_extension_waits_for_the_submissions_in_flight(on_postgres, ready_bid, platform_admin):
    tender = ready_bid.tender
    submission = TenderHolder(tender.pk)
    done, outcome = in_thread(lambda: services.tender_incident_record(
        tender=tender, new_deadline=tender.deadline + timedelta(days=1), actor=platform_admin,
        reason="The portal was unavailable from 11:10 to 11:55."))
    assert not done.wait(BLOCKED)
    submission.finish()
    assert done.wait(WAIT) and "error" not in outcome


@pytest.mark.django_db(transaction=True)
def test_a_submission_waits_for_an_extension_in_flight_and_meets_the_new_deadline(
        on_postgres, ready_bid, bid_writer, server_clock):
    from commissioning.models import Tender

    tender = ready_bid.tender
    new_deadline = tender.deadline + timedelta(days=1)
    server_clock.at(tender.deadline + timedelta(minutes=1))  # late for the old deadline only
    extension = TenderHolder(tender.pk, exclusive=True, then=lambda: Tender.objects.filter(
        pk=tender.pk).update(deadline=new_deadline))
    done, outcome = in_thread(lambda: services.bid_submit(bid=ready_bid, actor=bid_writer))
    assert not done.wait(BLOCKED), "the submission read the deadline the extension was changing"
    extension.finish()
    assert done.wait(WAIT)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["value"].received_at == tender.deadline + timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_the_opening_waits_for_the_submissions_in_flight(on_postgres, ready_bid, commissioner):
    from django.utils import timezone

    from commissioning.models import Opening, Tender
    from commissioning.services.opening import opening_request

    tender = ready_bid.tender
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    tender.refresh_from_db()
    in_flight = TenderHolder(tender.pk)  # arrived before the deadline, still being decided
    done, outcome = in_thread(lambda: opening_request(tender=tender, actor=commissioner))
    assert not done.wait(BLOCKED)
    assert not Opening.objects.exists()
    in_flight.finish()
    assert done.wait(WAIT) and "error" not in outcome, outcome.get("error")
    assert Opening.objects.filter(tender=tender).exists()


def test_declarations_sent_with_a_submission_are_audited_with_it_or_with_the_refusal(
        published_tender, provider, bid_writer, server_clock):
    from core.models import AuditEntry

    bid = fill_bid(services.bid_start(tender=published_tender, organisation=provider,
                                      actor=bid_writer), bid_writer)
    deadline = bid.tender.deadline
    server_clock.at(deadline)
    with pytest.raises(clock.DeadlinePassed):
        services.bid_submit(bid=bid, actor=bid_writer,
                            declarations={"accurate": True, "no_collusion": False})
    refused = AuditEntry.objects.filter(object_id=str(bid.pk)).latest("sequence")
    assert refused.action == "bid.declarations_saved"
    assert _sealed_detail(refused, bid.tender)["changes"] == {"after_deadline": True}
    server_clock.at(deadline - MICROSECOND)
    services.bid_submit(bid=bid, actor=bid_writer,
                        declarations={"accurate": True, "no_collusion": True})
    entries = list(AuditEntry.objects.filter(sequence__gt=refused.sequence))
    assert [entry.action for entry in entries] == ["bid.submitted"]
    assert _sealed_detail(entries[0], bid.tender)["changes"]["declarations_saved"] is True
    assert unseal(tender=bid.tender, blob=Bid.objects.get(pk=bid.pk).sealed_content)[
        "declarations"] == {"accurate": True, "no_collusion": True}


def _sealed_detail(entry, tender) -> dict:
    """An entry sealed before the opening, read with the tender's key (as the opening will)."""
    import base64
    import json

    from commissioning.sealing import unsealer

    assert set(entry.changes) == {"sealed", "under"}
    return json.loads(unsealer(tender)(base64.b64decode(entry.changes["sealed"])))
