"""Deadline reminders: suppliers with a draft bid are told 24 hours and 1 hour before.

A beat task calls ``bid_deadline_reminders_send`` every few minutes. Each reminder is recorded
(``BidDeadlineReminder``, unique per bid, kind and deadline) in the same transaction as its
notification, whose email goes through the outbox after commit: running the task twice, or two
workers at once, sends each reminder once. A deadline extension earns fresh reminders.

Only the reminder that is due is sent: a bid started 30 minutes before the deadline gets the
1-hour reminder, not both.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from commissioning.models import Bid, BidDeadlineReminder, Tender
from commissioning.selectors.tenders import supplier_recipients
from commissioning.services.bids.clock import server_now
from core.audit import audit_record
from core.notifications import notify
from core.templatetags.govuk import govuk_date

Kind = BidDeadlineReminder.Kind
# kind -> (the reminder is due when the time left is at most this, and more than the next one)
WINDOWS: dict[str, tuple[datetime.timedelta, datetime.timedelta]] = {
    Kind.DAY: (datetime.timedelta(hours=24), datetime.timedelta(hours=1)),
    Kind.HOUR: (datetime.timedelta(hours=1), datetime.timedelta(0)),
}


def due_reminders(*, now: datetime.datetime, kind: str):
    """Draft bids on open tenders whose deadline falls in `kind`'s window, not yet reminded."""
    widest, narrowest = WINDOWS[kind]
    already = BidDeadlineReminder.objects.filter(bid=OuterRef("pk"), kind=kind,
                                                 deadline=OuterRef("tender__deadline"))
    return (Bid.objects.filter(status=Bid.Status.DRAFT, tender__status=Tender.Status.PUBLISHED,
                               tender__deadline__gt=now + narrowest,
                               tender__deadline__lte=now + widest)
            .exclude(Exists(already))
            .select_related("tender", "organisation").order_by("tender__deadline", "pk"))


def bid_deadline_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send every reminder that is due now; return how many bids were reminded."""
    now = now or server_now()
    sent = 0
    for kind in (Kind.HOUR, Kind.DAY):
        for bid in due_reminders(now=now, kind=kind):
            sent += _remind(bid=bid, kind=kind, now=now)
    return sent


def _remind(*, bid: Bid, kind: str, now: datetime.datetime) -> int:
    try:
        with transaction.atomic():
            reminder = BidDeadlineReminder.objects.create(
                bid=bid, kind=kind, deadline=bid.tender.deadline, sent_at=now)
            people = list(supplier_recipients(organisation_ids=[bid.organisation_id]))
            notify(recipients=people, subject=_subject(bid, kind), body=_body(bid, kind),
                   url=reverse("commissioning:bid_detail", args=[bid.pk]))
            reminder.recipients = len(people)
            reminder.save(update_fields=["recipients"])
            audit_record(actor=None, action="bid.deadline_reminder_sent", obj=bid,
                         organisation_id=bid.organisation_id,
                         summary=f"Reminded {bid.organisation.name}: {reminder.get_kind_display()}",
                         changes={"kind": kind, "deadline": bid.tender.deadline,
                                  "recipients": len(people)})
    except IntegrityError:  # another worker sent it first
        return 0
    return 1


def _left(kind: str) -> str:
    return "24 hours" if kind == Kind.DAY else "1 hour"


def _subject(bid: Bid, kind: str) -> str:
    return f"{_left(kind)} left: your bid for {bid.tender.title} is not submitted"


def _body(bid: Bid, kind: str) -> str:
    deadline = govuk_date(bid.tender.deadline, with_time=True)
    return (f"Your organisation's bid for {bid.tender.title} ({bid.tender.reference}) is still "
            f"a draft. The deadline is {deadline} (UK time), less than {_left(kind)} from now. "
            "Bids received at or after the deadline cannot be accepted, so check and submit "
            "your bid before then. The portal's clock decides: the bid page shows the server "
            "time.")
