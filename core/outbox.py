"""Transactional outbox: background work is recorded with the change, published after commit.

``enqueue`` writes an ``OutboxMessage`` row in the caller's transaction and publishes it as soon
as that transaction commits. When the broker is down or unreachable the publish fails fast
(short socket timeouts, no retries), the row stays pending and the request carries on; the
``core.relay_outbox`` beat task publishes pending rows once the broker is back.

Delivery is at least once: a process that dies between handing a message to the broker and
marking the row published sends it again from the relay. Every task is idempotent, and each
message carries a stable task id and an ``outbox_id`` header derived from the row.

Both publishing paths claim rows with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
the after-commit publish and the relay never send the same row twice. SQLite serialises writers
and has no row locks, so it gets the plain query.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from core.models import OutboxMessage

try:  # redis-py is installed with celery[redis]; the filesystem broker does not need it.
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = KombuOperationalError  # type: ignore[misc,assignment]

logger = logging.getLogger(__name__)

# Errors that mean "the broker is not there right now": stop, keep the row, try again later.
BROKER_ERRORS: tuple[type[BaseException], ...] = (KombuOperationalError, RedisError, OSError)
# The relay leaves young rows to the after-commit publish of the request that wrote them.
RELAY_MIN_AGE = timedelta(seconds=30)
_TASK_ID_NAMESPACE = uuid.UUID("6f0d6c8e-5d0a-4d8f-9a43-1f0c2b7e9a55")
_ERROR_MAX_LENGTH = 2000


def enqueue(task_name: str, *args: Any, **kwargs: Any) -> OutboxMessage:
    """Record a task call; it is published when the current transaction commits.

    Call it inside ``transaction.atomic`` (published after the commit) or in autocommit
    (published at once). Arguments must be JSON-serialisable: ids, not model instances.
    """
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args), kwargs=kwargs)
    _publish_on_commit([message.pk])
    return message


def enqueue_many(
    task_name: str, calls: Iterable[tuple[Sequence[Any], Mapping[str, Any]]]
) -> list[OutboxMessage]:
    """Record several calls of one task in one insert, published together after commit."""
    rows = [
        OutboxMessage(task_name=task_name, args=list(args), kwargs=dict(kwargs))
        for args, kwargs in calls
    ]
    messages = OutboxMessage.objects.bulk_create(rows)
    if messages:
        _publish_on_commit([message.pk for message in messages])
    return messages


def publish(message: OutboxMessage) -> bool:
    """Send one pending message to the broker now.

    Returns True when this call handed it to the broker; False when the broker could not be
    reached (attempts and last_error are recorded, nothing is raised) or when the row had
    already been published or is being published by another process.
    """
    return publish_ids([message.pk]) == 1


@transaction.atomic
def publish_ids(message_ids: Sequence[int]) -> int:
    """Claim the still-pending rows among ``message_ids`` and publish them, in id order."""
    pending = _claimable(OutboxMessage.objects.filter(pk__in=message_ids))
    return _publish_all(list(pending))


@transaction.atomic
def relay_pending(*, limit: int = 500, min_age: timedelta = RELAY_MIN_AGE) -> int:
    """Publish pending messages older than ``min_age``, oldest first; return how many were sent.

    Stops at the first broker error: the rest would fail the same way, and each failure may
    cost a socket timeout.
    """
    cutoff = timezone.now() - min_age
    pending = _claimable(OutboxMessage.objects.filter(created_at__lte=cutoff))[:limit]
    sent = _publish_all(list(pending))
    if sent:
        logger.info("Relayed %s outbox message(s).", sent)
    return sent


def pending_messages() -> QuerySet[OutboxMessage]:
    """Messages not yet handed to the broker, oldest first (for operators and tests)."""
    return OutboxMessage.objects.filter(published_at__isnull=True).order_by("id")


def task_id_for(message_id: int) -> str:
    """The stable Celery task id of an outbox message: a re-send carries the same id."""
    return str(uuid.uuid5(_TASK_ID_NAMESPACE, f"outbox:{message_id}"))


def _claimable(queryset: QuerySet[OutboxMessage]) -> QuerySet[OutboxMessage]:
    queryset = queryset.filter(published_at__isnull=True).order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return queryset


def _publish_all(messages: Sequence[OutboxMessage]) -> int:
    sent: list[int] = []
    for message in messages:
        error = _send(message)
        if error is None:
            sent.append(message.pk)
            continue
        _record_failure(message, error)
        if error.startswith("broker:"):
            break
    _mark_published(sent)
    return len(sent)


def _send(message: OutboxMessage) -> str | None:
    """Hand one message to the broker; return None on success, else a description of why not."""
    from config.celery import app

    try:
        app.send_task(
            message.task_name,
            args=message.args,
            kwargs=message.kwargs,
            task_id=task_id_for(message.pk),
            headers={"outbox_id": message.pk},
            retry=False,
        )
    except BROKER_ERRORS as exc:
        logger.warning("Broker unavailable; outbox message %s stays pending: %s", message.pk, exc)
        return f"broker: {type(exc).__name__}: {exc}"
    except Exception as exc:  # a message that cannot be sent must not block the others
        logger.exception("Outbox message %s could not be published.", message.pk)
        return f"{type(exc).__name__}: {exc}"
    return None


def _record_failure(message: OutboxMessage, error: str) -> None:
    message.attempts += 1
    message.last_error = error[:_ERROR_MAX_LENGTH]
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=F("attempts") + 1, last_error=message.last_error
    )


def _mark_published(message_ids: list[int]) -> None:
    if message_ids:
        OutboxMessage.objects.filter(pk__in=message_ids).update(
            published_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )


def _publish_on_commit(message_ids: list[int]) -> None:
    transaction.on_commit(partial(_publish_after_commit, message_ids), robust=True)


def _publish_after_commit(message_ids: list[int]) -> None:
    # The change is committed: whatever happens now must not turn the response into an error.
    try:
        publish_ids(message_ids)
    except DatabaseError:
        logger.exception("Could not publish outbox messages %s; the relay will.", message_ids)
