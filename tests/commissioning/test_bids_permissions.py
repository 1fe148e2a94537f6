"""Who sees a bid, before the deadline, after it (not opened) and after the opening."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from commissioning.models import ConflictDeclaration, Tender
from commissioning.selectors.bids import bid_content, bid_file_response, submitted_bid_count
from commissioning.services import bids as services
from core.models import AuditEntry
from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf
from tests.commissioning.bids_support import fill_bid, open_bids

pytestmark = pytest.mark.django_db
PHASES = ["before_deadline", "after_deadline", "opened"]
# who -> phases in which they may read the content
CONTENT = {
    "anonymous": set(), "citizen": set(), "provider_not_bidding": set(),
    "bidder": set(PHASES), "other_bidder": set(), "consortium_member": set(PHASES),
    "commissioner": {"opened"}, "evaluator": {"opened"}, "conflicted_evaluator": set(),
    "undeclared_evaluator": set(), "other_authority": set(), "platform_admin": set(),
}


@pytest.fixture
def world(published_tender, provider, bid_writer, authority, commissioner, citizen,
          platform_admin, other_commissioner):
    tender = published_tender
    bid = fill_bid(services.bid_start(tender=tender, organisation=provider, actor=bid_writer),
                   bid_writer)
    partner = factories.OrganisationFactory()
    services.bid_consortium_member_add(bid=bid, organisation=partner, role="member",
                                       responsibilities="North", actor=bid_writer)
    services.bid_submit(bid=bid, actor=bid_writer)
    rival = factories.OrganisationFactory()
    rival_writer = factories.member(rival, Role.BID_WRITER)
    fill_bid(services.bid_start(tender=tender, organisation=rival, actor=rival_writer),
             rival_writer)
    people = {
        "anonymous": AnonymousUser(), "citizen": citizen,
        "provider_not_bidding": factories.member(factories.OrganisationFactory(),
                                                 Role.PROVIDER_ADMIN),
        "bidder": bid_writer, "other_bidder": rival_writer,
        "consortium_member": factories.member(partner, Role.BID_WRITER),
        "commissioner": commissioner, "other_authority": other_commissioner,
        "platform_admin": platform_admin,
    }
    for name, conflicted in [("evaluator", False), ("conflicted_evaluator", True),
                             ("undeclared_evaluator", None)]:
        user = factories.with_totp(factories.member(authority, Role.EVALUATOR))
        cf.TenderEvaluatorFactory(tender=tender, user=user)
        if conflicted is not None:
            declaration = ConflictDeclaration.objects.create(
                tender=tender, evaluator=user, has_conflict=conflicted)
            if conflicted:
                declaration.conflicted_organisations.add(provider)
        people[name] = user
    return {"tender": tender, "bid": bid, "people": people, "commissioner": commissioner,
            "admin": factories.with_totp(factories.member(authority, Role.AUTHORITY_ADMIN))}


def _enter(phase, world):
    tender = world["tender"]
    if phase in ("after_deadline", "opened"):
        Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - timedelta(hours=1))
    if phase == "opened":
        open_bids(tender, requested_by=world["commissioner"], confirmed_by=world["admin"])
    world["bid"].refresh_from_db()


@pytest.mark.parametrize("phase", PHASES)
def test_bid_content_permission_matrix(world, phase):
    _enter(phase, world)
    bid = world["bid"]
    bid_file = bid.files.first()
    for name, person in world["people"].items():
        allowed = phase in CONTENT[name]
        audits = AuditEntry.objects.filter(action="bid.content_viewed").count()
        if allowed:
            assert bid_content(bid=bid, user=person)["price"]["total"] == "1250.50", name
            response = bid_file_response(bid_file=bid_file, user=person)
            assert b"".join(response.streaming_content).startswith(b"%PDF"), name
            assert AuditEntry.objects.filter(action="bid.content_viewed").count() == audits + 2
        else:
            with pytest.raises(PermissionDenied):
                bid_content(bid=bid, user=person)
            with pytest.raises(PermissionDenied):
                bid_file_response(bid_file=bid_file, user=person)
            assert AuditEntry.objects.filter(action="bid.content_viewed").count() == audits


def test_a_superuser_flag_does_not_unseal_bids(world):
    admin = world["people"]["platform_admin"]
    admin.is_superuser = True
    admin.save()
    with pytest.raises(PermissionDenied):
        bid_content(bid=world["bid"], user=admin)


def test_drafts_are_never_shown_to_staff_even_after_opening(world):
    _enter("opened", world)
    rival_bid = world["tender"].bids.exclude(pk=world["bid"].pk).get()
    with pytest.raises(PermissionDenied):
        bid_content(bid=rival_bid, user=world["people"]["evaluator"])


def test_staff_see_only_the_count_before_opening(world):
    tender = world["tender"]
    assert submitted_bid_count(tender=tender, user=world["people"]["commissioner"]) == 1
    assert submitted_bid_count(tender=tender, user=world["people"]["platform_admin"]) == 1
    for name in ("bidder", "other_authority", "citizen"):
        with pytest.raises(PermissionDenied):
            submitted_bid_count(tender=tender, user=world["people"][name])


@pytest.mark.parametrize("phase", PHASES)
def test_bid_pages_are_404_for_everyone_outside_the_bid(client, world, phase):
    _enter(phase, world)
    bid = world["bid"]
    urls = [reverse("commissioning:bid_detail", args=[bid.pk]),
            reverse("commissioning:bid_submit", args=[bid.pk]),
            reverse("commissioning:bid_file", args=[bid.pk, bid.files.first().pk]),
            reverse("commissioning:bid_receipt", args=[bid.pk, bid.receipts.get().pk])]
    for name, person in world["people"].items():
        client.logout()
        if person.is_authenticated:
            client.force_login(person)
        for url in urls:
            status = client.get(url).status_code
            if name == "anonymous":
                assert status == 302, url
            elif name in ("bidder", "consortium_member"):
                expected = 403 if name == "consortium_member" and "submit" in url else 200
                assert status == expected, (name, url)
            else:
                assert status == 404, (name, url)
