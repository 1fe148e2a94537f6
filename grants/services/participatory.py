"""Participatory budgeting: a citizens' panel allocates a round's budget across its shortlist.

The grant manager asks one of the authority's panels to vote (``budget_vote_request``): the
citizens app receives a draft budget decision whose options are the shortlisted applications
(label, easy-read summary, an opaque reference, the amount requested as the cost). The panel's
facilitator opens and closes the vote. ``budget_vote_apply`` then reads the declared result and
records the round's panel decisions from it, each carrying the panel's recommendation; they are
approved by a second grant manager as any panel decision is. citizens knows nothing of grants:
the references are ours to map back.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from citizens.selectors.decisions import decision_for_reference, decision_result
from citizens.services.decisions import decision_create
from core.audit import audit_record
from grants.models import Application, PanelDecision, Round
from grants.selectors.assessment import panel_pack
from grants.selectors.participatory import shortlist, vote_reference
from grants.services.assessment import _require_manager, decision_record

OPEN_VOTE = ("draft", "open")


def _option_reference(application: Application) -> str:
    return f"grant-application-{application.pk}"


def _easy_read(application: Application) -> str:
    who = application.organisation.name
    what = application.project_title or "their project"
    return f"{who} asks for £{application.amount_requested:,.0f} for {what}."


@transaction.atomic
def budget_vote_request(*, actor, round_: Round, panel, budget: Decimal | None = None,
                        closes_at=None) -> int:
    """Put the round's shortlist to a citizens' panel as a budget vote; returns its id."""
    _require_manager(actor, round_)
    if round_.status != "panel":
        raise ValidationError("Send the round to panel before asking citizens to allocate it.")
    if panel.authority_id != round_.programme.authority_id:
        raise ValidationError({"panel": "Choose a panel of the authority running the round."})
    current = decision_for_reference(reference=vote_reference(round_))
    if current and current["status"] in OPEN_VOTE:
        raise ValidationError(f"The panel “{current['panel_title']}” is already deciding this "
                              "round's budget.")
    applications = shortlist(round_)
    if len(applications) < 2:
        raise ValidationError("A budget vote needs at least two shortlisted applications "
                              "with an amount requested.")
    remaining = panel_pack(round_=round_, stage="full")["remaining"]
    budget = budget if budget is not None else remaining
    if not Decimal("0") < budget <= remaining:
        raise ValidationError({"budget": f"The budget to allocate must be above £0 and at most "
                                         f"the £{remaining:,.2f} left in the round."})
    decision = decision_create(actor=actor, panel=panel, data={
        "title": f"Allocate the {round_.title} budget",
        "question": f"How should £{budget:,.2f} of {round_.title} be shared across these "
                    "projects?",
        "easy_read_question": f"Which projects should get money? There is £{budget:,.0f}.",
        "method": "budget", "budget": budget, "closes_at": closes_at,
        "reference": vote_reference(round_)},
        options=[{"label": f"{a.project_title or a.reference} ({a.organisation.name})"[:200],
                  "easy_read_summary": _easy_read(a), "reference": _option_reference(a),
                  "cost": a.amount_requested} for a in applications])
    audit_record(actor=actor, action="grant_round.citizens_vote_requested", obj=round_,
                 organisation_id=round_.programme.authority_id,
                 summary=f"Budget of £{budget:,.2f} put to the citizens' panel “{panel.title}”",
                 changes={"decision_id": decision.pk, "applications": len(applications)})
    return decision.pk


@transaction.atomic
def budget_vote_apply(*, actor, round_: Round) -> list[PanelDecision]:
    """Record the round's panel decisions from the citizens' panel's declared allocation."""
    _require_manager(actor, round_)
    current = decision_for_reference(reference=vote_reference(round_))
    result = decision_result(decision_id=current["id"]) if current else None
    if result is None:
        raise ValidationError("The citizens' panel has not declared its allocation yet.")
    if not result["quorate"]:
        raise ValidationError("The panel's vote was not quorate: decide without its "
                              "recommendation, or ask the panel to vote again.")
    funded = {w["reference"]: Decimal(w["cost"]) for w in result["winners"]}
    source = f"Citizens' panel “{current['panel_title']}”"
    recorded = []
    for application in shortlist(round_):
        reference = _option_reference(application)
        amount = funded.get(reference)
        summary = (f"Allocated £{amount:,.2f} in its participatory budget vote." if amount
                   else "Not allocated funding in its participatory budget vote.")
        recorded.append(decision_record(
            actor=actor, application=application, outcome="fund" if amount else "reject",
            amount=amount, rationale=f"{source}: {summary}",
            feedback=("The citizens' panel chose to fund your project." if amount else
                      "The citizens' panel shared the budget among other projects."),
            external_recommendation={"source": source, "summary": summary,
                                     "decision_id": current["id"], "reference": reference}))
    audit_record(actor=actor, action="grant_round.citizens_vote_applied", obj=round_,
                 organisation_id=round_.programme.authority_id,
                 summary=f"{len(funded)} of {len(recorded)} applications funded as the "
                         "citizens' panel allocated",
                 changes={"decision_id": current["id"]})
    return recorded
