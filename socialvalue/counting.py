"""Counting rules for bid commitments: what may be claimed, and how it is counted.

The rules run on every draft save (``services.commitments_check``) and again when the sealed
bid is opened (``services.commitments_record``), where the issues become flags evaluators see.
An entry is a dict with the keys of ``ENTRY_FIELDS`` (strings, Decimals or booleans), and
optionally ``fte`` and ``years`` (FTE × years must equal the quantity of an FTE-years measure;
``years`` must be 1 for a measure counted in the first year only).

The rules, in the order they are checked:

1. Required: quantity (a number above 0), delivery plan, named owner, milestones and method
   statement: the quantitative and the qualitative answer, or the commitment does not count.
2. Deadweight and attribution are percentages from 0 to 100.
3. FTE-years = FTE × years; less than 0.1 FTE-year is flagged as implausible.
4. First-year-only measures (hiring disadvantaged people) count one year of employment only.
5. Local-only measures count local delivery only.
6. Core deliverables of the contract are never social value.
7. No double counting: one bid may claim only one measure of a mutually exclusive group.
8. Implausible claims are flagged to evaluators: a "£ spend" quantity of the whole contract
   value or more (a whole-fee claim), and a monetised total above the contract value.

Nothing here compares social value with a percentage of the contract value: the social value
weight is an evaluation weight, not a monetary target.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from core.money import format_gbp
from socialvalue.models import Measure, PlanMeasure
from socialvalue.monetisation import HUNDRED, Monetised, monetise

ERROR: Literal["error"] = "error"
WARNING: Literal["warning"] = "warning"
ENTRY_FIELDS = (
    "plan_measure_id", "quantity", "delivery_plan", "owner_name", "milestones",
    "method_statement", "is_local", "is_core_deliverable", "deadweight", "attribution",
)
REQUIRED_TEXT = {
    "delivery_plan": "Enter a delivery plan",
    "owner_name": "Enter the name of the person who owns this commitment",
    "milestones": "Enter the milestones",
    "method_statement": "Enter a method statement",
}
MAX_QUANTITY = Decimal("999999999999.99")
SMALLEST_FTE_YEARS = Decimal("0.1")


@dataclass(frozen=True)
class Issue:
    """One problem with one entry (``plan_measure_id`` None: with the commitments as a whole)."""

    plan_measure_id: int | None
    field: str
    message: str
    severity: Literal["error", "warning"]

    def as_flag(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "severity": self.severity}


@dataclass(frozen=True)
class CleanEntry:
    plan_measure: PlanMeasure
    quantity: Decimal | None
    deadweight: Decimal
    attribution: Decimal
    raw: Mapping[str, Any]

    @property
    def measure(self) -> Measure:
        return self.plan_measure.measure


def to_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool | float):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def to_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on", "y"}
    return bool(value)


def is_blank(value: Any) -> bool:
    return value is None or not str(value).strip()


def check_entries(
    *, plan_measures: Iterable[PlanMeasure], entries: list[Mapping[str, Any]],
    contract_value: Decimal | None,
) -> tuple[list[Issue], list[CleanEntry]]:
    """All issues of a bid's entries, and the entries that could be read."""
    by_id = {pm.pk: pm for pm in plan_measures}
    issues: list[Issue] = []
    cleaned: list[CleanEntry] = []
    seen: set[int] = set()
    for entry in entries:
        plan_measure = _plan_measure(entry, by_id, seen, issues)
        if plan_measure is None:
            continue
        clean = _check_entry(plan_measure, entry, issues)
        cleaned.append(clean)
    issues += _double_counting(cleaned)
    issues += _missing(by_id, seen)
    issues += _implausible(cleaned, contract_value)
    return issues, cleaned


def monetise_entry(clean: CleanEntry) -> Monetised:
    proxy = clean.plan_measure.proxy_value
    return monetise(
        quantity=clean.quantity or Decimal("0"), proxy=proxy.value if proxy else None,
        deadweight=clean.deadweight, attribution=clean.attribution,
    )


def _plan_measure(entry, by_id, seen, issues) -> PlanMeasure | None:
    raw_id = to_decimal(entry.get("plan_measure_id"))
    pk = int(raw_id) if raw_id is not None and raw_id == raw_id.to_integral_value() else None
    if pk not in by_id:
        issues.append(Issue(pk, "plan_measure_id", "This measure is not part of the social "
                            "value plan of this procurement", ERROR))
        return None
    if pk in seen:
        issues.append(Issue(pk, "plan_measure_id", "Enter one commitment per measure", ERROR))
        return None
    seen.add(pk)
    return by_id[pk]


