"""Score (rubric) tally: criteria × weights, averaged over the ballots that scored an option.

An option's panel score is the mean over ballots of Σ(weight × score) / Σ(weights), reported
per criterion too. Options are ranked by that score; ties by the published priority order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

from citizens.tally import fmt


def score(ballots: Iterable[dict], *, options: Sequence[str], criteria: dict[str, int],
          score_max: int, seats: int, priority: Sequence[str]) -> dict:
    total_weight = sum(criteria.values())
    sums = {oid: {cid: 0 for cid in criteria} for oid in options}
    counts = dict.fromkeys(options, 0)
    for ballot in ballots:
        for oid, marks in ballot["scores"].items():
            counts[oid] += 1
            for cid, mark in marks.items():
                sums[oid][cid] += mark
    overall, per_criterion = {}, {}
    for oid in options:
        n = counts[oid]
        means = {cid: Fraction(sums[oid][cid], n) if n else Fraction(0) for cid in criteria}
        per_criterion[oid] = {cid: fmt(m) for cid, m in means.items()}
        overall[oid] = (sum(means[cid] * w for cid, w in criteria.items()) / total_weight
                        if total_weight else Fraction(0))
    rank = {oid: i for i, oid in enumerate(priority)}
    ordered = sorted(options, key=lambda oid: (-overall[oid], rank[oid]))
    return {"scores": {oid: fmt(v) for oid, v in overall.items()},
            "percent": {oid: fmt(v * 100 / score_max) if score_max else "0"
                        for oid, v in overall.items()},
            "per_criterion": per_criterion, "ballots_per_option": counts, "order": ordered,
            "winners": ordered[:seats] if any(counts.values()) else [],
            "outcome": "decided" if any(counts.values()) else "no_winner"}
