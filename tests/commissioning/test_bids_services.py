"""Preparing and submitting bids: completeness, receipts, consortia, lots and incidents."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.models import Bid, BidReceipt, ConsortiumMember
from commissioning.receipts import file_hashes, receipt_files, receipt_text, submission_digest
from commissioning.sealing import unseal
from commissioning.services import bids as services
from core.audit_sealing import audit_detail
from core.models import AuditEntry, Notification
from core.outbox import pending_messages
from organisations.models import Organisation, Role
from tests import factories
from tests.commissioning import factories as cf
from tests.commissioning.bids_support import fill_bid, open_bids, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def bid(published_tender, provider, bid_writer):
    return services.bid_start(tender=published_tender, organisation=provider, actor=bid_writer)


def test_starting_twice_returns_the_same_bid(bid, published_tender, provider, provider_admin):
    again = services.bid_start(tender=published_tender, organisation=provider,
                               actor=provider_admin)
    assert again.pk == bid.pk
    assert AuditEntry.objects.filter(action="bid.started").count() == 1


def test_only_verified_providers_members_can_start(published_tender, commissioner, authority):
    pending = factories.OrganisationFactory(
        verification_status=Organisation.Verification.PENDING)
    writer = factories.member(pending, Role.BID_WRITER)
    with pytest.raises(ValidationError, match="verified"):
        services.bid_start(tender=published_tender, organisation=pending, actor=writer)
    with pytest.raises(PermissionDenied):
        services.bid_start(tender=published_tender, organisation=authority, actor=commissioner)
    with pytest.raises(PermissionDenied):
        services.bid_start(tender=published_tender, organisation=None, actor=commissioner)


def test_submission_lists_everything_missing(bid, bid_writer):
    with pytest.raises(services.BidIncomplete) as refusal:
        services.bid_submit(bid=bid, actor=bid_writer)
    texts = refusal.value.messages
    assert texts == ["Answer question 1", "Enter your total price", "Upload Method statement",
                     "Confirm that the information in your bid is accurate and complete",
                     "Confirm that you have not colluded with other bidders or canvassed anyone"]
    assert Bid.objects.get(pk=bid.pk).status == Bid.Status.DRAFT


def test_word_limits_and_price_sums_block_submission(bid, bid_writer):
    fill_bid(bid, bid_writer)
    question = bid.tender.questions.get()
    question.word_limit = 2
    question.save()
    services.bid_price_save(bid=bid, total=Decimal("100.00"), actor=bid_writer,
                            breakdown=[{"item": "Staff", "amount": Decimal("99.99")}])
    with pytest.raises(services.BidIncomplete) as refusal:
        services.bid_submit(bid=bid, actor=bid_writer)
    assert refusal.value.messages == [
        "Your answer to question 1 must be 2 words or fewer. It has 3 words",
        "Your price breakdown adds up to £99.99, but your total price is £100.00. They must "
        "be the same"]


def test_receipt_hashes_are_correct_and_reproducible(bid, bid_writer, mailoutbox):
    fill_bid(bid, bid_writer)
    receipt = services.bid_submit(bid=bid, actor=bid_writer)
    assert receipt.number.startswith(f"RCPT-{bid.tender.reference}-")
    assert len(receipt.number.rsplit("-", 1)[1]) == 6
    [entry] = receipt_files(receipt)
    assert entry["sha256"] == hashlib.sha256(pdf_bytes("Method")).hexdigest()
    assert entry["name"] == "method.pdf"
    assert "name" not in receipt.file_hashes[0]  # the stored row holds the name sealed
    payload = unseal(tender=bid.tender, blob=Bid.objects.get(pk=bid.pk).sealed_content)
    files = list(bid.files.select_related("document", "slot"))
    assert receipt.submission_sha256 == submission_digest(
        payload, file_hashes(files, tender=bid.tender))
    assert receipt.submission_sha256 == hashlib.sha256(
        ('{"content":' + _canonical(payload) + ',"files":' + _canonical(receipt_files(receipt))
         + "}").encode()).hexdigest()
    assert receipt.received_at.microsecond == Bid.objects.get(pk=bid.pk).submitted_at.microsecond


def _canonical(value) -> str:
    import json

    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_receipt_is_emailed_after_commit_once(bid, bid_writer, provider_admin, mailoutbox):
    fill_bid(bid, bid_writer)
    receipt = services.bid_submit(bid=bid, actor=bid_writer)
    message = pending_messages().filter(task_name="commissioning.send_bid_receipt").get()
    assert message.args == [receipt.pk, bid_writer.pk]
    assert services.bid_receipt_email(receipt_id=receipt.pk, submitter_id=bid_writer.pk)
    assert not services.bid_receipt_email(receipt_id=receipt.pk, submitter_id=bid_writer.pk)
    [email] = mailoutbox
    assert sorted(email.to) == sorted([bid_writer.email, provider_admin.email])
    assert receipt.number in email.subject and receipt.submission_sha256 in email.body
    assert "recruit locally" not in email.body  # the receipt proves content, never shows it
    assert BidReceipt.objects.get(pk=receipt.pk).emailed_at is not None


def test_receipt_text_has_the_time_to_the_microsecond(bid, bid_writer):
    fill_bid(bid, bid_writer)
    receipt = services.bid_submit(bid=bid, actor=bid_writer)
    text = receipt_text(receipt)
    assert receipt.received_at.strftime("%H:%M:%S.%f") in text
    assert receipt.file_hashes[0]["sha256"] in text


def test_duplicate_file_names_are_accepted(bid, bid_writer):
    slot = bid.tender.document_slots.get()
    services.bid_file_add(bid=bid, slot=slot, actor=bid_writer, uploaded_file=pdf_upload("a.pdf"))
    services.bid_file_add(bid=bid, slot=slot, actor=bid_writer,
                          uploaded_file=pdf_upload("a.pdf", text="second"))
    assert bid.files.count() == 2
    assert AuditEntry.objects.filter(action="bid.file_added").count() == 2


def test_files_are_checked_on_upload(bid, bid_writer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.bid_file_add(bid=bid, slot=None, actor=bid_writer,
                              uploaded_file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary"))
    assert not bid.files.exists()


def test_consortium_members_are_verified_providers_added_once(bid, bid_writer):
    partner = factories.OrganisationFactory()
    member = services.bid_consortium_member_add(
        bid=bid, organisation=partner, role=ConsortiumMember.Role.MEMBER,
        responsibilities="Delivers the north of the borough", actor=bid_writer)
    assert member.bid == bid
    with pytest.raises(ValidationError, match="already in your consortium"):
        services.bid_consortium_member_add(bid=bid, organisation=partner, role="member",
                                           responsibilities="", actor=bid_writer)
    with pytest.raises(ValidationError, match="verified provider"):
        services.bid_consortium_member_add(
            bid=bid, organisation=factories.OrganisationFactory(verification_status="pending"),
            role="member", responsibilities="", actor=bid_writer)
    with pytest.raises(ValidationError, match="already leads"):
        services.bid_consortium_member_add(bid=bid, organisation=bid.organisation,
                                           role="member", responsibilities="", actor=bid_writer)
    services.bid_consortium_member_remove(member=member, actor=bid_writer)
    assert not bid.members.exists()


def test_consortium_members_can_read_but_not_change_the_bid(bid, bid_writer):
    partner = factories.OrganisationFactory()
    partner_writer = factories.member(partner, Role.BID_WRITER)
    services.bid_consortium_member_add(bid=bid, organisation=partner, role="member",
                                       responsibilities="North", actor=bid_writer)
    assert partner_writer.has_perm("commissioning.view_bid", bid)
    with pytest.raises(PermissionDenied):
        services.bid_answer_save(bid=bid, question=bid.tender.questions.get(), text="x",
                                 actor=partner_writer)


def test_lots_need_choosing_and_the_lot_limit_applies_at_submission(provider, bid_writer):
    tender = cf.TenderFactory(max_lots_per_supplier=1)
    cf.TenderQuestionFactory(tender=tender, number=1)
    lot1, lot2 = cf.LotFactory(tender=tender, number=1), cf.LotFactory(tender=tender, number=2)
    with pytest.raises(ValidationError, match="Select the lot"):
        services.bid_start(tender=tender, organisation=provider, actor=bid_writer)
    first = fill_bid(services.bid_start(tender=tender, organisation=provider, actor=bid_writer,
                                        lot=lot1), bid_writer)
    second = fill_bid(services.bid_start(tender=tender, organisation=provider, actor=bid_writer,
                                         lot=lot2), bid_writer)
    services.bid_submit(bid=first, actor=bid_writer)
    with pytest.raises(ValidationError) as refusal:
        services.bid_submit(bid=second, actor=bid_writer)
    assert refusal.value.messages == [
        "You can bid for at most 1 lot of this tender. You have already submitted bids for "
        "lot 1. Withdraw one of them before submitting this bid."]
    services.bid_withdraw(bid=first, actor=bid_writer)
    services.bid_submit(bid=second, actor=bid_writer)


def test_submission_and_withdrawal_are_audited_and_admins_told(bid, bid_writer, provider_admin):
    fill_bid(bid, bid_writer)
    receipt = services.bid_submit(bid=bid, actor=bid_writer)
    entry = AuditEntry.objects.get(action="bid.submitted")
    assert receipt.number not in str(entry.changes)  # sealed until the opening
    assert entry.actor_id is None and audit_detail(entry) is None
    services.bid_withdraw(bid=bid, actor=bid_writer)
    assert AuditEntry.objects.filter(action="bid.withdrawn").exists()
    assert Notification.objects.filter(recipient=provider_admin,
                                       subject__startswith="Bid withdrawn").exists()
    open_bids(bid.tender, requested_by=bid_writer, confirmed_by=bid_writer)
    detail = audit_detail(entry)
    assert detail["actor_id"] == bid_writer.pk
    assert detail["changes"]["receipt"] == receipt.number
    assert detail["changes"]["submission_sha256"] == receipt.submission_sha256


def test_only_platform_admins_record_incidents(published_tender, commissioner):
    with pytest.raises(PermissionDenied):
        services.tender_incident_record(
            tender=published_tender, actor=commissioner, reason="Outage",
            new_deadline=published_tender.deadline + timedelta(days=1))


def test_incident_needs_a_reason_and_a_later_deadline(published_tender, platform_admin):
    with pytest.raises(ValidationError) as refusal:
        services.tender_incident_record(tender=published_tender, actor=platform_admin,
                                        reason=" ", new_deadline=published_tender.deadline)
    assert set(refusal.value.error_dict) == {"reason", "new_deadline"}


def test_incident_extends_for_all_and_tells_followers_and_bidders(
        bid, published_tender, platform_admin, bid_writer):
    follower_org = factories.OrganisationFactory()
    follower = factories.member(follower_org, Role.PROVIDER_ADMIN)
    cf.SupplierInterestFactory(tender=published_tender, organisation=follower_org)
    new_deadline = published_tender.deadline + timedelta(days=2)
    services.tender_incident_record(tender=published_tender, actor=platform_admin,
                                    reason="Upload service failed", new_deadline=new_deadline)
    published_tender.refresh_from_db()
    assert published_tender.deadline == new_deadline
    told = set(Notification.objects.filter(subject__startswith="Deadline extended")
               .values_list("recipient_id", flat=True))
    assert {follower.pk, bid_writer.pk} <= told
    # Each notification links to the tender's page (it once named a URL that did not exist).
    assert set(Notification.objects.filter(subject__startswith="Deadline extended")
               .values_list("url", flat=True)) == {
        reverse("commissioning:tender_detail", args=[published_tender.pk])}
    entry = AuditEntry.objects.get(action="tender.deadline_extended")
    assert entry.changes["reason"] == "Upload service failed"
