"""Decisions for readers: accessors that check, turnout, results only when released.

``decision_result`` is what other apps (commissioning, grants) call to read a panel's
decision: it returns nothing until voting has closed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from citizens.models import Ballot, Decision, NamedVote, Panel, VoterRollEntry
from citizens.rules import can
from citizens.tally.run import declare


def decision_get(*, pk: int) -> Decision:
    decision = Decision.objects.select_related("panel", "panel__authority").filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision.")
    return decision


def decision_get_for_user(*, user, pk: int, perm: str = "citizens.view_panel_space") -> Decision:
    decision = decision_get(pk=pk)
    target = decision if perm in ("citizens.vote", "citizens.view_results") else decision.panel
    if not can(user, "citizens.view_panel_space", decision.panel) and not (
            perm == "citizens.view_results" and can(user, perm, decision)):
        raise Http404("No such decision.")
    if not can(user, perm, target):
        raise PermissionDenied("You cannot do that with this decision now.")
    if decision.status == Decision.Status.DRAFT and not can(user,
            "citizens.manage_decision", decision.panel):
        raise Http404("No such decision.")
    return decision


def decisions_of(*, panel: Panel, user) -> QuerySet[Decision]:
    decisions = panel.decisions.order_by("-created_at", "-id")
    if not can(user, "citizens.manage_decision", panel):
        decisions = decisions.exclude(status=Decision.Status.DRAFT)
    return decisions


def closed_decisions(*, panel: Panel) -> QuerySet[Decision]:
    return panel.decisions.filter(status=Decision.Status.CLOSED).select_related(
        "response").order_by("-closed_at")


@dataclass(frozen=True)
class Turnout:
    eligible: int
    voted: int
    online: int
    paper: int

    @property
    def percent(self) -> int:
        return round(100 * self.voted / self.eligible) if self.eligible else 0


def turnout(*, decision: Decision) -> Turnout:
    """Who has voted, in numbers (for quorum and reminders): never what they chose."""
    roll = list(decision.roll.values_list("has_voted", "channel"))
    return Turnout(eligible=len(roll), voted=sum(1 for v, _ in roll if v),
                   online=sum(1 for v, c in roll if v and c == VoterRollEntry.Channel.ONLINE),
                   paper=sum(1 for v, c in roll if v and c == VoterRollEntry.Channel.PAPER))


def not_yet_voted(*, decision: Decision):
    return decision.roll.filter(has_voted=False).select_related("user").order_by("user__email")


def has_voted(*, decision: Decision, user) -> bool:
    return decision.roll.filter(user=user, has_voted=True).exists()


def on_roll(*, decision: Decision, user) -> bool:
    return decision.roll.filter(user=user).exists()


def on_open_roll(*, decision_id: int, user) -> bool:
    """For other apps: whether the person is on this open decision's roll, their membership
    in force."""
    if not getattr(user, "is_authenticated", False):
        return False
    return VoterRollEntry.objects.filter(
        decision_id=decision_id, decision__status=Decision.Status.OPEN, user=user,
        decision__panel__memberships__user=user,
        decision__panel__memberships__status="active").exists()


def result_for_user(*, decision: Decision, user) -> dict | None:
    """The declared result after close; a live count only where configured and allowed."""
    if not can(user, "citizens.view_results", decision):
        return None
    if decision.is_closed:
        return decision.result
    ballots = [b.content for b in decision.ballots.order_by("token")]
    count = turnout(decision=decision)
    return declare(decision.config, ballots, eligible=count.eligible, voted=count.voted)


def named_votes(*, decision: Decision):
    """Only for open, named votes after close: who chose what."""
    if decision.secret or not decision.is_closed:
        return NamedVote.objects.none()
    return decision.named_votes.select_related("user", "ballot").order_by("user__full_name")


def decision_result(*, decision_id: int) -> dict | None:
    """For other apps: the declared result of a closed decision, else None.

    ``{"outcome", "quorate", "winners": [{"reference", "label", "cost"}], "scores":
    {reference: score}, "criterion_scores": {reference: {criterion reference: score}},
    "score_max", "closed_at"}``: options and criteria are given by the caller's references
    (scores are decimal strings, out of ``score_max``).
    """
    decision = Decision.objects.filter(pk=decision_id, status=Decision.Status.CLOSED).first()
    if decision is None:
        return None
    by_id = {o["id"]: o for o in decision.config["options"]}
    detail = decision.result.get("detail", {})
    return {"outcome": decision.outcome, "quorate": decision.result["quorate"],
            "closed_at": decision.closed_at,
            "winners": [{"reference": by_id[w]["reference"], "label": by_id[w]["label"],
                         "cost": by_id[w]["cost"]} for w in decision.result["winners"]],
            "scores": {by_id[oid]["reference"]: value
                       for oid, value in detail.get("scores", {}).items()},
            "criterion_scores": _criterion_scores(decision.config, detail),
            "score_max": decision.config.get("score_max")}


def _criterion_scores(config: dict, detail: dict) -> dict:
    options = {o["id"]: o["reference"] for o in config["options"]}
    criteria = {c["id"]: c.get("reference") or c["id"] for c in config.get("criteria", [])}
    return {options[oid]: {criteria[cid]: value for cid, value in marks.items()}
            for oid, marks in detail.get("per_criterion", {}).items()}


def panels_taking_decisions(*, user, authority_id: int) -> QuerySet[Panel]:
    """For other apps: the authority's panels this user may put a decision to."""
    from citizens.selectors.panels import managed_panels

    return managed_panels(user=user).filter(authority_id=authority_id).order_by("title")


def decision_for_reference(*, reference: str) -> dict | None:
    """For other apps: where the latest decision asked for under ``reference`` stands.

    ``{"id", "status", "status_label", "panel_id", "panel_title", "title"}``, else None."""
    decision = (Decision.objects.filter(reference=reference).select_related("panel")
                .order_by("-created_at", "-id").first()) if reference else None
    if decision is None:
        return None
    return {"id": decision.pk, "status": decision.status,
            "status_label": decision.get_status_display(), "panel_id": decision.panel_id,
            "panel_title": decision.panel.title, "title": decision.title}


def export_document(*, decision: Decision) -> dict:
    """The recount file: frozen configuration, anonymised ballots, turnout and result.

    Ballots are ordered by their random receipt token (not by when they were cast), so the
    order tells nothing; a voter can find their own receipt among them.
    """
    if not decision.is_closed:
        raise PermissionDenied("The ballots are published once voting has closed.")
    ballots = Ballot.objects.filter(decision=decision).order_by("token")
    named = dict(decision.named_votes.values_list("ballot_id", "user__full_name"))
    return {
        "format": "portal.citizens.decision-export",
        "version": 1,
        "documentation": "docs/citizens-voting-rules.md",
        "decision": {"id": decision.pk, "panel": decision.panel.title, "title": decision.title,
                     "question": decision.question, "opened_at": decision.opened_at.isoformat(),
                     "closed_at": decision.closed_at.isoformat()},
        "configuration": decision.config,
        "configuration_sha256": decision.config_hash,
        "turnout": {"eligible": decision.result["eligible"], "voted": decision.result["voted"]},
        "ballots": [{"receipt": b.token, "channel": b.channel, "content": b.content,
                     **({"voter": named[b.pk]} if b.pk in named else {})} for b in ballots],
        "result": decision.result,
    }
