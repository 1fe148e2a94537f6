"""Background work for bids: thin, idempotent tasks taking ids (imported by commissioning.tasks)."""

from smtplib import SMTPException

from celery import shared_task

from commissioning.services.bids import bid_receipt_email
from commissioning.services.bids.reminders import bid_deadline_reminders_send


@shared_task(
    name="commissioning.send_bid_receipt",
    ignore_result=True,
    autoretry_for=(SMTPException, OSError),
    max_retries=5,
    retry_backoff=30,
    retry_backoff_max=300,
    retry_jitter=True,
)
def send_bid_receipt(receipt_id: int, submitter_id: int | None = None) -> bool:
    """Email a bid receipt; a repeated delivery of the same message sends nothing."""
    return bid_receipt_email(receipt_id=receipt_id, submitter_id=submitter_id)


@shared_task(name="commissioning.send_deadline_reminders", ignore_result=True)
def send_deadline_reminders() -> int:
    """Remind suppliers with a draft bid 24 hours and 1 hour before the deadline (idempotent)."""
    return bid_deadline_reminders_send()
