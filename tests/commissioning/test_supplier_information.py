"""Core supplier information: kept once in versions, confirmed before each submission, frozen
on it, and seen by the commissioner as it was at submission (after the opening, audited)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.models import Bid, SubmissionSupplierInformation, SupplierInformation
from commissioning.selectors.stages import submission_information_for_user
from commissioning.services import bids as bid_services
from commissioning.services import supplier_information as services
from core.models import AuditEntry
from tests import factories
from tests.commissioning import stages_support as support
from tests.commissioning.bids_support import fill_bid

pytestmark = pytest.mark.django_db


def test_each_save_is_a_new_frozen_version(provider, bid_writer):
    first = support.keep_information(provider, bid_writer)
    second = support.keep_information(provider, bid_writer, legal_name="Renamed CIC",
                                      discretionary_applies=True,
                                      discretionary_details="Late delivery in 2024; remedied.")
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.content["legal_name"] != "Renamed CIC"
    assert second.content["connected_persons"][0] == {"name": "Asha Patel", "role": "director"}
    discretionary = next(e for e in second.content["exclusions"]
                         if e["ground"] == "discretionary")
    assert discretionary["applies"] and discretionary["declared_on"]


def test_a_declared_exclusion_ground_needs_its_circumstances(provider, bid_writer):
    with pytest.raises(ValidationError) as error:
        support.keep_information(provider, bid_writer, mandatory_applies=True)
    assert "mandatory_details" in error.value.message_dict
    assert not SupplierInformation.objects.exists()


def test_only_the_suppliers_own_people_keep_it(provider, commissioner):
    with pytest.raises(PermissionDenied):
        support.keep_information(provider, commissioner)


def test_a_staged_submission_needs_a_confirmation_of_the_current_version(authority,
                                                                        commissioner):
    staged = support.designed(authority, commissioner)
    organisation, writer = support.supplier()
    round_tender = staged.participation.round
    request = bid_services.bid_start(tender=round_tender, organisation=organisation,
                                     actor=writer)
    for question in round_tender.questions.all():
        bid_services.bid_answer_save(bid=request, question=question, actor=writer, text="Yes")
    declarations = {"accurate": True, "no_collusion": True}
    with pytest.raises(bid_services.BidIncomplete) as refused:
        bid_services.bid_submit(bid=request, actor=writer, declarations=declarations)
    assert [p.text for p in refused.value.problems] == ["Enter your core supplier information"]
    support.keep_information(organisation, writer)
    services.supplier_information_confirm(actor=writer, bid=request)
    support.keep_information(organisation, writer, trading_name="Changed since")
    with pytest.raises(bid_services.BidIncomplete) as refused:
        bid_services.bid_submit(bid=request, actor=writer, declarations=declarations)
    assert [p.text for p in refused.value.problems] == [services.CONFIRM]
    services.supplier_information_confirm(actor=writer, bid=request)
    bid_services.bid_submit(bid=request, actor=writer, declarations=declarations)
    attached = SubmissionSupplierInformation.objects.get(bid=request)
    assert attached.version.number == 2 and attached.attached_at is not None


def test_the_version_at_submission_stays_attached_after_later_changes(authority,
                                                                      commissioner):
    staged = support.designed(authority, commissioner)
    organisation, writer = support.supplier()
    support.keep_information(organisation, writer, legal_name="Original Name Ltd")
    request = support.submit(staged.participation.round, organisation, writer, price=False)
    support.keep_information(organisation, writer, legal_name="Later Name Ltd")
    attached = SubmissionSupplierInformation.objects.get(bid=request)
    assert attached.version.content["legal_name"] == "Original Name Ltd"
    with pytest.raises(ValidationError, match="frozen"):
        services.supplier_information_confirm(actor=writer, bid=request)


def test_a_resubmission_is_confirmed_again(authority, commissioner):
    staged = support.designed(authority, commissioner)
    organisation, writer = support.supplier()
    support.keep_information(organisation, writer)
    request = support.submit(staged.participation.round, organisation, writer, price=False)
    bid_services.bid_withdraw(bid=request, actor=writer)
    with pytest.raises(bid_services.BidIncomplete) as refused:
        bid_services.bid_submit(bid=request, actor=writer)
    assert services.CONFIRM in [p.text for p in refused.value.problems]


def test_an_ordinary_bid_without_kept_information_is_unchanged(published_tender, provider,
                                                               bid_writer, media_root):
    bid = fill_bid(bid_services.bid_start(tender=published_tender, organisation=provider,
                                          actor=bid_writer), bid_writer)
    bid_services.bid_submit(bid=bid, actor=bid_writer)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED
    assert not SubmissionSupplierInformation.objects.filter(bid=bid).exists()


def test_the_commissioner_sees_it_only_after_opening_and_the_read_is_audited(authority,
                                                                           commissioner):
    staged = support.designed(authority, commissioner)
    organisation, writer = support.supplier()
    support.keep_information(organisation, writer)
    request = support.submit(staged.participation.round, organisation, writer, price=False)
    with pytest.raises(PermissionDenied):
        submission_information_for_user(user=commissioner, bid=request)
    support.open_round(staged, staged.participation.round)
    request = Bid.objects.select_related("tender", "organisation").get(pk=request.pk)
    from commissioning.services.evaluation import conflict_declare

    conflict_declare(tender=request.tender, actor=commissioner, has_conflict=False)
    attached = submission_information_for_user(user=commissioner, bid=request)
    assert attached.version.content["legal_name"] == f"{organisation.name} Ltd"
    assert AuditEntry.objects.filter(action="bid.content_viewed", actor_id=commissioner.pk,
                                     object_id=str(request.pk)).exists()
    outsider = factories.member(factories.OrganisationFactory(), "commissioner")
    with pytest.raises(PermissionDenied):
        submission_information_for_user(user=outsider, bid=request)
