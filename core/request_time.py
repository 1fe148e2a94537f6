"""When a request reached the portal: ``request.received_at``, stamped first thing.

Deadlines are judged by this time, not by the moment a busy server got round to the request:
a bid that reached the portal before the deadline is not refused because it queued behind
others (see ``commissioning.services.bids.clock``).

By default the time is the moment the portal first saw the request: this middleware is the
first in ``MIDDLEWARE``. Behind a reverse proxy, the proxy saw it earlier, before any queue in
front of the application servers. Where the operator names the proxy's header in
``REQUEST_START_HEADER`` (environment ``PORTAL_REQUEST_START_HEADER``, for example
``X-Request-Start`` set by nginx with ``proxy_set_header X-Request-Start "t=${msec}";``), its
time is used instead. The proxy must set or overwrite the header on every request, so a client
cannot send its own; even so the header is only believed within bounds:

- never later than the moment the portal saw the request (a proxy clock running ahead);
- never earlier than ``REQUEST_START_MAX_AGE`` seconds before it (default 60): no request
  waits that long between the proxy and the portal, so an older claim is clamped to that bound.

With no header configured, any ``X-Request-Start`` a client sends is ignored. The header value
is ``t=<epoch>`` or ``<epoch>`` in seconds (with a fraction), milliseconds or microseconds, as
nginx, HAProxy and Heroku's router write it. Servers' clocks must be synchronised (NTP), as
they must be for any deadline.
"""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.utils import timezone

_MILLIS_FROM = 10**11  # an epoch above this is in milliseconds (year 5138 in seconds)
_MICROS_FROM = 10**14


def portal_now() -> datetime.datetime:
    """The portal's clock (tests replace it to stamp a request at a chosen moment)."""
    return timezone.now()


def parse_request_start(value: str) -> datetime.datetime | None:
    """The moment in a request-start header, or None when it is not one."""
    text = value.strip()
    if text.startswith("t="):
        text = text[2:]
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    if number >= _MICROS_FROM:
        number /= 1_000_000
    elif number >= _MILLIS_FROM:
        number /= 1_000
    try:
        return datetime.datetime.fromtimestamp(number, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def received_at(meta: dict, seen: datetime.datetime) -> datetime.datetime:
    """When the request reached the portal: the trusted header's time (bounded) or ``seen``."""
    header = getattr(settings, "REQUEST_START_HEADER", None)
    if not header:
        return seen
    stamped = parse_request_start(str(meta.get(_meta_key(header), "")))
    if stamped is None:
        return seen
    earliest = seen - datetime.timedelta(seconds=settings.REQUEST_START_MAX_AGE)
    return min(max(stamped, earliest), seen)


class RequestReceivedMiddleware:
    """Stamp ``request.received_at`` (first in ``MIDDLEWARE``, so nothing runs before it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.received_at = received_at(request.META, portal_now())
        return self.get_response(request)
