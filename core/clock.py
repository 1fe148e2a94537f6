"""The server's clock at the instant of a request, for deadlines enforced per request.

On PostgreSQL ``clock_timestamp()`` is the real time when it is read (``now()`` would be the
start of the transaction, possibly before a long wait for a lock); elsewhere Django's
``timezone.now()``. Services lock the row that carries the deadline first, then read this.
Tests replace it to put a request a microsecond either side of a deadline.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone


def server_now() -> datetime.datetime:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
    return timezone.now()


def format_deadline(moment: datetime.datetime) -> str:
    """'12:00 on 5 March 2027' in London time."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"
