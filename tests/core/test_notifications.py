"""Notifications: rows in the portal, one email task each through the outbox, sent once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from core import notifications
from core.models import Notification, OutboxMessage
from core.tasks import send_notification_email
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return [factories.UserFactory(), factories.UserFactory()]


def test_notify_creates_a_notification_and_an_email_task_per_person(people):
    inactive = factories.UserFactory(is_active=False)

    created = notifications.notify(
        recipients=[*people, people[0], inactive], subject="Tender published",
        body="A tender you follow was published.", url="/tenders/1/",
    )

    assert [n.recipient for n in created] == people  # duplicates and inactive people skipped
    messages = OutboxMessage.objects.order_by("id")
    assert [m.task_name for m in messages] == [notifications.EMAIL_TASK] * 2
    assert [m.args for m in messages] == [[n.pk] for n in created]


def test_email_task_sends_once_and_records_when(people, settings):
    settings.PORTAL_BASE_URL = "https://portal.example"
    (notification,) = notifications.notify(
        recipients=people[:1], subject="Clarification answered", body="See the answer.",
        url="/tenders/1/questions/",
    )

    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False  # a redelivery sends nothing

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [people[0].email]
    assert email.subject.endswith("Clarification answered")
    assert "https://portal.example/tenders/1/questions/" in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_email_task_skips_unknown_notifications():
    assert send_notification_email(999_999) is False
    assert mail.outbox == []


def test_notification_list_shows_the_users_notifications(client, citizen):
    other = factories.UserFactory()
    notifications.notify(recipients=[citizen], subject="Your panel meets on Monday", body="Hi")
    notifications.notify(recipients=[other], subject="Somebody else's news", body="Hi")
    client.force_login(citizen)

    response = client.get(reverse("core:notifications"))

    assert response.status_code == 200
    assert "Your panel meets on Monday" in response.content.decode()
    assert "Somebody else" not in response.content.decode()


def test_notification_list_has_an_empty_state(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("core:notifications"))
    assert response.status_code == 200
    assert "You have no notifications" in response.content.decode()


def test_notification_list_is_paginated(client, citizen):
    Notification.objects.bulk_create(
        Notification(recipient=citizen, subject=f"Notice {i}", body="-") for i in range(30)
    )
    client.force_login(citizen)
    response = client.get(reverse("core:notifications"), {"page": 2})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert len(response.context["page_obj"].object_list) == 5
