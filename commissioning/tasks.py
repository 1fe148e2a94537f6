"""Background tasks of the commissioning app. Thin: they take ids and call one service.

Services enqueue these with `core.outbox.enqueue("commissioning.<name>", *ids)`.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="commissioning.release_publish", ignore_result=True)
def release_publish(tender_id: int, tags: list[str]) -> None:
    """Store an OCDS release for a tender as it is now (for events raised outside a request)."""
    from commissioning.models import Tender
    from commissioning.services.publication import release_publish as publish

    tender = Tender.objects.filter(pk=tender_id).first()
    if tender is not None:
        publish(tender=tender, tags=tags)


@shared_task(name="commissioning.send_tender_alerts", ignore_result=True)
def send_tender_alerts() -> None:
    """The daily digest of new tenders matching saved searches (idempotent)."""
    from commissioning.services.searches import tender_alerts_send

    tender_alerts_send()


@shared_task(name="commissioning.apply_citizens_delegation", ignore_result=True)
def apply_citizens_delegation(decision_id: int) -> None:
    """A citizens' panel's vote closed: its scores become the moderated scores (idempotent)."""
    from commissioning.services.citizens_delegation import delegation_apply

    delegation_apply(decision_id=decision_id)


# Tasks defined beside the code they serve, imported here so Celery's autodiscovery finds them.
from commissioning.bid_tasks import send_bid_receipt, send_deadline_reminders  # noqa: E402,F401
