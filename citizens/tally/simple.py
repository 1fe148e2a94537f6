"""Consent and approval tallies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from fractions import Fraction

from citizens.tally import fmt

CONSENT_CHOICES = ("agree", "abstain", "disagree", "block")


def consent(ballots: Iterable[dict], *, threshold_percent: int) -> dict:
    """Passes when nobody blocks and agree / (agree + disagree) reaches the threshold.

    Abstentions count towards turnout (quorum) but not towards the share.
    """
    counts = Counter({choice: 0 for choice in CONSENT_CHOICES})
    for ballot in ballots:
        counts[ballot["choice"]] += 1
    decided = counts["agree"] + counts["disagree"]
    share = Fraction(counts["agree"], decided) if decided else Fraction(0)
    if counts["block"]:
        outcome = "blocked"
    elif decided and share * 100 >= threshold_percent:
        outcome = "passed"
    else:
        outcome = "not_passed"
    return {"counts": dict(counts), "agree_share": fmt(share), "outcome": outcome,
            "winners": []}


def approval(ballots: Iterable[dict], *, options: Sequence[str], seats: int,
             threshold_percent: int, priority: Sequence[str]) -> dict:
    """The `seats` most-approved options win, if approved by at least the threshold share.

    Ties at the cut are broken by the published priority order.
    """
    counts = Counter({oid: 0 for oid in options})
    voters = 0
    for ballot in ballots:
        voters += 1
        for oid in set(ballot["approved"]):
            counts[oid] += 1
    rank = {oid: i for i, oid in enumerate(priority)}
    ordered = sorted(options, key=lambda oid: (-counts[oid], rank[oid]))
    eligible = [oid for oid in ordered
                if voters and counts[oid] > 0 and counts[oid] * 100 >= threshold_percent * voters]
    winners = eligible[:seats]
    return {"counts": dict(counts), "order": ordered, "winners": winners,
            "outcome": "decided" if winners else "no_winner"}
