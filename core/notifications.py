"""Notifications: a row each person sees in the portal, and an email sent by a task after commit.

``notify`` is what services call. The email goes through the outbox, so a broker outage never
delays or breaks the service that notified; ``notification_send_email`` is what the
``core.send_notification_email`` task runs, at most once per notification.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core import outbox
from core.models import Notification

logger = logging.getLogger(__name__)

EMAIL_TASK = "core.send_notification_email"


@transaction.atomic
def notify(*, recipients: Iterable, subject: str, body: str, url: str = "") -> list[Notification]:
    """Notify each recipient (users; duplicates and inactive accounts are skipped).

    Creates one Notification per person and enqueues one email task for each, published
    after the surrounding transaction commits.
    """
    people = _unique_active(recipients)
    notifications = Notification.objects.bulk_create(
        [
            Notification(recipient=person, subject=subject[:200], body=body, url=url[:500])
            for person in people
        ]
    )
    outbox.enqueue_many(EMAIL_TASK, [((n.pk,), {}) for n in notifications])
    return notifications


@transaction.atomic
def notification_send_email(*, notification_id: int) -> bool:
    """Email one notification unless it was emailed already; return True when sent now.

    The row is locked while sending (PostgreSQL), so two workers given the same message send
    one email. When sending fails the transaction rolls back and a retry sends it again.
    """
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("recipient")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.is_active:
        return False
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.subject}",
        message=email_text(notification),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at", "updated_at"])
    return True


def email_text(notification: Notification) -> str:
    """The plain-text email for a notification, with an absolute link when it has one."""
    lines = [notification.body.strip()]
    if notification.url:
        lines.append(f"View it in the portal: {absolute_url(notification.url)}")
    lines.append(
        "You are getting this email because you have an account on "
        f"{settings.PORTAL_NAME}. Your notifications are also listed in the portal."
    )
    return "\n\n".join(lines)


def absolute_url(url: str) -> str:
    """``url`` itself when absolute, otherwise joined to the portal's public address."""
    if url.startswith(("https://", "http://")):
        return url
    base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    return f"{base}/{url.lstrip('/')}" if base else url


def _unique_active(recipients: Iterable) -> list:
    seen: set[int] = set()
    people = []
    for person in recipients:
        if person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        people.append(person)
    return people


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the person's notifications read (already read: left as it was); False when
    they have no such notification."""
    mine = Notification.objects.filter(pk=notification_id, recipient=user)
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return mine.exists()


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the person read, in one query; return how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())
