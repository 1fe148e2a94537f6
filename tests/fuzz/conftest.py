"""The demo data, loaded once for the fuzz tests, and the people who use it.

The demo is loaded inside a transaction that is rolled back when the module ends, so no other
test sees it; each request then runs in a savepoint of its own (see harness.py).
"""

from __future__ import annotations

import logging
import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from tests import summary
from tests.fuzz.atlas import walk
from tests.fuzz.harness import Harness
from tests.fuzz.portal import url_patterns

QUIET_LOGGERS = ("django.request", "django.security")
SECTION = "no server errors, whatever is sent"


def report(name: str, lines: list[str]) -> None:
    for line in lines:
        summary.add(SECTION, f"{name}: {line}")


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker):
    # Refused requests are expected by the thousand; failures are collected, not logged.
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            started = time.monotonic()
            call_command("seed_demo", stdout=StringIO())
            seeded = time.monotonic()
            harness = Harness()
            users = get_user_model().objects.filter(is_active=True).order_by("email")
            actors = [harness.actor(None)] + [harness.actor(user) for user in users]
            patterns = url_patterns()
            signed_in = time.monotonic()
            atlas = walk(harness, actors, patterns)
            report("walk", [
                f"demo loaded in {seeded - started:.0f} s, people signed in and their "
                f"counterparties' rows digested in {signed_in - seeded:.0f} s, links walked in "
                f"{time.monotonic() - signed_in:.0f} s; pages per person: " +
                ", ".join(f"{label} {count}" for label, count in atlas.pages.items()),
                f"{len(patterns)} URL patterns, {len(actors)} people (anonymous included), "
                f"{sum(atlas.pages.values())} pages walked, {len(atlas.forms)} forms found "
                f"({len({(f.action.split('?')[0], f.signature) for _, f in atlas.forms})} "
                f"distinct), {len(harness.failures)} failures while walking"])
            yield harness, actors, atlas
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            for name in QUIET_LOGGERS:
                logging.getLogger(name).setLevel(logging.NOTSET)
