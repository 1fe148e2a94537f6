"""Background tasks of the shared kernel. Thin: they take ids and call one service."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task

from core import audit, notifications, outbox

logger = logging.getLogger(__name__)


@shared_task(name="core.relay_outbox", ignore_result=True)
def relay_outbox(limit: int = 500) -> int:
    """Publish outbox messages the broker could not take at commit time."""
    return outbox.relay_pending(limit=limit)


@shared_task(name="core.audit_seal", ignore_result=True)
def audit_seal() -> int:
    """Seal audit entries whose writers could not (another held the chain's lock), ADR 0027."""
    return audit.audit_seal_pending()


@shared_task(name="core.audit_checkpoint", ignore_result=True)
def audit_checkpoint() -> int | None:
    """Sign the audit chain's head when it moved; fail loudly when the chain was tampered with."""
    try:
        checkpoint = audit.audit_checkpoint_write()
    except audit.CheckpointError as exc:
        logger.critical("Audit checkpoint refused: %s", exc)
        raise
    return checkpoint.number if checkpoint else None


@shared_task(
    name="core.send_notification_email",
    ignore_result=True,
    autoretry_for=(SMTPException, OSError),
    max_retries=5,
    retry_backoff=30,
    retry_backoff_max=300,  # no countdown longer than a few minutes (see perf_reliability §2.2)
    retry_jitter=True,
)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification; a repeat delivery of the same message sends nothing."""
    return notifications.notification_send_email(notification_id=notification_id)
