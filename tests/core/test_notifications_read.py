"""Notifications can be marked read, one at a time or all at once, by their recipient only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core import notifications
from core.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("core:notifications")
ALL = reverse("core:notifications_read_all")


@pytest.fixture
def person(db):
    return factories.UserFactory()


def _notify(person, n=1):
    return [notifications.notify(recipients=[person], subject=f"Tender {i} published",
                                 body="See it.")[0] for i in range(n)]


def _one(notification):
    return reverse("core:notification_read", args=[notification.pk])


def test_marking_one_read_leaves_the_others_new(client, person):
    first, second = _notify(person, 2)
    client.force_login(person)
    assert client.get(LIST).context["unread"] == 2
    response = client.post(_one(first))
    assert response.status_code == 302 and response["Location"] == LIST
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    page = client.get(LIST)
    assert page.context["unread"] == 1
    assert page.content.decode().count("Mark as read<span") == 1
    assert client.post(_one(first)).status_code == 302  # twice is harmless


def test_marking_all_read(client, person):
    _notify(person, 3)
    others = _notify(factories.UserFactory())
    client.force_login(person)
    client.post(ALL)
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=others[0].pk).read_at is None
    assert "Mark all as read" not in client.get(LIST).content.decode()


def test_nobody_can_mark_someone_elses_notification(client, person):
    (theirs,) = _notify(factories.UserFactory())
    client.force_login(person)
    assert client.post(_one(theirs)).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_anonymous_visitors_and_gets_are_refused(client, person):
    (notification,) = _notify(person)
    assert client.post(ALL).status_code == 302
    client.force_login(person)
    assert client.get(_one(notification)).status_code == 405
    assert client.get(ALL).status_code == 405
