"""Ranked tallies: instant run-off (one winner) and STV with the Droop quota (several).

Published rules:

* A ballot counts for its highest-ranked continuing option; a ballot with none is exhausted.
* IRV: an option with more than half of the non-exhausted ballots wins. Otherwise the option
  with fewest votes is eliminated. Ties for elimination look back at earlier rounds (the one
  with fewer votes in the most recent round where they differ goes); if still tied, the option
  later in the published priority order goes.
* STV: quota = floor(valid ballots / (seats + 1)) + 1 (Droop). The option with most votes at
  or above the quota is elected (ties: priority order); its surplus moves on with every ballot
  it holds at weight × surplus / its votes (Gregory method, exact fractions). When no option
  reaches the quota, the lowest is eliminated as for IRV. When the continuing options are no
  more than the seats left, they are all elected.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

from citizens.tally import fmt


def _top(ranking: Sequence[str], continuing: set[str]) -> str | None:
    return next((oid for oid in ranking if oid in continuing), None)


def _count(ballots, continuing: set[str]) -> dict[str, Fraction]:
    totals = {oid: Fraction(0) for oid in continuing}
    for ranking, weight in ballots:
        top = _top(ranking, continuing)
        if top is not None:
            totals[top] += weight
    return totals


def _loser(totals: dict[str, Fraction], history: list[dict[str, Fraction]],
           rank: dict[str, int]) -> str:
    lowest = min(totals.values())
    tied = [oid for oid, votes in totals.items() if votes == lowest]
    for earlier in reversed(history):
        if len(tied) == 1:
            break
        least = min(earlier.get(oid, Fraction(0)) for oid in tied)
        tied = [oid for oid in tied if earlier.get(oid, Fraction(0)) == least]
    return max(tied, key=lambda oid: rank[oid])


def _rounds_json(history: list[dict[str, Fraction]]) -> list[dict[str, str]]:
    return [{oid: fmt(v) for oid, v in totals.items()} for totals in history]


def irv(ballots: Iterable[dict], *, options: Sequence[str], priority: Sequence[str]) -> dict:
    """Instant run-off voting for one winner (see the module docstring for the rules)."""
    weighted = [(b["ranking"], Fraction(1)) for b in ballots if b["ranking"]]
    rank = {oid: i for i, oid in enumerate(priority)}
    continuing, history, eliminated = set(options), [], []
    while continuing:
        totals = _count(weighted, continuing)
        active = sum(totals.values())
        history.append(totals)
        leader = min(continuing, key=lambda oid: (-totals[oid], rank[oid]))
        if len(continuing) == 1 or (active and totals[leader] * 2 > active):
            return {"rounds": _rounds_json(history), "eliminated": eliminated,
                    "winners": [leader] if active else [],
                    "outcome": "decided" if active else "no_winner"}
        loser = _loser(totals, history[:-1], rank)
        continuing.discard(loser)
        eliminated.append(loser)
    return {"rounds": _rounds_json(history), "eliminated": eliminated, "winners": [],
            "outcome": "no_winner"}


def droop_quota(valid: int, seats: int) -> int:
    return valid // (seats + 1) + 1


def stv(ballots: Iterable[dict], *, options: Sequence[str], seats: int,
        priority: Sequence[str]) -> dict:
    """Single transferable vote with the Droop quota and Gregory surplus transfers."""
    piles = [[b["ranking"], Fraction(1)] for b in ballots if b["ranking"]]
    quota = droop_quota(len(piles), seats)
    rank = {oid: i for i, oid in enumerate(priority)}
    continuing, elected, eliminated, history, events = set(options), [], [], [], []
    while len(elected) < seats and continuing:
        if len(continuing) <= seats - len(elected):
            for oid in sorted(continuing, key=lambda o: rank[o]):
                elected.append(oid)
                events.append({"elected": oid, "reason": "remaining seats"})
            break
        totals = _count(piles, continuing)
        history.append(totals)
        reached = [oid for oid in continuing if totals[oid] >= quota]
        if reached:
            winner = min(reached, key=lambda oid: (-totals[oid], rank[oid]))
            surplus = totals[winner] - quota
            ratio = surplus / totals[winner] if totals[winner] else Fraction(0)
            for pile in piles:
                if _top(pile[0], continuing) == winner:
                    pile[1] *= ratio
            continuing.discard(winner)
            elected.append(winner)
            events.append({"elected": winner, "surplus": fmt(surplus),
                           "transfer_value": fmt(ratio)})
            continue
        loser = _loser(totals, history[:-1], rank)
        continuing.discard(loser)
        eliminated.append(loser)
        events.append({"eliminated": loser})
    return {"quota": quota, "valid_ballots": len(piles), "rounds": _rounds_json(history),
            "events": events, "eliminated": eliminated, "winners": elected,
            "outcome": "decided" if elected else "no_winner"}
