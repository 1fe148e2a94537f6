"""The deadline, enforced by the server clock on every request that changes a bid.

Nothing flips a tender's status at the deadline: a scheduled job can lag (Prozorro's robot
test let uploads through that way). Instead each service that changes a bid:

1. locks the tender row (``SELECT ... FOR UPDATE``), so a concurrent deadline extension or
   opening is either fully before or fully after this request;
2. reads the clock AFTER the lock is granted: on PostgreSQL ``clock_timestamp()``, the real
   time at that instant (``now()`` would be the start of the transaction, possibly before a
   long wait for the lock); elsewhere ``django.utils.timezone.now()``;
3. accepts the change only when that time is strictly before ``tender.deadline``.

A receipt carries that same instant, so the time on the receipt is the time the decision was
made. Tests replace ``server_now`` to put the request a microsecond either side of a deadline.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from commissioning.models import Tender

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
    """The tender, re-read and locked for the rest of the transaction."""
    return (Tender.objects.select_for_update(of=("self",)).select_related("authority")
            .get(pk=tender_id))


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
