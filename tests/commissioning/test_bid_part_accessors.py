"""Parts of a bid (questions, consortium members, document slots) are fetched through the bid:
another tender's part, or an address that is not a number, is a 404, never an error page."""

import pytest
from django.urls import reverse

from commissioning.services import bids as services
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def bid(published_tender, provider, provider_admin, client):
    client.force_login(provider_admin)
    return services.bid_start(tender=published_tender, organisation=provider,
                              actor=provider_admin)


def test_a_question_of_another_tender_is_not_found(client, bid):
    elsewhere = cf.TenderQuestionFactory(tender=cf.TenderFactory(), number=1)
    own = bid.tender.questions.get()
    assert client.get(reverse("commissioning:bid_answer", args=[bid.pk, own.pk])).status_code == 200
    response = client.get(reverse("commissioning:bid_answer", args=[bid.pk, elsewhere.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("slot", ["not-a-number", "99999999", "1e3"])
def test_an_upload_for_a_slot_that_is_not_this_tenders_is_not_found(client, bid, slot):
    url = reverse("commissioning:bid_documents", args=[bid.pk])
    assert client.post(url, {"slot": slot}).status_code == 404
    other = cf.DocumentSlotFactory(tender=cf.TenderFactory())
    assert client.post(url, {"slot": other.pk}).status_code == 404


def test_removing_a_consortium_member_of_another_bid_is_not_found(client, bid):
    url = reverse("commissioning:bid_consortium_remove", args=[bid.pk, 12345])
    assert client.post(url).status_code == 404
    assert client.post(reverse("commissioning:bid_consortium_remove",
                               args=[bid.pk, 0])).status_code == 404


def test_another_organisations_invitation_or_member_is_not_found(client, authority,
                                                                 authority_admin):
    from tests import factories

    other = factories.AuthorityFactory()
    stranger = factories.member(other, "evaluator")
    membership = stranger.memberships.get()
    client.force_login(authority_admin)
    response = client.post(reverse("organisations:membership_remove",
                                   args=[authority.pk, membership.pk]))
    assert response.status_code == 404
    assert stranger.memberships.exists()
    response = client.post(reverse("organisations:invitation_revoke",
                                   args=[authority.pk, 424242]))
    assert response.status_code == 404
