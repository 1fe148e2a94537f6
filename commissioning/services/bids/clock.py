"""The deadline, enforced on every request that changes a bid, by when the request arrived.

Nothing flips a tender's status at the deadline: a scheduled job can lag (Prozorro's robot
test let uploads through that way). Instead each service that changes a bid:

1. takes the tender's shared lock (``lock_tender``, see ``core.locks``): bidders of one tender
   run side by side, while a deadline extension, the opening or any status change takes the
   exclusive lock (``lock_tender_exclusive``) and so is either fully before or fully after each
   bid request;
2. reads the clock AFTER the lock is granted (``server_now``): on PostgreSQL
   ``clock_timestamp()``, the real time at that instant; elsewhere ``timezone.now()``. That is
   when the decision is recorded;
3. judges the request by when it reached the portal (``request.received_at``, stamped by
   ``core.request_time``; the trusted proxy's time where one is configured), never later than
   the recorded time: it is accepted only when that time is strictly before ``tender.deadline``.
   A request that arrived in time is not refused because it queued behind others. Called
   without a received time (tasks, the shell, tests) the recorded time is used.

A receipt carries both times. Tests replace ``server_now`` (and the request clock) to put a
request a microsecond either side of a deadline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from commissioning.models import Tender
from commissioning.sealing import KEY
from core.locks import lock_exclusive, lock_shared

LATE_SUBMISSION = "Bids received at or after the deadline cannot be accepted."


class DeadlinePassed(ValidationError):
    """A change refused because the server time is at or after the tender's deadline."""


def server_now() -> datetime.datetime:
    """The server's time at this instant (see the module docstring)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
    return timezone.now()


def lock_tender(tender_id: int) -> Tender:
    """The tender, re-read under its shared lock: for work on one bid (many at once)."""
    return lock_shared(Tender.objects.select_related("authority", KEY), tender_id)


def lock_tender_exclusive(tender_id: int) -> Tender:
    """The tender, re-read under its exclusive lock: no bid request runs until commit."""
    return lock_exclusive(Tender.objects.select_related("authority", KEY), tender_id)


@dataclass(frozen=True)
class Moment:
    """When a bid request reached the portal, and when its decision was recorded."""

    received: datetime.datetime
    recorded: datetime.datetime


def moment(received_at: datetime.datetime | None) -> Moment:
    """Read the clock (after the tender lock) and the time the request is judged by."""
    recorded = server_now()
    if received_at is None or received_at > recorded:
        return Moment(received=recorded, recorded=recorded)
    return Moment(received=received_at, recorded=recorded)


def format_deadline(moment: datetime.datetime) -> str:
    """'12:00 on 5 March 2027' in London time."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def deadline_passed(tender: Tender, consequence: str = LATE_SUBMISSION) -> DeadlinePassed:
    return DeadlinePassed(
        f"The deadline was {format_deadline(tender.deadline)}. {consequence}", code="deadline")


def is_open(tender: Tender, now: datetime.datetime) -> bool:
    return (tender.status == Tender.Status.PUBLISHED and tender.deadline is not None
            and now < tender.deadline)


def ensure_open(tender: Tender, now: datetime.datetime,
                consequence: str = LATE_SUBMISSION) -> None:
    """Raise unless the tender takes bids at ``now`` (strictly before its deadline)."""
    if tender.status != Tender.Status.PUBLISHED or tender.deadline is None:
        raise ValidationError("This tender is not open for bids.", code="not_open")
    if now >= tender.deadline:
        raise deadline_passed(tender, consequence)
