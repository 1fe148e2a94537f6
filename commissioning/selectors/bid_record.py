"""Reads of what a bidder sent: the submitted bid as it was received, its outcome, and the
bids an organisation holds for one tender.

All content goes through ``bids.bid_overview`` (the bidder's own accessor of ADR 0011: after
the opening each read is audited) and receipts through ``receipts_files_for_user``; nothing
here unseals anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404

from commissioning.models import AssessmentSummary, Award, Bid, BidReceipt, Tender
from commissioning.receipts import submission_digest
from commissioning.selectors import bids as bid_selectors
from organisations.models import Organisation

MADE = [Award.Status.APPROVED, Award.Status.STANDSTILL, Award.Status.CONTRACTED]


@dataclass
class SentBid:
    """The submitted bid, part by part, with the receipt it was issued and whether they agree."""

    bid: Bid
    overview: bid_selectors.BidOverview
    receipt: BidReceipt
    receipt_files: list[dict[str, Any]]
    commitments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def matches_receipt(self) -> bool:
        """True when the content and files hash to the receipt's SHA-256 of the whole bid."""
        hashes = [{k: entry[k] for k in ("slot", "name", "size", "sha256")}
                  for entry in self.receipt_files]
        return submission_digest(self.overview.payload, hashes) == self.receipt.submission_sha256


def sent_bid_for_user(*, user, pk: int) -> SentBid:
    """The bid exactly as submitted, for its own organisation and consortium (404 otherwise,
    and 404 while it is not submitted: a draft is read on its task list)."""
    bid = bid_selectors.bid_get_for_user(user=user, pk=pk)
    receipt = bid_selectors.latest_receipt(bid=bid)
    if receipt is None:
        raise Http404("This bid is not submitted.")
    overview = bid_selectors.bid_overview(bid=bid, user=user)
    files = bid_selectors.receipt_files_for_user(user=user, receipt=receipt)
    return SentBid(bid=bid, overview=overview, receipt=receipt, receipt_files=files,
                   commitments=_commitments(bid, overview.payload))


def _commitments(bid: Bid, payload: dict[str, Any]) -> list[dict[str, Any]]:
    entries = payload.get("social_value") or []
    plan = bid.tender.social_value_plan
    if not entries or plan is None:
        return []
    measures = {pm.pk: pm.measure for pm in plan.measures.select_related("measure")}
    rows = []
    for entry in entries:
        measure = measures.get(entry.get("plan_measure_id"))
        rows.append({**entry, "measure": measure.name if measure else "A measure no longer "
                     "in the plan", "code": measure.code if measure else "",
                     "unit": measure.get_unit_display() if measure else ""})
    return rows


def own_bids_for_tender(*, user, organisation: Organisation | None,
                        tender: Tender) -> list[Bid]:
    """The bids the user's organisation leads or joins for the tender, for the tender page
    ("You submitted a bid on ..."): their status and dates only, never their content."""
    if organisation is None or not user.is_authenticated:
        return []
    bids = bid_selectors.bids_for_organisation(user=user, organisation=organisation)
    return list(bids.filter(tender=tender).order_by("lot__number", "pk"))


def with_outcomes(bids):
    """`bids` with what the bidder has been told: awards made to them (after the assessment
    summaries were sent) and their own sent summaries, prefetched (two queries a page)."""
    told = Award.objects.filter(status__in=MADE, assessment_summaries_sent_at__isnull=False)
    summaries = (AssessmentSummary.objects.filter(sent_at__isnull=False)
                 .filter(~Q(award__status=Award.Status.CANCELLED)).order_by("-sent_at"))
    return bids.prefetch_related(Prefetch("awards", queryset=told, to_attr="told_awards"),
                                 Prefetch("assessment_summaries", queryset=summaries,
                                          to_attr="sent_summaries"))
