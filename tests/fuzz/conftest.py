"""The demo data, loaded for the fuzz tests, and the people who use it.

The demo people are split into groups (`GROUPS`); each group is a test class, so that
pytest-xdist (`--dist loadscope`) runs the groups side by side, each worker with its own copy
of the demo. The demo is loaded inside a transaction that is rolled back when the class ends,
so no other test sees it; each request then runs in a savepoint of its own (see harness.py).
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


GROUPS = 2  # groups of demo people, each walked and attacked on a worker of its own


def group_label(group: int) -> str:
    return f"people group {group + 1} of {GROUPS}"


@pytest.fixture(scope="class")
def portal(request, django_db_setup, django_db_blocker):
    """(harness, actors, atlas) for the class's group of demo people (`GROUP`, from 0)."""
    group = request.cls.GROUP
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
            users = [None, *get_user_model().objects.filter(is_active=True).order_by("email")]
            # Every GROUPS-th person from the group's own place: each group mixes the roles.
            actors = [harness.actor(user) for user in users[group::GROUPS]]
            patterns = url_patterns()
            signed_in = time.monotonic()
            atlas = walk(harness, actors, patterns)
            report(f"walk ({group_label(group)})", [
                f"demo loaded in {seeded - started:.0f} s, people signed in and their "
                f"counterparties' rows digested in {signed_in - seeded:.0f} s, links walked in "
                f"{time.monotonic() - signed_in:.0f} s; pages per person: " +
                ", ".join(f"{label} {count}" for label, count in atlas.pages.items()),
                f"{len(patterns)} URL patterns, {len(actors)} of {len(users)} people "
                "(anonymous included), "
                f"{sum(atlas.pages.values())} pages walked, {len(atlas.forms)} forms found "
                f"({len({(f.action.split('?')[0], f.signature) for _, f in atlas.forms})} "
                f"distinct), {len(harness.failures)} failures while walking"])
            yield harness, actors, atlas
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            for name in QUIET_LOGGERS:
                logging.getLogger(name).setLevel(logging.NOTSET)
