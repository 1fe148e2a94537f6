"""Budget allocation by the Method of Equal Shares (approval ballots, cost utilities).

Published rules (Peters & Skowron's rule as used in participatory budgeting):

1. Every voter gets an equal share of the budget: budget / number of voters.
2. A project is affordable if its supporters together still hold its cost. For each
   affordable project find the smallest per-unit price ρ such that the supporters, each
   paying min(their money left, ρ × cost), cover the cost exactly.
3. Fund the affordable project with the smallest ρ (ties: more supporters, then the
   published priority order); its supporters pay; repeat until nothing is affordable.
4. Completion: the money MES left is spent greedily on the remaining projects by number of
   supporters (ties: priority order), each funded if it still fits within the budget.

Money is handled in pence with exact fractions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

from citizens.tally import fmt


def _price(cost: Fraction, money: list[Fraction]) -> Fraction | None:
    """Smallest payment cap α with Σ min(m, α) = cost (None if unaffordable)."""
    if sum(money) < cost:
        return None
    remaining, ordered = cost, sorted(money)
    for i, m in enumerate(ordered):
        payers = len(ordered) - i
        if m * payers >= remaining:
            return remaining / payers
        remaining -= m
    return None  # pragma: no cover  (sum(money) >= cost makes the loop return)


def equal_shares(ballots: Iterable[dict], *, options: Sequence[str],
                 costs: dict[str, Fraction], budget: Fraction,
                 priority: Sequence[str]) -> dict:
    approvals = [set(b["approved"]) for b in ballots]
    supporters = {oid: [i for i, a in enumerate(approvals) if oid in a] for oid in options}
    rank = {oid: i for i, oid in enumerate(priority)}
    voters = len(approvals)
    money = [budget / voters] * voters if voters else []
    funded, steps, spent = [], [], Fraction(0)
    while True:
        best = None
        for oid in options:
            if oid in funded or not supporters[oid] or costs[oid] <= 0:
                continue
            alpha = _price(costs[oid], [money[i] for i in supporters[oid]])
            if alpha is None:
                continue
            key = (alpha / costs[oid], -len(supporters[oid]), rank[oid])
            if best is None or key < best[0]:
                best = (key, oid, alpha)
        if best is None:
            break
        _, oid, alpha = best
        for i in supporters[oid]:
            money[i] -= min(money[i], alpha)
        funded.append(oid)
        spent += costs[oid]
        steps.append({"funded": oid, "rho": fmt(best[0][0]), "max_payment": fmt(alpha),
                      "by": "equal shares"})
    by_support = sorted((oid for oid in options if oid not in funded),
                        key=lambda oid: (-len(supporters[oid]), rank[oid]))
    for oid in by_support:
        if supporters[oid] and spent + costs[oid] <= budget:
            funded.append(oid)
            spent += costs[oid]
            steps.append({"funded": oid, "by": "completion"})
    return {"winners": funded, "steps": steps, "spent": fmt(spent),
            "left": fmt(budget - spent), "supporters": {o: len(s) for o, s in supporters.items()},
            "outcome": "decided" if funded else "no_winner"}
