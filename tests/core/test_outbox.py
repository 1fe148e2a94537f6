"""The transactional outbox: published after commit, kept when the broker is away, relayed once."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.celery import app
from core import outbox
from core.models import OutboxMessage
from tests.core.brokers import SilentServer, celery_broker, free_port

pytestmark = pytest.mark.django_db


class Recorder:
    """Stands in for ``app.send_task``: records calls, or raises what it is told to."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.fail_with: BaseException | None = None

    def __call__(self, name, args=None, kwargs=None, **options):
        if self.fail_with is not None:
            raise self.fail_with
        self.calls.append({"name": name, "args": args, "kwargs": kwargs, **options})

    @property
    def names(self) -> list[str]:
        return [call["name"] for call in self.calls]


@pytest.fixture
def sent(monkeypatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(app, "send_task", recorder)
    return recorder


def _age(message: OutboxMessage, seconds: int = 60) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_enqueue_writes_a_row_and_publishes_only_after_commit(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            message = outbox.enqueue("core.example", 7, flag=True)
        assert sent.calls == []  # nothing reaches the broker before the commit

    assert len(callbacks) == 1
    callbacks[0]()

    message.refresh_from_db()
    assert message.published_at is not None and message.attempts == 1
    (call,) = sent.calls
    assert (call["name"], call["args"], call["kwargs"]) == ("core.example", [7], {"flag": True})
    assert call["retry"] is False
    assert call["task_id"] == outbox.task_id_for(message.pk)
    assert call["headers"] == {"outbox_id": message.pk}


def test_rolled_back_work_is_never_published(sent, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue("core.example")
        raise RuntimeError("the change failed")
    assert sent.calls == []
    assert not OutboxMessage.objects.exists()


def test_broker_refusing_connections_keeps_the_row_pending_and_fails_fast(
    django_capture_on_commit_callbacks,
):
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            message = outbox.enqueue("core.example", 1)
        elapsed = time.monotonic() - started

    assert elapsed < 2.0
    message.refresh_from_db()
    assert message.published_at is None
    assert message.attempts == 1
    assert message.last_error.startswith("broker: OperationalError")


def test_broker_that_never_answers_costs_at_most_the_socket_timeout():
    server = SilentServer()
    try:
        with celery_broker(f"redis://127.0.0.1:{server.port}/0"):
            message = OutboxMessage.objects.create(task_name="core.example")
            started = time.monotonic()
            assert outbox.publish(message) is False
            elapsed = time.monotonic() - started
    finally:
        server.stop()
    assert elapsed < 3.0
    message.refresh_from_db()
    assert message.published_at is None and message.attempts == 1


def test_relay_publishes_pending_messages_once(sent):
    message = OutboxMessage.objects.create(task_name="core.example", args=[1])
    _age(message)

    assert outbox.relay_pending(limit=500) == 1
    assert outbox.relay_pending(limit=500) == 0

    assert sent.names == ["core.example"]
    message.refresh_from_db()
    assert message.published_at is not None
    assert outbox.publish(message) is False  # already published: not sent again
    assert len(sent.calls) == 1


def test_relay_leaves_young_messages_to_the_after_commit_publish(sent):
    OutboxMessage.objects.create(task_name="core.example")
    assert outbox.relay_pending() == 0
    assert sent.calls == []


def test_relay_respects_its_limit_and_goes_oldest_first(sent):
    messages = [OutboxMessage.objects.create(task_name=f"core.task{i}") for i in range(3)]
    for message in messages:
        _age(message)
    assert outbox.relay_pending(limit=2) == 2
    assert sent.names == ["core.task0", "core.task1"]
    assert outbox.relay_pending(limit=2) == 1
    assert sent.names == ["core.task0", "core.task1", "core.task2"]


def test_relay_stops_at_the_first_broker_error(sent):
    first, second = (OutboxMessage.objects.create(task_name="core.example") for _ in range(2))
    _age(first)
    _age(second)
    sent.fail_with = OperationalError("Error 111 connecting to redis. Connection refused.")

    assert outbox.relay_pending() == 0

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attempts, second.attempts) == (1, 0)
    assert "Connection refused" in first.last_error

    sent.fail_with = None
    assert outbox.relay_pending() == 2
    assert outbox.pending_messages().count() == 0


def test_a_message_that_cannot_be_encoded_does_not_block_the_others(sent, monkeypatch):
    poison = OutboxMessage.objects.create(task_name="core.poison")
    good = OutboxMessage.objects.create(task_name="core.good")
    _age(poison)
    _age(good)

    def send(name, args=None, kwargs=None, **options):
        if name == "core.poison":
            raise TypeError("Object of type set is not JSON serializable")
        sent.calls.append({"name": name})

    monkeypatch.setattr(app, "send_task", send)
    assert outbox.relay_pending() == 1
    poison.refresh_from_db()
    assert poison.published_at is None and "TypeError" in poison.last_error
    assert sent.names == ["core.good"]


def test_enqueue_many_publishes_all_calls_after_one_commit(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        outbox.enqueue_many("core.example", [((1,), {}), ((2,), {"x": 1})])
    assert len(callbacks) == 1
    assert [call["args"] for call in sent.calls] == [[1], [2]]
    assert outbox.pending_messages().count() == 0


def test_message_reaches_a_real_broker_with_its_outbox_id():
    with celery_broker("memory://") as celery_app, celery_app.connection_for_write() as conn:
        queue = conn.SimpleQueue("celery")
        queue.clear()
        message = OutboxMessage.objects.create(task_name="core.example", args=[5])
        assert outbox.publish(message) is True
        received = queue.get(timeout=1)
        received.ack()
        queue.close()

    assert received.headers["task"] == "core.example"
    assert received.headers["id"] == outbox.task_id_for(message.pk)
    assert received.headers["outbox_id"] == message.pk



def test_the_file_broker_of_a_server_without_redis_receives_messages(tmp_path):
    folder = tmp_path / "queue"
    folder.mkdir()
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder)}
    with celery_broker("filesystem://", options):
        message = OutboxMessage.objects.create(task_name="core.example")
        assert outbox.publish(message) is True
    assert len(list(folder.iterdir())) == 1


def test_the_beat_task_relays(sent):
    from core.tasks import relay_outbox

    _age(OutboxMessage.objects.create(task_name="core.example"))
    assert relay_outbox() == 1
    assert sent.names == ["core.example"]

@pytest.mark.django_db(transaction=True)
def test_a_row_being_published_elsewhere_is_skipped_not_sent_twice(sent):
    from django.db import connection

    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("SQLite has no row locks: one writer at a time, nothing to skip")
    import threading

    from django.db import connections

    message = OutboxMessage.objects.create(task_name="core.example")
    _age(message)
    locked, release = threading.Event(), threading.Event()

    def other_publisher():  # holds the row lock, as a relay in another process would
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=message.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_publisher)
    thread.start()
    try:
        assert locked.wait(10)
        assert outbox.relay_pending() == 0
        assert outbox.publish(message) is False
    finally:
        release.set()
        thread.join(10)
    assert sent.calls == []
    assert outbox.relay_pending() == 1
