"""Shared and exclusive object locks: many shared holders at once, an exclusive one alone, and
a waiting exclusive request is not starved by shared requests that come after it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from core.locks import advisory_key, lock_exclusive, lock_shared
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10.0  # seconds for what must happen
BLOCKED = 0.5  # seconds in which what must not happen does not


@pytest.fixture
def row():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: nothing runs side by side")
    return OutboxMessage.objects.create(task_name="core.example")


class Holder(threading.Thread):
    """Takes a lock in its own transaction, says so, and keeps it until released."""

    def __init__(self, row, *, exclusive: bool):
        super().__init__(daemon=True)
        self.row, self.exclusive = row, exclusive
        self.holding, self.release = threading.Event(), threading.Event()

    def run(self) -> None:
        take = lock_exclusive if self.exclusive else lock_shared
        try:
            with transaction.atomic():
                take(OutboxMessage.objects.all(), self.row.pk)
                self.holding.set()
                self.release.wait(WAIT)
        finally:
            connections.close_all()

    def finish(self) -> None:
        self.release.set()
        self.join(WAIT)


def test_shared_holders_run_side_by_side(row):
    first, second = Holder(row, exclusive=False), Holder(row, exclusive=False)
    first.start()
    assert first.holding.wait(WAIT)
    second.start()
    try:
        assert second.holding.wait(WAIT), "a second shared holder waited for the first"
    finally:
        first.finish()
        second.finish()


def test_an_exclusive_lock_waits_for_every_shared_holder_then_keeps_them_out(row):
    shared = Holder(row, exclusive=False)
    shared.start()
    assert shared.holding.wait(WAIT)
    exclusive = Holder(row, exclusive=True)
    exclusive.start()
    assert not exclusive.holding.wait(BLOCKED)
    shared.finish()
    assert exclusive.holding.wait(WAIT)
    later = Holder(row, exclusive=False)
    later.start()
    assert not later.holding.wait(BLOCKED)
    exclusive.finish()
    assert later.holding.wait(WAIT)
    later.finish()


def test_a_waiting_exclusive_request_goes_before_shared_requests_made_after_it(row):
    first = Holder(row, exclusive=False)
    first.start()
    assert first.holding.wait(WAIT)
    exclusive = Holder(row, exclusive=True)
    exclusive.start()
    assert not exclusive.holding.wait(BLOCKED)  # queued behind the first shared holder
    latecomer = Holder(row, exclusive=False)
    latecomer.start()
    # A plain FOR SHARE would join the first holder here and starve the exclusive request.
    assert not latecomer.holding.wait(BLOCKED)
    first.finish()
    assert exclusive.holding.wait(WAIT)
    assert not latecomer.holding.is_set()
    exclusive.finish()
    assert latecomer.holding.wait(WAIT)
    latecomer.finish()


def test_code_that_only_updates_the_row_still_waits_for_shared_holders(row):
    shared = Holder(row, exclusive=False)
    shared.start()
    assert shared.holding.wait(WAIT)
    updated = threading.Event()

    def plain_update():
        try:
            OutboxMessage.objects.filter(pk=row.pk).update(attempts=7)
            updated.set()
        finally:
            connections.close_all()

    updater = threading.Thread(target=plain_update, daemon=True)
    updater.start()
    assert not updated.wait(BLOCKED)
    shared.finish()
    assert updated.wait(WAIT)
    updater.join(WAIT)


def test_the_lock_returns_the_row_as_last_committed(row):
    OutboxMessage.objects.filter(pk=row.pk).update(attempts=3)
    with transaction.atomic():
        assert lock_shared(OutboxMessage.objects.all(), row.pk).attempts == 3
    with transaction.atomic():
        assert lock_exclusive(OutboxMessage.objects.all(), row.pk).attempts == 3


def test_locks_need_a_transaction(row):
    with pytest.raises(transaction.TransactionManagementError):
        lock_shared(OutboxMessage.objects.all(), row.pk)


def test_keys_fit_postgres_int4_and_differ_by_model_and_row():
    from commissioning.models import Tender

    keys = {advisory_key(OutboxMessage, 1), advisory_key(OutboxMessage, 2),
            advisory_key(Tender, 1), advisory_key(Tender, 2**40 + 5)}
    assert len(keys) == 4
    assert all(-(2**31) <= half < 2**31 for key in keys for half in key)