def _check_entry(plan_measure: PlanMeasure, entry: Mapping[str, Any], issues: list[Issue]):
    pk = plan_measure.pk
    quantity = _quantity(pk, entry, issues)
    for name, message in REQUIRED_TEXT.items():
        if is_blank(entry.get(name)):
            issues.append(Issue(pk, name, message, ERROR))
    deadweight = _percentage(pk, entry, "deadweight", Decimal("0"), "Deadweight", issues)
    attribution = _percentage(pk, entry, "attribution", HUNDRED, "Attribution", issues)
    clean = CleanEntry(plan_measure, quantity, deadweight, attribution, entry)
    issues += _measure_rules(clean)
    return clean


def _quantity(pk: int, entry, issues) -> Decimal | None:
    raw = entry.get("quantity")
    if is_blank(raw):
        issues.append(Issue(pk, "quantity", "Enter a quantity", ERROR))
        return None
    quantity = to_decimal(raw)
    if quantity is None:
        issues.append(Issue(pk, "quantity", "Quantity must be a number, like 12 or 2.5", ERROR))
        return None
    if quantity <= 0:
        issues.append(Issue(pk, "quantity", "Quantity must be more than 0", ERROR))
        return None
    if quantity > MAX_QUANTITY or quantity != quantity.quantize(Decimal("0.01")):
        issues.append(Issue(pk, "quantity", "Quantity must have no more than 2 decimal "
                            "places and be less than 1 trillion", ERROR))
        return None
    return quantity


def _percentage(pk, entry, name, default, label, issues) -> Decimal:
    raw = entry.get(name)
    if is_blank(raw):
        return default
    value = to_decimal(raw)
    if value is None or not Decimal("0") <= value <= HUNDRED:
        issues.append(Issue(pk, name, f"{label} must be a percentage from 0 to 100", ERROR))
        return default
    return value


def _measure_rules(clean: CleanEntry) -> list[Issue]:
    issues = _fte_rules(clean)
    pk, measure, raw = clean.plan_measure.pk, clean.measure, clean.raw
    if measure.local_only and not to_bool(raw.get("is_local", True)):
        issues.append(Issue(pk, "is_local", f"Only delivery in the local area counts for "
                            f"“{measure.name}”", ERROR))
    if to_bool(raw.get("is_core_deliverable", False)):
        issues.append(Issue(pk, "is_core_deliverable", "Core deliverables of the contract "
                            "cannot be claimed as social value", ERROR))
    return issues


def _fte_rules(clean: CleanEntry) -> list[Issue]:
    pk, measure, raw, issues = clean.plan_measure.pk, clean.measure, clean.raw, []
    years = to_decimal(raw.get("years")) if not is_blank(raw.get("years")) else None
    if measure.first_year_only and years is not None and years != 1:
        issues.append(Issue(pk, "years", "This measure counts the first year of employment "
                            "only: enter 1 year", ERROR))
    if measure.unit != Measure.Unit.FTE_YEARS or clean.quantity is None:
        return issues
    fte = to_decimal(raw.get("fte")) if not is_blank(raw.get("fte")) else None
    if fte is not None and years is not None and fte * years != clean.quantity:
        issues.append(Issue(pk, "quantity", f"FTE-years must be FTE × years: {fte.normalize():f}"
                            f" × {years.normalize():f} = {(fte * years).normalize():f}", ERROR))
    if clean.quantity < SMALLEST_FTE_YEARS:
        issues.append(Issue(pk, "quantity", "Less than 0.1 FTE-year is unlikely to be a real "
                            "job: check the quantity", WARNING))
    return issues


def _double_counting(cleaned: list[CleanEntry]) -> list[Issue]:
    groups: dict[str, list[CleanEntry]] = defaultdict(list)
    for clean in cleaned:
        if clean.measure.double_count_group and clean.quantity:
            groups[clean.measure.double_count_group].append(clean)
    issues = []
    for members in groups.values():
        if len(members) < 2:
            continue
        names = ", ".join(f"“{m.measure.name}”" for m in members)
        for member in members:
            issues.append(Issue(member.plan_measure.pk, "quantity", f"The same activity cannot "
                                f"be counted twice: claim only one of {names}", ERROR))
    return issues


def _missing(by_id: dict[int, PlanMeasure], seen: set[int]) -> list[Issue]:
    return [
        Issue(pk, "quantity", f"No commitment entered for “{pm.measure.name}”", WARNING)
        for pk, pm in by_id.items() if pk not in seen
    ]


def _implausible(cleaned: list[CleanEntry], contract_value: Decimal | None) -> list[Issue]:
    if not contract_value or contract_value <= 0:
        return []
    issues = []
    for clean in cleaned:
        if clean.measure.unit == Measure.Unit.GBP and clean.quantity and (
                clean.quantity >= contract_value):
            issues.append(Issue(clean.plan_measure.pk, "quantity", "This claims the whole "
                                "contract value or more as social value", WARNING))
    total = sum((monetise_entry(c).value or Decimal("0") for c in cleaned if c.quantity),
                Decimal("0"))
    if total > contract_value:
        issues.append(Issue(None, "quantity", f"The monetised indicator ({format_gbp(total)}) "
                            f"is more than the contract value ({format_gbp(contract_value)})",
                            WARNING))
    return issues
