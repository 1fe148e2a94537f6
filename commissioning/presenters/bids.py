"""What bid pages say about a bid: its status and outcome as the bidder has been told it, and
the tender page's line about the bids a supplier already has."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from commissioning.models import Bid
from core.templatetags.govuk import govuk_date

TAGS = {Bid.Status.SUBMITTED: ("Submitted", "green"), Bid.Status.WITHDRAWN: ("Withdrawn", "orange"),
        Bid.Status.DRAFT: ("Draft", "grey")}


def bid_outcome(bid: Bid) -> dict:
    """The tag and a sentence for "Your bids": the outcome once the bidder has been told it
    (successful, unsuccessful with a link to the assessment summary, disregarded with the
    reason), otherwise where the bid stands. Reads only prefetched rows
    (``bid_record.with_outcomes``)."""
    feedback = reverse("commissioning:feedback", args=[bid.pk])
    if bid.status == Bid.Status.SUBMITTED:
        if getattr(bid, "told_awards", None):
            return {"text": "Successful", "colour": "green", "href": feedback,
                    "link": "Read your assessment summary",
                    "detail": "Your bid was chosen for award."}
        if bid.disregarded_reason:
            return {"text": "Disregarded", "colour": "red", "href": "", "link": "",
                    "detail": f"Reason: {bid.disregarded_reason}"}
        if getattr(bid, "sent_summaries", None):
            return {"text": "Unsuccessful", "colour": "red", "href": feedback,
                    "link": "Read your assessment summary",
                    "detail": "Another bid was chosen for award."}
    text, colour = TAGS.get(bid.status, ("Draft", "grey"))
    deadline = bid.tender.deadline
    if bid.status != Bid.Status.SUBMITTED and deadline and deadline <= timezone.now():
        return {"text": "Not submitted", "colour": "grey", "href": "", "link": "",
                "detail": "The deadline passed before this bid was submitted."}
    return {"text": text, "colour": colour, "href": "", "link": "", "detail": ""}


def bid_list_rows(bids, organisation) -> list[dict]:
    rows = []
    for bid in bids:
        receipts = list(bid.receipts.all())  # prefetched, latest first
        outcome = bid_outcome(bid)
        if bid.organisation_id != getattr(organisation, "pk", None):
            outcome = {**outcome, "href": "", "link": ""}  # the summary is the lead's to read
        rows.append({
            "bid": bid, "outcome": outcome,
            "receipt": receipts[0] if receipts and bid.status == Bid.Status.SUBMITTED else None,
            "led_by": bid.organisation.name if bid.organisation_id != getattr(
                organisation, "pk", None) else "",
        })
    return rows


def own_bid_lines(bids: list[Bid], *, is_open: bool = True) -> list[dict]:
    """One line per bid the organisation has for a tender, for the tender page."""
    lines = []
    for bid in bids:
        lot = f" for lot {bid.lot.number}" if bid.lot_id else ""
        if bid.status == Bid.Status.SUBMITTED:
            lines.append({"text": f"You submitted a bid{lot} on "
                                  f"{govuk_date(bid.submitted_at, True)}.",
                          "link": "View the bid you sent",
                          "href": reverse("commissioning:bid_sent", args=[bid.pk])})
        elif bid.status == Bid.Status.WITHDRAWN:
            lines.append({"text": f"You withdrew your bid{lot} on "
                                  f"{govuk_date(bid.withdrawn_at, True)}.",
                          "link": "Open your bid",
                          "href": reverse("commissioning:bid_detail", args=[bid.pk])})
        elif not is_open:
            lines.append({"text": f"Your bid{lot} was not submitted before the deadline.",
                          "link": "Open your bid",
                          "href": reverse("commissioning:bid_detail", args=[bid.pk])})
        else:
            lines.append({"text": f"You have started a bid{lot}. It is not submitted yet.",
                          "link": "Continue your bid",
                          "href": reverse("commissioning:bid_detail", args=[bid.pk])})
    return lines
