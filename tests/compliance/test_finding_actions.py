"""Findings people can act on: named in words and linked, assigned, acknowledged, commented on,
with that history kept; and who may do so."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from compliance import actions
from compliance.models import Finding, FindingEvent
from compliance.presenters import subject_link
from core.models import AuditEntry, Notification
from organisations.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(make_finding, authority):
    return make_finding(organisation=authority, message="Bids not opened after the deadline")


@pytest.fixture
def colleague(authority):
    return factories.member(authority, Role.CONTRACT_MANAGER)


def _url(name, finding):
    return reverse(f"compliance:{name}", args=[finding.pk])


def test_a_finding_names_its_subject_in_words_and_links_to_it(commissioner, authority):
    from tests.commissioning import factories as cf

    tender = cf.TenderFactory(authority=authority, created_by=commissioner, title="Meals")
    seen = timezone.now()
    finding = Finding.objects.create(
        check_id="commissioning.opening_overdue", object_id=tender.pk,
        content_type=ContentType.objects.get_for_model(tender), organisation=authority,
        message="Late", severity="high", first_seen_at=seen, last_seen_at=seen)
    link = subject_link(finding, commissioner)
    assert link == {"label": f"Tender {tender.reference} Meals",
                    "href": reverse("commissioning:tender_manage", args=[tender.pk])}
    assert subject_link(finding, factories.UserFactory())["href"] == ""  # may not open it


def test_a_model_nobody_described_is_never_called_an_object(authority, make_finding):
    from compliance.subjects import description_of
    from socialvalue.models import DeliveryLedger

    assert str(DeliveryLedger(pk=3)) == "DeliveryLedger object (3)"
    assert description_of(DeliveryLedger(pk=3)).label == "Delivery ledger"
    missing = make_finding(organisation=authority, object_id=987654321)
    assert subject_link(missing, factories.UserFactory())["label"] == (
        "The organisation this was about no longer exists")


def test_assigning_tells_the_assignee_and_is_kept_in_the_history(client, commissioner, finding,
                                                                 colleague):
    client.force_login(commissioner)
    response = client.post(_url("finding_assign", finding), {"assignee": colleague.pk})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.assigned_to == colleague
    (notification,) = Notification.objects.filter(recipient=colleague)
    assert notification.url == _url("finding_detail", finding)
    assert AuditEntry.objects.filter(action="finding.assigned").exists()
    client.post(_url("finding_assign", finding), {"assignee": ""})
    finding.refresh_from_db()
    assert finding.assigned_to is None
    kinds = list(finding.events.values_list("kind", flat=True))
    assert kinds == [FindingEvent.Kind.ASSIGNED, FindingEvent.Kind.UNASSIGNED]


def test_acknowledging_and_commenting_show_on_the_finding_page(client, commissioner, finding):
    client.force_login(commissioner)
    client.post(_url("finding_acknowledge", finding))
    client.post(_url("finding_comment", finding), {"text": "Opening booked for Monday."})
    finding.refresh_from_db()
    assert finding.acknowledged_by == commissioner and finding.acknowledged_at
    page = client.get(_url("finding_detail", finding))
    events = page.context["events"]
    assert [e["what"] for e in events] == ["acknowledged it", "commented"]
    assert events[1]["text"] == "Opening booked for Monday."
    assert "Opening booked for Monday." in page.content.decode()
    assert not page.context["can_acknowledge"]


def test_a_finding_is_acknowledged_once(commissioner, finding):
    actions.finding_acknowledge(actor=commissioner, finding=finding)
    with pytest.raises(ValidationError):
        actions.finding_acknowledge(actor=commissioner, finding=finding)


def test_an_empty_comment_or_an_outsider_as_assignee_is_refused(client, commissioner, finding):
    client.force_login(commissioner)
    assert client.post(_url("finding_comment", finding), {"text": "  "}).status_code == 400
    outsider = factories.UserFactory()
    response = client.post(_url("finding_assign", finding), {"assignee": outsider.pk})
    assert response.status_code == 400
    assert client.post(_url("finding_assign", finding), {"assignee": "x"}).status_code == 400
    assert not finding.events.exists()


@pytest.mark.parametrize("person, status", [
    ("commissioner", 302), ("authority_admin", 302), ("platform_admin", 302),
    ("provider_admin", 403), ("bid_writer", 403), ("citizen", 403)])
def test_who_may_act_on_a_finding(client, request, person, status, finding):
    client.force_login(request.getfixturevalue(person))
    assert client.post(_url("finding_comment", finding), {"text": "Seen."}).status_code == status
    assert client.post(_url("finding_acknowledge", finding)).status_code == status


def test_staff_of_another_authority_cannot_act(finding):
    stranger = factories.member(factories.AuthorityFactory(), Role.COMMISSIONER)
    with pytest.raises(PermissionDenied):
        actions.finding_comment(actor=stranger, finding=finding, text="Not mine")


def test_anonymous_visitors_are_sent_to_sign_in(client, finding):
    response = client.post(_url("finding_acknowledge", finding))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
