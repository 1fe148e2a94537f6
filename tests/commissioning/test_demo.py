"""`manage.py seed_demo`: tenders in every state, through the services, safe to run twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from commissioning.demo.content import SEALED_PHRASE
from commissioning.models import (
    Bid,
    BidReceipt,
    CitizensDelegation,
    Clarification,
    ModeratedScore,
    Release,
    StagedProcedure,
    Tender,
)
from core.audit import audit_verify
from core.models import AuditEntry
from socialvalue.models import DeliveryReport


def _counts() -> dict[str, int]:
    return {"tenders": Tender.objects.count(), "bids": Bid.objects.count(),
            "releases": Release.objects.count(), "audit": AuditEntry.objects.count(),
            "receipts": BidReceipt.objects.count(),
            "reports": DeliveryReport.objects.count()}


@pytest.mark.django_db
def test_seed_demo_covers_every_state_and_is_idempotent(media_root):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()

    statuses = set(Tender.objects.values_list("status", flat=True))
    assert statuses == set(Tender.Status.values)

    submitted = Bid.objects.filter(status=Bid.Status.SUBMITTED)
    assert submitted.count() >= 10
    assert not submitted.filter(receipts__isnull=True).exists()
    assert Bid.objects.filter(status=Bid.Status.DRAFT).exists()

    public = Tender.objects.exclude(published_at__isnull=True)
    # every state but draft, plus reserved, plus the staged procedure (its rounds stay private)
    assert public.count() == len(Tender.Status.values) + 1, sorted(
        public.values_list("reference", "authority__name"))
    reserved = Tender.objects.get(is_reserved_for_mutuals=True)
    disregarded = reserved.bids.exclude(disregarded_reason="")
    assert [b.organisation.name for b in disregarded] == ["Riverside Community Trust"]
    assert reserved.bids.filter(disregarded_reason="").get().organisation.name == (
        "Northshire Care Mutual")
    for tender in public:
        assert Release.objects.filter(tender=tender).exists(), tender.reference
    assert set(DeliveryReport.objects.values_list("status", flat=True)) == {
        DeliveryReport.Status.ACCEPTED, DeliveryReport.Status.SUBMITTED}

    procedure = StagedProcedure.objects.get()
    assert procedure.shortlist.filter(included=True).count() == 3
    kinds = list(procedure.stages.values_list("kind", "round__status"))
    assert kinds == [("participation", "opened"), ("negotiation", "opened")]
    assert procedure.tender.status == "published" and procedure.tender.bids.filter(
        status=Bid.Status.SUBMITTED).count() == 1
    assert procedure.refinements.exists() and procedure.stages.last().meetings.exists()
    # A question asked in the negotiation round, answered to that round's suppliers only.
    round_question = Clarification.objects.get(tender=procedure.stages.last().round)
    assert round_question.answered_at is not None
    staged_bids = Bid.objects.filter(tender__in=[procedure.tender_id, *procedure.stages.values_list(
        "round_id", flat=True)], status=Bid.Status.SUBMITTED)
    assert staged_bids.count() == 7
    assert not staged_bids.filter(supplier_information__attached_at__isnull=True).exists()

    # The young commissioners scored the youth tender's quality questions (easy-read answers).
    youth = Tender.objects.get(reference="NSH-2026-012")
    delegation = youth.citizens_delegations.get()
    assert delegation.status == CitizensDelegation.Status.SCORED
    assert delegation.panel_title == "Northshire Young Commissioners"
    assert delegation.summaries.count() == 3 * 2  # three bids, questions 1 and 2
    quality = youth.criteria.get(kind="quality")
    assert ModeratedScore.objects.filter(criterion=quality).count() == 3

    phrase = SEALED_PHRASE.encode()
    for content in Bid.objects.values_list("sealed_content", flat=True):
        assert phrase not in bytes(content)

    assert audit_verify().ok

    text = out.getvalue()
    for tender in Tender.objects.all():
        assert tender.reference in text

    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    assert audit_verify().ok
