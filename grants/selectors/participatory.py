"""Reads for participatory budgeting: the shortlist a panel allocates, and the vote's state."""

from __future__ import annotations

from citizens.selectors.decisions import (
    decision_for_reference,
    decision_result,
    panels_taking_decisions,
)
from grants.models import Application, Round
from grants.selectors.assessment import panel_pack


def vote_reference(round_: Round) -> str:
    """The opaque reference the round's budget vote carries in the citizens app."""
    return f"grants-round-{round_.pk}"


def shortlist(round_: Round) -> list[Application]:
    """Full-stage applications at the panel without an approved decision."""
    return [a for a in panel_pack(round_=round_, stage="full")["rows"]
            if a.status == "eligible" and a.amount_requested
            and not (hasattr(a, "decision") and a.decision.approved_at)]


def panels_for(*, user, round_: Round):
    """The authority's panels this grant manager may put the budget to."""
    return panels_taking_decisions(user=user, authority_id=round_.programme.authority_id)


def vote_status(*, round_: Round) -> dict | None:
    """Where the round's citizens' budget vote stands, with its result once declared."""
    current = decision_for_reference(reference=vote_reference(round_))
    if current is None:
        return None
    return {**current, "result": decision_result(decision_id=current["id"])}


