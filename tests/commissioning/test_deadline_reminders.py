"""Deadline reminders to suppliers with a draft bid, the countdown and the late state."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Bid, BidDeadlineReminder, Tender
from commissioning.presenters.countdown import countdown_for, server_time_text, time_left_text
from commissioning.services.bids import reminders
from config.celery import app as celery_app
from core.models import Notification
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(hours=24)
TICK = datetime.timedelta(microseconds=1)


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def _bid_due_in(left: datetime.timedelta, now, provider, bid_writer, **bid_fields) -> Bid:
    tender = cf.TenderFactory(deadline=now + left, questions_deadline=now)
    return cf.BidFactory(tender=tender, organisation=provider, created_by=bid_writer,
                         **bid_fields)


def _sent(bid: Bid) -> list[str]:
    return sorted(bid.deadline_reminders.values_list("kind", flat=True))


@pytest.mark.parametrize(("left", "expected"), [
    (DAY + TICK, []),            # more than 24 hours: nothing yet
    (DAY, ["24h"]),              # exactly 24 hours
    (HOUR + TICK, ["24h"]),      # just over an hour: still the 24-hour reminder
    (HOUR, ["1h"]),              # exactly an hour: only the 1-hour reminder, not both
    (TICK, ["1h"]),
    (datetime.timedelta(0), []),  # at the deadline it is too late to remind
])
def test_the_reminder_due_is_the_one_sent(left, expected, now, provider, bid_writer):
    bid = _bid_due_in(left, now, provider, bid_writer)
    reminders.bid_deadline_reminders_send(now=now)
    assert _sent(bid) == expected


def test_each_reminder_is_sent_once_to_each_person_of_the_supplier(
        now, provider, bid_writer, provider_admin, django_capture_on_commit_callbacks):
    bid = _bid_due_in(HOUR * 5, now, provider, bid_writer)
    with django_capture_on_commit_callbacks(execute=False):
        assert reminders.bid_deadline_reminders_send(now=now) == 1
        assert reminders.bid_deadline_reminders_send(now=now) == 0
        assert reminders.bid_deadline_reminders_send(now=now + HOUR) == 0
    notes = Notification.objects.filter(subject__startswith="24 hours left")
    assert sorted(n.recipient_id for n in notes) == sorted([bid_writer.pk, provider_admin.pk])
    assert "still a draft" in notes[0].body
    assert reverse("commissioning:bid_detail", args=[bid.pk]) in notes[0].url
    later = now + HOUR * 4 + datetime.timedelta(minutes=30)
    assert reminders.bid_deadline_reminders_send(now=later) == 1  # the 1-hour one, once
    assert reminders.bid_deadline_reminders_send(now=later) == 0
    assert _sent(bid) == ["1h", "24h"]


def test_the_emails_go_through_the_outbox_after_commit(now, provider, bid_writer,
                                                       django_capture_on_commit_callbacks):
    _bid_due_in(HOUR / 2, now, provider, bid_writer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders.bid_deadline_reminders_send(now=now)
    assert callbacks, "the email is enqueued to run after the transaction commits"


def test_other_people_and_other_suppliers_hear_nothing(now, provider, bid_writer):
    outsider = factories.member(factories.OrganisationFactory(), Role.PROVIDER_ADMIN)
    _bid_due_in(HOUR / 2, now, provider, bid_writer)
    reminders.bid_deadline_reminders_send(now=now)
    assert not Notification.objects.filter(recipient=outsider).exists()


@pytest.mark.parametrize("status", [Bid.Status.SUBMITTED, Bid.Status.WITHDRAWN])
def test_only_draft_bids_are_reminded(status, now, provider, bid_writer):
    bid = _bid_due_in(HOUR / 2, now, provider, bid_writer, status=status)
    reminders.bid_deadline_reminders_send(now=now)
    assert _sent(bid) == []


def test_no_reminder_for_a_tender_no_longer_open(now, provider, bid_writer):
    bid = _bid_due_in(HOUR / 2, now, provider, bid_writer)
    Tender.objects.filter(pk=bid.tender_id).update(status=Tender.Status.CANCELLED)
    reminders.bid_deadline_reminders_send(now=now)
    assert _sent(bid) == []


def test_an_extended_deadline_earns_fresh_reminders(now, provider, bid_writer):
    bid = _bid_due_in(HOUR / 2, now, provider, bid_writer)
    reminders.bid_deadline_reminders_send(now=now)
    Tender.objects.filter(pk=bid.tender_id).update(deadline=now + HOUR / 3)
    reminders.bid_deadline_reminders_send(now=now)
    assert BidDeadlineReminder.objects.filter(bid=bid, kind="1h").count() == 2


def test_a_beat_entry_runs_the_reminders_every_five_minutes():
    entry = celery_app.conf.beat_schedule["commissioning-send-deadline-reminders"]
    assert entry["task"] == "commissioning.send_deadline_reminders"
    assert entry["options"]["expires"] < 5 * 60
    from commissioning.tasks import send_deadline_reminders

    assert send_deadline_reminders.name == entry["task"]  # found by autodiscovery


# -- countdown and the late state -------------------------------------------------------------


@pytest.mark.parametrize(("left", "text"), [
    (datetime.timedelta(days=2, hours=3, minutes=5), "2 days 3 hours"),
    (datetime.timedelta(hours=1, minutes=1), "1 hour 1 minute"),
    (datetime.timedelta(minutes=25, seconds=9), "25 minutes"),
    (datetime.timedelta(minutes=4, seconds=9), "4 minutes 9 seconds"),
    (datetime.timedelta(seconds=-3), "0 minutes 0 seconds"),
])
def test_time_left_reads_as_words(left, text):
    assert time_left_text(left) == text


def test_server_time_is_shown_to_the_second_in_london():
    moment = datetime.datetime(2026, 7, 1, 13, 5, 9, tzinfo=datetime.UTC)  # BST: 2:05:09pm
    assert server_time_text(moment) == "1 July 2026 at 2:05:09pm"


def test_countdown_states(now, provider, bid_writer):
    bid = _bid_due_in(HOUR * 3, now, provider, bid_writer)
    assert countdown_for(bid=bid, now=now).state == "open"
    assert countdown_for(bid=bid, now=now + HOUR * 2).state == "closing"
    late = countdown_for(bid=bid, now=now + HOUR * 3)  # at the deadline: late
    assert late.is_late and late.poll_seconds is None
    bid.status = Bid.Status.SUBMITTED
    assert countdown_for(bid=bid, now=now + HOUR * 3).state == "submitted_closed"


def test_the_bid_page_shows_the_countdown_and_server_time_without_javascript(
        client, now, provider, bid_writer):
    bid = _bid_due_in(HOUR * 30, now, provider, bid_writer)
    client.force_login(bid_writer)
    html = client.get(reverse("commissioning:bid_detail", args=[bid.pk])).content.decode()
    assert 'id="bid-countdown"' in html and 'data-state="open"' in html
    assert "Time left: <strong>1 day 5 hours</strong>" in html  # 29h59m59s by the server
    assert "Server time when this was shown" in html
    assert 'hx-trigger="every 60s"' in html


def test_htmx_gets_only_the_countdown(client, now, provider, bid_writer):
    bid = _bid_due_in(HOUR / 2, now, provider, bid_writer)
    client.force_login(bid_writer)
    response = client.get(reverse("commissioning:bid_detail", args=[bid.pk]),
                          HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.strip().startswith('<div id="bid-countdown"')
    assert "Prepare your bid" not in html
    assert 'data-state="closing"' in html and 'hx-trigger="every 15s"' in html
    assert "HX-Request" in response["Vary"]


def test_a_draft_past_the_deadline_is_clearly_late(client, now, provider, bid_writer):
    bid = _bid_due_in(-HOUR, now, provider, bid_writer)
    client.force_login(bid_writer)
    html = client.get(reverse("commissioning:bid_detail", args=[bid.pk])).content.decode()
    assert "This bid is late" in html and 'data-state="late"' in html
    assert "can no longer be submitted" in html
    assert "hx-trigger" not in html  # nothing left to count down


def test_the_countdown_fragment_is_private_to_the_bids_parties(client, now, provider,
                                                               bid_writer):
    bid = _bid_due_in(HOUR, now, provider, bid_writer)
    outsider = factories.member(factories.OrganisationFactory(), Role.PROVIDER_ADMIN)
    client.force_login(outsider)
    response = client.get(reverse("commissioning:bid_detail", args=[bid.pk]),
                          HTTP_HX_REQUEST="true")
    assert response.status_code == 404


def test_the_countdown_poll_is_cheaper_than_the_page(client, now, provider, bid_writer,
                                                     django_assert_max_num_queries):
    # Every bidder's page polls it every 15 to 60 seconds: it must not rebuild the whole page.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bid = _bid_due_in(HOUR / 2, now, provider, bid_writer)
    client.force_login(bid_writer)
    address = reverse("commissioning:bid_detail", args=[bid.pk])
    with CaptureQueriesContext(connection) as page:
        client.get(address)
    with CaptureQueriesContext(connection) as poll:
        client.get(address, HTTP_HX_REQUEST="true")
    assert len(poll) < len(page)
    with django_assert_max_num_queries(12):
        client.get(address, HTTP_HX_REQUEST="true")


def test_reminding_many_bids_costs_a_few_queries_each(now, bid_writer, provider,
                                                      django_assert_max_num_queries):
    for _ in range(5):
        _bid_due_in(HOUR / 2, now, provider, bid_writer)
    with django_assert_max_num_queries(5 * 12 + 4):
        assert reminders.bid_deadline_reminders_send(now=now) == 5
