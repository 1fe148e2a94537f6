"""The deadline countdown on the bid page: time left by the server's clock, and lateness.

Rendered by the server (it is right without JavaScript: the server time is shown beside it),
and refreshed by htmx polling the bid page for its ``countdown`` fragment (ADR 0010, 0020).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from commissioning.models import Bid, Tender
from core.templatetags.govuk import govuk_date

CLOSING_SOON = datetime.timedelta(hours=1)
# How often the page asks for a fresh countdown: more often near the deadline.
POLL_SECONDS, POLL_SECONDS_CLOSING = 60, 15


def _plural(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"


def server_time_text(now: datetime.datetime) -> str:
    """The server's time to the second, in London: ``1 December 2026 at 11:42:07pm``."""
    local = timezone.localtime(now)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{govuk_date(local)} at {hour}:{local.minute:02d}:{local.second:02d}{suffix}"


def time_left_text(left: datetime.timedelta) -> str:
    """Time left in words: days and hours, hours and minutes, or minutes and seconds."""
    seconds = max(int(left.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{_plural(days, 'day')} {_plural(hours, 'hour')}"
    if hours:
        return f"{_plural(hours, 'hour')} {_plural(minutes, 'minute')}"
    if minutes >= 10:
        return _plural(minutes, "minute")
    return f"{_plural(minutes, 'minute')} {_plural(seconds, 'second')}"


@dataclass(frozen=True)
class Countdown:
    state: str  # "open", "closing" (under an hour), "late", "closed", "submitted_closed"
    deadline_text: str
    server_time_text: str
    left_text: str
    poll_seconds: int | None  # None: nothing left to count

    @property
    def is_late(self) -> bool:
        return self.state == "late"


def countdown_for(*, bid: Bid, now: datetime.datetime) -> Countdown:
    """The countdown for `bid` at the server time `now`."""
    tender = bid.tender
    deadline_text = govuk_date(tender.deadline, with_time=True) if tender.deadline else "Not set"
    server = server_time_text(now)
    if tender.deadline is None:
        return Countdown("open", deadline_text, server, "", None)
    left = tender.deadline - now
    if left > datetime.timedelta(0) and tender.status == Tender.Status.PUBLISHED:
        closing = left <= CLOSING_SOON
        return Countdown("closing" if closing else "open", deadline_text, server,
                         time_left_text(left), POLL_SECONDS_CLOSING if closing else POLL_SECONDS)
    if bid.status == Bid.Status.SUBMITTED:
        return Countdown("submitted_closed", deadline_text, server, "", None)
    if tender.status in (Tender.Status.PUBLISHED, Tender.Status.OPENED):
        return Countdown("late", deadline_text, server, "", None)
    return Countdown("closed", deadline_text, server, "", None)
