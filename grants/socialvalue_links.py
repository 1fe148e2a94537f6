"""What grants tells socialvalue about the ledgers it owns (registered at start-up)."""

from __future__ import annotations

from django.urls import reverse

from grants.models import Award
from socialvalue import hooks


def _ledger_contexts(ledger_ids: list[int]) -> dict[int, hooks.Context]:
    awards = Award.objects.filter(social_value_ledger_id__in=ledger_ids).only(
        "pk", "reference", "title", "social_value_ledger_id")
    return {a.social_value_ledger_id: hooks.Context(
        f"Grant {a.reference}: {a.title}", reverse("grants:award_manage", args=[a.pk]))
        for a in awards}


def register() -> None:
    hooks.register_ledger_context(_ledger_contexts)
