"""Labels that tell the truth: task statuses, the tender page once a bid is in, the bid as it
was sent (read-only, with its receipt and a printable receipt), and outcomes in "Your bids"."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.models import Bid, BidReceipt
from commissioning.services import bids as services
from commissioning.services.awards import award_approve, award_propose
from core.models import AuditEntry
from organisations.models import Role
from tests import factories
from tests.commissioning import evaluation_support as support
from tests.commissioning import factories as cf
from tests.commissioning.bids_support import fill_bid, open_bids
from tests.socialvalue.conftest import local_framework, local_measures, plan  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(published_tender, provider, provider_admin):
    bid = fill_bid(services.bid_start(tender=published_tender, organisation=provider,
                                      actor=provider_admin), provider_admin, marker="North")
    services.bid_submit(bid=bid, actor=provider_admin)
    bid.refresh_from_db()
    return bid


def _page(client, user, url):
    if user is not None and not isinstance(user, AnonymousUser):
        client.force_login(user)
    return client.get(url)


def test_social_value_is_not_started_until_something_is_entered(
        client, provider, provider_admin, plan):  # noqa: F811
    tender = cf.TenderFactory(authority=plan.authority, social_value_plan=plan)
    bid = services.bid_start(tender=tender, organisation=provider, actor=provider_admin)
    client.force_login(provider_admin)
    page = client.get(reverse("commissioning:bid_detail", args=[bid.pk])).content.decode()
    task = page.split("Social value commitments", 1)[1].split("</li>", 1)[0]
    assert "Not yet started" in task and "Completed" not in task


def test_the_tender_page_says_the_bid_was_submitted_instead_of_start_a_bid(
        client, submitted, provider_admin):
    client.force_login(provider_admin)
    page = client.get(reverse("commissioning:tender_detail",
                              args=[submitted.tender_id])).content.decode()
    assert "You submitted a bid on" in page
    assert reverse("commissioning:bid_sent", args=[submitted.pk]) in page
    assert "Start a bid" not in page


def test_a_draft_is_offered_to_continue(client, published_tender, provider, provider_admin):
    bid = services.bid_start(tender=published_tender, organisation=provider,
                             actor=provider_admin)
    client.force_login(provider_admin)
    page = client.get(reverse("commissioning:tender_detail",
                              args=[published_tender.pk])).content.decode()
    assert "Continue your bid" in page and "Start a bid" not in page
    assert reverse("commissioning:bid_detail", args=[bid.pk]) in page


def test_the_bid_as_sent_shows_everything_with_its_matching_receipt(
        client, submitted, provider_admin):
    client.force_login(provider_admin)
    receipt = BidReceipt.objects.get(bid=submitted)
    page = client.get(reverse("commissioning:bid_sent", args=[submitted.pk])).content.decode()
    assert "We recruit locally. North" in page  # the answer
    assert "Staff North" in page and "£1,250.50" in page  # the price and its breakdown
    assert receipt.number in page and receipt.submission_sha256 in page
    assert "This is exactly what was received" in page
    assert Bid.objects.get(pk=submitted.pk).status == Bid.Status.SUBMITTED  # nothing withdrawn
    assert "Withdraw" not in page.split("<main", 1)[1].split("</main>")[0]


def test_a_draft_has_no_sent_page(client, published_tender, provider, provider_admin):
    bid = services.bid_start(tender=published_tender, organisation=provider,
                             actor=provider_admin)
    client.force_login(provider_admin)
    assert client.get(reverse("commissioning:bid_sent", args=[bid.pk])).status_code == 404


def test_reading_the_sent_bid_after_opening_is_audited(client, submitted, provider_admin,
                                                       commissioner, authority):
    open_bids(submitted.tender, requested_by=commissioner,
              confirmed_by=factories.member(authority, Role.AUTHORITY_ADMIN))
    client.force_login(provider_admin)
    before = AuditEntry.objects.filter(action="bid.content_viewed").count()
    assert client.get(reverse("commissioning:bid_sent", args=[submitted.pk])).status_code == 200
    assert AuditEntry.objects.filter(action="bid.content_viewed").count() > before


def test_the_printable_receipt(client, submitted, provider_admin):
    receipt = BidReceipt.objects.get(bid=submitted)
    client.force_login(provider_admin)
    page = client.get(reverse("commissioning:bid_receipt_print",
                              args=[submitted.pk, receipt.pk])).content.decode()
    assert "Receipt for a bid" in page and receipt.submission_sha256 in page
    assert receipt.file_hashes[0]["sha256"] in page


EXPECTED = {"anonymous": 302, "citizen": 404, "other_provider": 404, "commissioner": 404,
            "other_authority": 404, "platform_admin": 404, "bidder": 200, "bid_writer": 200,
            "consortium_member": 200}


def test_who_may_read_the_sent_bid_and_its_printable_receipt(
        client, published_tender, citizen, commissioner, other_commissioner, platform_admin,
        provider_admin, provider):
    bid = fill_bid(services.bid_start(tender=published_tender, organisation=provider,
                                      actor=provider_admin), provider_admin)
    partner = factories.OrganisationFactory()
    services.bid_consortium_member_add(bid=bid, organisation=partner, role="member",
                                       responsibilities="North", actor=provider_admin)
    receipt = services.bid_submit(bid=bid, actor=provider_admin)
    people = {
        "anonymous": AnonymousUser(), "citizen": citizen, "commissioner": commissioner,
        "other_provider": factories.member(factories.OrganisationFactory(), Role.PROVIDER_ADMIN),
        "other_authority": other_commissioner, "platform_admin": platform_admin,
        "bidder": provider_admin, "bid_writer": factories.member(provider, Role.BID_WRITER),
        "consortium_member": factories.member(partner, Role.BID_WRITER),
    }
    urls = (reverse("commissioning:bid_sent", args=[bid.pk]),
            reverse("commissioning:bid_receipt_print", args=[bid.pk, receipt.pk]))
    seen = {}
    for who, user in people.items():
        client.logout()
        seen[who] = {_page(client, user, url).status_code for url in urls}
    assert seen == {who: {status} for who, status in EXPECTED.items()}


@pytest.fixture
def decided(authority, commissioner):
    ready = support.evaluated_tender(authority, commissioner)
    award = award_propose(tender=ready["tender"], actor=commissioner)
    award_approve(award=award, actor=ready["approver"])
    return ready


def _your_bids(client, bid):
    client.force_login(bid.organisation.memberships.first().user)
    return client.get(reverse("commissioning:bid_list")).content.decode()


def test_your_bids_shows_the_winner_successful(client, decided):
    page = _your_bids(client, decided["dear"])
    assert "Successful" in page and "Submitted</strong>" not in page
    assert reverse("commissioning:feedback", args=[decided["dear"].pk]) in page


def test_your_bids_shows_the_other_unsuccessful_with_the_assessment_summary(client, decided):
    page = _your_bids(client, decided["cheap"])
    assert "Unsuccessful" in page
    assert reverse("commissioning:feedback", args=[decided["cheap"].pk]) in page
    feedback = client.get(reverse("commissioning:feedback", args=[decided["cheap"].pk]))
    assert feedback.status_code == 200


def test_your_bids_shows_a_disregarded_bid_with_the_reason(client, authority, commissioner):
    tender = support.closed_tender(authority, commissioner)
    bid = support.sealed_bid(tender)
    Bid.objects.filter(pk=bid.pk).update(
        disregarded_reason="It is not recognised as a public service mutual.")
    page = _your_bids(client, bid)
    assert "Disregarded" in page and "not recognised as a public service mutual" in page


def test_no_outcome_is_shown_before_the_bidders_are_told(client, authority, commissioner):
    ready = support.evaluated_tender(authority, commissioner)
    award_propose(tender=ready["tender"], actor=commissioner)  # proposed, not approved
    page = _your_bids(client, ready["dear"])
    assert "Successful" not in page and "Unsuccessful" not in page and "Submitted" in page


def test_your_bids_with_outcomes_keeps_its_queries_constant(client, decided, commissioner,
                                                            authority):
    winner = decided["dear"]
    user = winner.organisation.memberships.first().user
    client.force_login(user)
    url = reverse("commissioning:bid_list")

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    count()
    one = count()
    for _ in range(4):
        other = support.evaluated_tender(authority, commissioner)
        Bid.objects.filter(pk=other["dear"].pk).update(organisation=winner.organisation)
        award = award_propose(tender=other["tender"], actor=commissioner)
        award_approve(award=award, actor=other["approver"])
    assert count() == one
    assert _your_bids(client, winner).count("Successful") == 5
