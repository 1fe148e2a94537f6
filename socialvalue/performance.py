"""Committed against delivered: RAG per target and overall, and contract performance ratings.

Only ACCEPTED reports count as delivered. A target is *due* once its period has ended; a period
that has not ended counts only when a report for it was already accepted.

- RAG: green when delivery is at least 100% − tolerance; amber down to 100% − 2 × tolerance;
  red below that (tolerance is the ledger's, 10% by default).
- Overall: the mean, across commitments with something due, of each commitment's delivery so
  far (delivered ÷ due targets, capped at 100% so over-delivery on one measure never hides
  under-delivery on another).
- Rating, as in Procurement Act 2023 contract performance notices: Good (green), Approaching
  target (amber), Requires improvement (down to 100% − 4 × tolerance), Inadequate (below), and
  Other when nothing is due yet. Suppliers and authorities are rated on the mean of their
  contracts' overall delivery, with the default tolerance.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from socialvalue.models import DeliveryReport, DeliveryTarget

HUNDRED = Decimal("100")
DEFAULT_TOLERANCE = Decimal("10")
GREEN, AMBER, RED, NOT_DUE = "green", "amber", "red", "not_due"
RAG_LABELS = {GREEN: "Green", AMBER: "Amber", RED: "Red", NOT_DUE: "Not due"}
RAG_COLOURS = {GREEN: "green", AMBER: "yellow", RED: "red", NOT_DUE: "grey"}
GOOD, APPROACHING, IMPROVE, INADEQUATE, OTHER = (
    "Good", "Approaching target", "Requires improvement", "Inadequate", "Other")
RATING_COLOURS = {GOOD: "green", APPROACHING: "yellow", IMPROVE: "orange", INADEQUATE: "red",
                  OTHER: "grey"}


def percent(delivered: Decimal, target: Decimal) -> Decimal:
    if target <= 0:
        return HUNDRED
    return (delivered / target * HUNDRED).quantize(Decimal("0.1"))


def rag(value: Decimal | None, tolerance: Decimal = DEFAULT_TOLERANCE) -> str:
    if value is None:
        return NOT_DUE
    if value >= HUNDRED - tolerance:
        return GREEN
    return AMBER if value >= HUNDRED - 2 * tolerance else RED


def rating(value: Decimal | None, tolerance: Decimal = DEFAULT_TOLERANCE) -> str:
    if value is None:
        return OTHER
    if value >= HUNDRED - tolerance:
        return GOOD
    if value >= HUNDRED - 2 * tolerance:
        return APPROACHING
    return IMPROVE if value >= HUNDRED - 4 * tolerance else INADEQUATE


def accepted_sum():
    return Sum("reports__actual", filter=Q(reports__status=DeliveryReport.Status.ACCEPTED))


@dataclass(frozen=True)
class TargetRow:
    ledger_id: int
    commitment_id: int
    target: Decimal
    delivered: Decimal
    period_end: datetime.date
    has_accepted: bool


def target_rows(targets) -> list[TargetRow]:
    """One query: each target with what was accepted against it."""
    rows = targets.order_by().values("ledger_id", "commitment_id", "target", "period_end",
                                     "pk").annotate(delivered=accepted_sum())
    return [TargetRow(r["ledger_id"], r["commitment_id"], r["target"], r["delivered"] or 0,
                      r["period_end"], r["delivered"] is not None) for r in rows]


def is_due(row, today: datetime.date) -> bool:
    return row.period_end < today or row.has_accepted


def commitment_percentages(rows: Iterable[TargetRow], today) -> dict[int, Decimal]:
    due, delivered = defaultdict(Decimal), defaultdict(Decimal)
    for row in rows:
        if is_due(row, today):
            due[row.commitment_id] += row.target
            delivered[row.commitment_id] += row.delivered
    return {pk: percent(delivered[pk], due[pk]) for pk in due}


def overall(percentages: Iterable[Decimal]) -> Decimal | None:
    values = [min(value, HUNDRED) for value in percentages]
    if not values:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.1"))


def ledger_percentages(ledger_ids: Iterable[int], today) -> dict[int, Decimal | None]:
    """Overall delivery of each ledger, in one query."""
    ids = list(ledger_ids)
    rows = target_rows(DeliveryTarget.objects.filter(ledger_id__in=ids))
    by_ledger: dict[int, list[TargetRow]] = defaultdict(list)
    for row in rows:
        by_ledger[row.ledger_id].append(row)
    return {pk: overall(commitment_percentages(by_ledger[pk], today).values()) for pk in ids}


def mean_rating(values: Iterable[Decimal | None]) -> tuple[Decimal | None, str]:
    """The rating of a supplier or authority across its contracts."""
    value = overall(v for v in values if v is not None)
    return value, rating(value)
