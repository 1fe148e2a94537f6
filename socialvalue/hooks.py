"""What socialvalue learns from the apps that use it, without importing them.

socialvalue sits below commissioning (and later grants), so it cannot ask a tender for its
title or its authority's minimum social value weight. Those apps register small functions here
from their ``AppConfig.ready()``; each has a sensible default so socialvalue works alone::

    from socialvalue import hooks
    hooks.register_min_weight(lambda authority: settings_of(authority).min_social_value_weight)
    hooks.register_plan_context(tender_labels_for_plans)   # {plan_id: Context(label, url)}
    hooks.register_plan_lock(lambda plan: "The tender is published" if ... else None)
    hooks.register_ledger_context(contract_labels_for_ledgers)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

DEFAULT_MIN_WEIGHT = Decimal("10")


@dataclass(frozen=True)
class Context:
    """What a plan or ledger belongs to, for people: "Tender CC-2026-014: Home care", a URL."""

    label: str
    url: str = ""


ContextResolver = Callable[[list[int]], dict[int, Context]]

_min_weight: Callable[[object], Decimal] | None = None
_plan_lock: Callable[[object], str | None] | None = None
# Several apps own plans and ledgers (contracts, grants): each registers a resolver.
_plan_context: list[ContextResolver] = []
_ledger_context: list[ContextResolver] = []


def register_min_weight(function: Callable[[object], Decimal]) -> None:
    global _min_weight
    _min_weight = function


def register_plan_lock(function: Callable[[object], str | None]) -> None:
    global _plan_lock
    _plan_lock = function


def register_plan_context(function: ContextResolver) -> None:
    if function not in _plan_context:
        _plan_context.append(function)


def register_ledger_context(function: ContextResolver) -> None:
    if function not in _ledger_context:
        _ledger_context.append(function)


def _resolve(resolvers: list[ContextResolver], ids: list[int]) -> dict[int, Context]:
    found: dict[int, Context] = {}
    for resolver in resolvers:
        missing = [pk for pk in ids if pk not in found]
        if not missing:
            break
        found |= resolver(missing)
    return found


def min_weight_for(authority) -> Decimal:
    """The authority's minimum social value weight (percent); 10 unless an app says otherwise."""
    return _min_weight(authority) if _min_weight else DEFAULT_MIN_WEIGHT


def plan_lock_reason(plan) -> str | None:
    """Why the plan can no longer change (for example, the tender is published), or None."""
    return _plan_lock(plan) if _plan_lock else None


def plan_contexts(plan_ids: Iterable[int]) -> dict[int, Context]:
    ids = list(plan_ids)
    found = _resolve(_plan_context, ids) if ids else {}
    return {pk: found.get(pk) or Context(f"Social value plan {pk}") for pk in ids}


def ledger_contexts(ledger_ids: Iterable[int]) -> dict[int, Context]:
    ids = list(ledger_ids)
    found = _resolve(_ledger_context, ids) if ids else {}
    return {pk: found.get(pk) or Context(f"Delivery ledger {pk}") for pk in ids}
