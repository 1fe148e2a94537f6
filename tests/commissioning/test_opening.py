"""Opening: after the deadline by the server clock, two different authorised people."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Opening
from commissioning.services.opening import evaluation_start, opening_confirm, opening_request
from core.models import AuditEntry, Notification, StatusChange
from organisations.models import Role
from tests.commissioning import evaluation_support as support
from tests.commissioning import factories as cf


@pytest.fixture
def tender(authority, commissioner):
    return support.closed_tender(authority, commissioner)


@pytest.fixture
def colleague(authority):
    return support.staff(authority, Role.AUTHORITY_ADMIN)


def test_bids_cannot_be_opened_before_the_deadline(authority, commissioner):
    tender = support.closed_tender(authority, commissioner,
                                   deadline=timezone.now() + timedelta(minutes=1))
    with pytest.raises(ValidationError, match="before the deadline"):
        opening_request(tender=tender, actor=commissioner)
    assert not Opening.objects.exists()


def test_the_same_person_cannot_confirm_their_own_request(tender, commissioner):
    opening_request(tender=tender, actor=commissioner)
    with pytest.raises(ValidationError, match="A different person must confirm"):
        opening_confirm(tender=tender, actor=commissioner)
    tender.refresh_from_db()
    assert tender.status == "published"


def test_a_second_request_is_refused_while_one_waits(tender, commissioner, colleague):
    opening_request(tender=tender, actor=commissioner)
    with pytest.raises(ValidationError, match="already asked"):
        opening_request(tender=tender, actor=colleague)


def test_two_people_open_the_bids_and_the_bidders_are_told(tender, commissioner, colleague):
    bid = support.sealed_bid(tender)
    opening_request(tender=tender, actor=commissioner)
    assert Notification.objects.filter(recipient=colleague,
                                       subject__startswith="Confirm the opening").exists()
    opening = opening_confirm(tender=tender, actor=colleague)
    tender.refresh_from_db()
    assert tender.status == "opened"
    assert opening.requested_by == commissioner and opening.confirmed_by == colleague
    assert opening.confirmed_at is not None
    assert StatusChange.objects.filter(object_id=tender.pk, to_status="opened").exists()
    assert AuditEntry.objects.filter(action="opening.confirm").exists()
    told = Notification.objects.filter(recipient=bid.created_by, subject__startswith="Bids opened")
    assert told.exists()


def test_people_outside_the_authority_cannot_open(tender, provider_admin, other_commissioner):
    evaluator = support.staff(tender.authority, Role.EVALUATOR)
    for person in (provider_admin, other_commissioner, evaluator):
        with pytest.raises(PermissionDenied):
            opening_request(tender=tender, actor=person)


def test_evaluation_starts_once_there_is_a_panel(tender, commissioner, colleague):
    opening_request(tender=tender, actor=commissioner)
    opening_confirm(tender=tender, actor=colleague)
    with pytest.raises(ValidationError, match="at least one evaluator"):
        evaluation_start(tender=tender, actor=commissioner)
    evaluator = support.staff(tender.authority, Role.EVALUATOR)
    cf.TenderEvaluatorFactory(tender=tender, user=evaluator)
    evaluation_start(tender=tender, actor=commissioner)
    tender.refresh_from_db()
    assert tender.status == "evaluation"
    assert Notification.objects.filter(recipient=evaluator,
                                       subject__startswith="Evaluation has started").exists()


def test_opening_records_social_value_commitments(tender, commissioner, colleague):
    from socialvalue.models import CommitmentSet

    entry = support.commitment_entry(support.social_value_plan(tender, commissioner))
    bid = support.sealed_bid(tender, social_value=[entry])
    no_commitments = support.sealed_bid(tender)
    opening_request(tender=tender, actor=commissioner)
    opening_confirm(tender=tender, actor=colleague)
    bid.refresh_from_db()
    no_commitments.refresh_from_db()
    assert bid.social_value_commitments is not None
    assert bid.social_value_commitments.commitments.get().quantity == 4
    assert no_commitments.social_value_commitments is None
    assert CommitmentSet.objects.count() == 1


def test_opening_page_shows_who_requested_and_asks_a_colleague(client, tender, commissioner,
                                                               colleague):
    support.sealed_bid(tender)
    url = reverse("commissioning:opening", args=[tender.pk])
    client.force_login(commissioner)
    response = client.post(url, {"action": "request"}, follow=True)
    assert "Opening requested: a colleague must confirm." in response.content.decode()
    response = client.post(url, {"action": "confirm"}, follow=True)
    assert "A different person must confirm" in response.content.decode()
    client.force_login(colleague)
    response = client.post(url, {"action": "confirm"}, follow=True)
    assert "Bids opened." in response.content.decode()


def test_opening_page_refuses_before_the_deadline(client, authority, commissioner):
    tender = support.closed_tender(authority, commissioner,
                                   deadline=timezone.now() + timedelta(hours=2))
    client.force_login(commissioner)
    url = reverse("commissioning:opening", args=[tender.pk])
    assert "cannot be opened until the deadline" in client.get(url).content.decode()
    response = client.post(url, {"action": "request"}, follow=True)
    assert "Bids cannot be opened before the deadline" in response.content.decode()
