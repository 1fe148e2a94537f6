"""Decisions: create (also for other apps), open (freeze), vote, paper ballots, close, respond.

Other apps call ``decision_create`` with options that carry a label, an easy-read summary, an
opaque reference and (budgets) a cost, and read the result with
``citizens.selectors.decisions.decision_result``. citizens knows nothing of what the
references point at.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from citizens import tally as tally_pkg
from citizens.models import (
    Ballot,
    Criterion,
    Decision,
    DecisionOption,
    ImplementationUpdate,
    NamedVote,
    OfficialResponse,
    PanelMembership,
    PanelRole,
    PaperBallotEntry,
    VoterRollEntry,
)
from citizens.models.decisions import Method
from citizens.rules import can
from citizens.signals import decision_closed
from citizens.tally.run import check_ballot, declare
from core.audit import audit_record
from core.notifications import notify

TIE_BREAK_RULE = ("Ties are broken by earlier rounds where the method has rounds, then by a "
                  "priority order fixed when voting opened: options sorted by SHA-256 of the "
                  "configuration hash, a colon and the option id; earlier wins.")
DECISION_FIELDS = ("title", "question", "easy_read_question", "method", "secret", "eligibility",
                   "results_visibility", "seats", "min_choices", "max_choices", "score_max",
                   "budget", "quorum_percent", "threshold_percent", "closes_at", "reference",
                   "briefing_url")


def _validate(panel, data: dict, options: list[dict], criteria: list[dict]) -> None:
    errors: dict[str, str] = {}
    method = data["method"]
    if len(options) < (1 if method == Method.CONSENT else 2):
        errors["options"] = ("A consent decision has one proposal." if method == Method.CONSENT
                             else "Give at least two options.")
    if method == Method.CONSENT and len(options) > 1:
        errors["options"] = "A consent decision has exactly one proposal."
    if method == Method.BUDGET:
        if not data.get("budget") or data["budget"] <= 0:
            errors["budget"] = "Enter the budget to allocate."
        if any(o.get("cost") is None or o["cost"] <= 0 for o in options):
            errors["options"] = "Every option of a budget vote needs a cost above £0."
    if method == Method.SCORE and not criteria:
        errors["criteria"] = "A score decision needs at least one criterion."
    if method == Method.STV and not 1 <= data.get("seats", 1) < len(options):
        errors["seats"] = "STV elects fewer options than there are."
    if panel.is_young and any(not (o.get("easy_read_summary") or "").strip() for o in options):
        errors["options"] = "Young commissioners' panels need an easy-read summary on every option."
    if not 0 <= data.get("quorum_percent", 50) <= 100 or not 0 <= data.get(
            "threshold_percent", 50) <= 100:
        errors["quorum_percent"] = "Percentages are between 0 and 100."
    if data.get("max_choices") and data["max_choices"] < data.get("min_choices", 0):
        errors["max_choices"] = "The most choices cannot be fewer than the fewest."
    if data.get("closes_at") and data["closes_at"] <= timezone.now():
        errors["closes_at"] = "The closing time must be in the future."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decision_create(*, actor, panel, data: dict[str, Any], options: list[dict[str, Any]],
                    criteria: list[dict[str, Any]] | None = None) -> Decision:
    """Create a draft decision with its options (label, easy_read_summary, reference, cost)
    and, for score decisions, criteria (label, weight, guidance)."""
    if not can(actor, "citizens.manage_decision", panel):
        raise PermissionDenied("You cannot create decisions for this panel.")
    criteria = criteria or []
    _validate(panel, data, options, criteria)
    decision = Decision.objects.create(panel=panel, created_by=actor,
                                       **{k: data[k] for k in DECISION_FIELDS if k in data})
    _add_options_and_criteria(decision, options, criteria)
    audit_record(actor=actor, action="citizens.decision_create", obj=decision,
                 summary=f"Decision “{decision.title}” drafted ({decision.get_method_display()})",
                 organisation_id=panel.authority_id)
    return decision


@transaction.atomic
def decision_update(*, actor, decision: Decision, data: dict[str, Any],
                    options: list[dict[str, Any]],
                    criteria: list[dict[str, Any]] | None = None) -> Decision:
    """Change a draft decision: its settings, options and criteria, all checked again.

    Once voting opens the configuration is frozen and nothing here applies."""
    if not can(actor, "citizens.manage_decision", decision.panel):
        raise PermissionDenied("You cannot change decisions of this panel.")
    decision = Decision.objects.select_for_update().select_related("panel").get(pk=decision.pk)
    if decision.status != Decision.Status.DRAFT:
        raise ValidationError("Voting has opened: the decision's configuration is frozen.")
    criteria = criteria or []
    data = {k: data[k] for k in DECISION_FIELDS
            if k in data and k not in ("reference", "briefing_url")}
    _validate(decision.panel, {**data, "method": data.get("method", decision.method)},
              options, criteria)
    before = {k: str(getattr(decision, k)) for k in data}
    for key, value in data.items():
        setattr(decision, key, value)
    decision.save()
    decision.options.all().delete()
    decision.criteria.all().delete()
    _add_options_and_criteria(decision, options, criteria)
    audit_record(actor=actor, action="citizens.decision_update", obj=decision,
                 summary=f"Draft decision “{decision.title}” changed",
                 organisation_id=decision.panel.authority_id,
                 changes={"before": before, "options": [o["label"] for o in options]})
    return decision


def _add_options_and_criteria(decision: Decision, options: list[dict],
                              criteria: list[dict]) -> None:
    DecisionOption.objects.bulk_create([DecisionOption(
        decision=decision, order=i, label=o["label"], easy_read_summary=o.get(
            "easy_read_summary", ""), reference=o.get("reference", ""), cost=o.get("cost"))
        for i, o in enumerate(options)])
    Criterion.objects.bulk_create([Criterion(
        decision=decision, order=i, label=c["label"], weight=c.get("weight", 1),
        guidance=c.get("guidance", ""), reference=c.get("reference", ""))
        for i, c in enumerate(criteria)])


def frozen_configuration(decision: Decision) -> dict[str, Any]:
    """Everything that decides the count, as it stands (frozen into the row at opening)."""
    config = {
        "method": decision.method, "secret": decision.secret,
        "eligibility": decision.eligibility, "results_visibility": decision.results_visibility,
        "seats": decision.seats, "min_choices": decision.min_choices,
        "max_choices": decision.max_choices, "score_max": decision.score_max,
        "budget": str(decision.budget) if decision.budget is not None else None,
        "quorum_percent": decision.quorum_percent,
        "threshold_percent": decision.threshold_percent,
        "closes_at": decision.closes_at.isoformat() if decision.closes_at else None,
        "options": [{"id": str(o.pk), "label": o.label, "easy_read_summary": o.easy_read_summary,
                     "reference": o.reference,
                     "cost": str(o.cost) if o.cost is not None else None}
                    for o in decision.options.all()],
        "criteria": [{"id": str(c.pk), "label": c.label, "weight": c.weight,
                      **({"reference": c.reference} if c.reference else {})}
                     for c in decision.criteria.all()],
    }
    return config


def _hash(config: dict) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True, separators=(",", ":")).encode(
        )).hexdigest()


def _eligible_memberships(decision: Decision):
    roles = {Decision.Eligibility.ADULTS: [PanelRole.MEMBER],
             Decision.Eligibility.YOUNG: [PanelRole.YOUNG_MEMBER]}.get(
        decision.eligibility, [PanelRole.MEMBER, PanelRole.YOUNG_MEMBER])
    return decision.panel.memberships.filter(role__in=roles, user__isnull=False,
                                             status=PanelMembership.Status.ACTIVE)


@transaction.atomic
def decision_open(*, actor, decision: Decision) -> Decision:
    """Freeze the configuration, draw up the voter roll and open voting."""
    panel = decision.panel
    if not can(actor, "citizens.manage_decision", panel):
        raise PermissionDenied("Only facilitators and officers open votes.")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.DRAFT:
        raise ValidationError("This decision has already been opened.")
    from citizens import phases

    if not phases.allows(panel.phase, phases.action_for_method(decision.method)):
        raise ValidationError(f"The panel is in its {phases.get(panel.phase).label.lower()} "
                              "phase, which does not allow this vote. Move it on first.")
    voters = list(_eligible_memberships(decision).values_list("user_id", flat=True).distinct())
    if not voters:
        raise ValidationError("Nobody on the panel is eligible to vote on this decision.")
    config = frozen_configuration(decision)
    base_hash = _hash(config)
    config["tie_break"] = {"rule": TIE_BREAK_RULE, "order": tally_pkg.tie_order(
        [o["id"] for o in config["options"]], base_hash)}
    decision.config, decision.config_hash = config, _hash(config)
    decision.status, decision.opened_at = Decision.Status.OPEN, timezone.now()
    decision.save()
    VoterRollEntry.objects.bulk_create([VoterRollEntry(decision=decision, user_id=uid)
                                        for uid in voters])
    audit_record(actor=actor, action="citizens.decision_open", obj=decision,
                 summary=f"Voting opened on “{decision.title}” for {len(voters)} voters",
                 organisation_id=panel.authority_id,
                 changes={"config_hash": decision.config_hash})
    notify(recipients=[m.user for m in _eligible_memberships(decision).select_related("user")],
           subject=f"{panel.title}: please vote on “{decision.title}”",
           body="Voting is open" + (
               f" until {timezone.localtime(decision.closes_at):%-d %B %Y at %H:%M}"
               if decision.closes_at else "") + ".",
           url=f"/panels/decisions/{decision.pk}/vote/")
    return decision


def _frozen(decision: Decision) -> dict:
    if not decision.config:
        raise ValidationError("Voting has not opened on this decision.")
    return decision.config


def _check_content(decision: Decision, content: dict) -> None:
    problems = check_ballot(_frozen(decision), content)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def ballot_cast(*, actor, decision: Decision, content: dict) -> str:
    """Cast the actor's ballot; returns the receipt token (shown once, stored nowhere with
    the person)."""
    if not can(actor, "citizens.vote", decision):
        raise PermissionDenied("You cannot vote on this decision now.")
    if decision.closes_at and timezone.now() >= decision.closes_at:
        raise ValidationError("Voting on this decision has closed.")
    entry = VoterRollEntry.objects.select_for_update().filter(decision=decision,
                                                              user=actor).first()
    if entry is None:
        raise PermissionDenied("You are not on the voter roll of this decision.")
    if entry.has_voted:
        raise ValidationError("You have already voted on this decision.")
    _check_content(decision, content)
    ballot = Ballot.objects.create(decision=decision, content=content,
                                   channel=VoterRollEntry.Channel.ONLINE)
    entry.has_voted, entry.channel = True, VoterRollEntry.Channel.ONLINE
    entry.voted_on = timezone.localdate()
    entry.save(update_fields=["has_voted", "channel", "voted_on"])
    if not decision.secret:
        NamedVote.objects.create(decision=decision, user=actor, ballot=ballot)
    audit_record(actor=actor, action="citizens.vote_cast", obj=decision,
                 summary="Voted", organisation_id=decision.panel.authority_id)
    return ballot.token


@transaction.atomic
def paper_voters_mark(*, actor, decision: Decision, user_ids: list[int]) -> int:
    """Mark on the roll the people who handed in a paper ballot (before it is keyed)."""
    if not can(actor, "citizens.enter_paper_ballots", decision.panel):
        raise PermissionDenied("Only commissioning officers handle paper ballots.")
    if not decision.is_open:
        raise ValidationError("Paper ballots are taken while voting is open.")
    entries = VoterRollEntry.objects.select_for_update().filter(decision=decision,
                                                                user_id__in=user_ids)
    if entries.filter(has_voted=True).exists() or entries.count() != len(set(user_ids)):
        raise ValidationError("Everyone marked must be on the roll and not have voted yet.")
    count = entries.update(has_voted=True, channel=VoterRollEntry.Channel.PAPER,
                           voted_on=timezone.localdate())
    audit_record(actor=actor, action="citizens.paper_voters_mark", obj=decision,
                 summary=f"{count} paper voters marked on the roll",
                 organisation_id=decision.panel.authority_id)
    return count


@transaction.atomic
def paper_entry_add(*, actor, decision: Decision, paper_number: int,
                    content: dict) -> PaperBallotEntry:
    """One officer keys one numbered paper ballot; a second officer keys it again."""
    if not can(actor, "citizens.enter_paper_ballots", decision.panel):
        raise PermissionDenied("Only commissioning officers enter paper ballots.")
    if not decision.is_open:
        raise ValidationError("Paper ballots are entered while voting is open.")
    _check_content(decision, content)
    if PaperBallotEntry.objects.filter(decision=decision, paper_number=paper_number,
                                       entered_by=actor).exists():
        raise ValidationError({"paper_number": "You have already keyed this paper; a second "
                                               "officer must key it too."})
    if PaperBallotEntry.objects.filter(decision=decision, paper_number=paper_number,
                                       reconciled=True).exists():
        raise ValidationError({"paper_number": "This paper has been counted already."})
    entry = PaperBallotEntry.objects.create(decision=decision, paper_number=paper_number,
                                            entered_by=actor, content=content)
    audit_record(actor=actor, action="citizens.paper_entry_add", obj=decision,
                 summary=f"Paper ballot {paper_number} keyed",
                 organisation_id=decision.panel.authority_id)
    return entry


def paper_discrepancies(decision: Decision) -> list[str]:
    """Papers not yet keyed twice, or keyed differently by the two officers."""
    keyed: dict[int, list[PaperBallotEntry]] = defaultdict(list)
    for entry in decision.paper_entries.filter(reconciled=False):
        keyed[entry.paper_number].append(entry)
    problems = []
    for number, entries in sorted(keyed.items()):
        if len(entries) < 2:
            problems.append(f"Paper {number} has been keyed by one officer only.")
        elif len({json.dumps(e.content, sort_keys=True) for e in entries}) > 1:
            problems.append(f"Paper {number} was keyed differently by the two officers: check "
                            "the paper and key it again.")
    return problems


@transaction.atomic
def paper_reconcile(*, actor, decision: Decision) -> int:
    """Count the papers both officers keyed alike; refuse while any disagree."""
    if not can(actor, "citizens.enter_paper_ballots", decision.panel):
        raise PermissionDenied("Only commissioning officers reconcile paper ballots.")
    problems = paper_discrepancies(decision)
    if problems:
        raise ValidationError(problems)
    pending = list(decision.paper_entries.filter(reconciled=False).order_by("paper_number"))
    numbers = sorted({e.paper_number for e in pending})
    counted = decision.ballots.filter(channel=VoterRollEntry.Channel.PAPER).count()
    marked = decision.roll.filter(channel=VoterRollEntry.Channel.PAPER).count()
    if counted + len(numbers) > marked:
        raise ValidationError(f"{counted + len(numbers)} paper ballots but only {marked} paper "
                              "voters are marked on the roll: mark them first.")
    first = {e.paper_number: e for e in pending}
    Ballot.objects.bulk_create([Ballot(decision=decision, content=first[n].content,
                                       channel=VoterRollEntry.Channel.PAPER) for n in numbers])
    decision.paper_entries.filter(pk__in=[e.pk for e in pending]).update(reconciled=True)
    audit_record(actor=actor, action="citizens.paper_reconcile", obj=decision,
                 summary=f"{len(numbers)} paper ballots reconciled and counted",
                 organisation_id=decision.panel.authority_id)
    return len(numbers)


def _ballot_contents(decision: Decision) -> list[dict]:
    return [b.content for b in decision.ballots.order_by("token")]


@transaction.atomic
def decision_close(*, actor, decision: Decision) -> Decision:
    """Close voting and declare the result (quorum and thresholds are applied now)."""
    if actor is not None and not can(actor, "citizens.manage_decision", decision.panel):
        raise PermissionDenied("Only facilitators and officers close votes.")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.OPEN:
        raise ValidationError("Only an open vote can be closed.")
    unkeyed = decision.paper_entries.filter(reconciled=False).exists()
    paper_marked = decision.roll.filter(channel=VoterRollEntry.Channel.PAPER).count()
    paper_counted = decision.ballots.filter(channel=VoterRollEntry.Channel.PAPER).count()
    if unkeyed or paper_marked != paper_counted:
        raise ValidationError("Paper ballots are still waiting to be keyed twice and "
                              "reconciled.")
    eligible = decision.roll.count()
    voted = decision.roll.filter(has_voted=True).count()
    decision.result = declare(decision.config, _ballot_contents(decision), eligible=eligible,
                              voted=voted)
    decision.outcome = decision.result["outcome"]
    decision.status, decision.closed_at = Decision.Status.CLOSED, timezone.now()
    decision.save()
    audit_record(actor=actor, action="citizens.decision_close", obj=decision,
                 summary=f"Voting closed on “{decision.title}”: {decision.outcome}",
                 organisation_id=decision.panel.authority_id,
                 changes={"outcome": decision.outcome, "winners": decision.result["winners"]})
    people = [m.user for m in decision.panel.memberships.filter(
        status=PanelMembership.Status.ACTIVE, user__isnull=False).select_related("user")]
    notify(recipients=people, subject=f"{decision.panel.title}: the result of "
                                      f"“{decision.title}” is published",
           body="Voting has closed and the result is published.",
           url=f"/panels/decisions/{decision.pk}/results/")
    if decision.reference:
        decision_closed.send(sender=Decision, decision_id=decision.pk,
                             reference=decision.reference)
    return decision


@transaction.atomic
def voter_recuse(*, decision_id: int, user, reason: str) -> bool:
    """For other apps: take a person off an open decision's roll because the caller's own
    rules exclude them (a declared conflict of interest). Refused once they have voted, since
    a secret ballot cannot be taken back; returns whether they were on the roll."""
    decision = Decision.objects.select_for_update().select_related("panel").get(pk=decision_id)
    if not decision.is_open:
        raise ValidationError("Only a person on an open decision's roll can stand aside.")
    entry = VoterRollEntry.objects.filter(decision=decision, user=user).first()
    if entry is None:
        return False
    if entry.has_voted:
        raise ValidationError("You have already voted on this decision: tell the authority, "
                              "who will decide what to do with the panel's result.")
    entry.delete()
    audit_record(actor=user, action="citizens.voter_recuse", obj=decision,
                 summary=f"Stood aside from “{decision.title}”: {reason}",
                 organisation_id=decision.panel.authority_id, changes={"reason": reason})
    return True


@transaction.atomic
def decision_withdraw(*, actor, decision_id: int, reason: str) -> None:
    """For other apps: take back a draft decision they asked for, before voting opens.

    Nothing has been voted, so the draft goes (audited) and the panel's facilitators are told;
    once voting has opened a secret ballot cannot be taken back and this is refused."""
    decision = Decision.objects.select_for_update().select_related("panel").get(pk=decision_id)
    if decision.status != Decision.Status.DRAFT:
        raise ValidationError("Voting on this decision has opened: it cannot be taken back. "
                              "The panel's vote runs to its close.")
    panel, title = decision.panel, decision.title
    audit_record(actor=actor, action="citizens.decision_withdraw", obj=decision,
                 summary=f"Draft decision “{title}” taken back by those who asked for it: "
                         f"{reason}",
                 organisation_id=panel.authority_id,
                 changes={"reason": reason, "reference": decision.reference})
    decision.delete()
    notify(recipients=[m.user for m in panel.memberships.filter(
               status=PanelMembership.Status.ACTIVE,
               role__in=[PanelRole.FACILITATOR, PanelRole.OFFICER]).select_related("user")],
           subject=f"“{title}” is no longer asked of {panel.title}",
           body=f"The draft decision “{title}” was taken back before voting opened: {reason}",
           url=reverse("citizens:space", args=[panel.pk]))


def close_due_decisions(*, now=None) -> int:
    """Close every open decision whose closing time has passed (run from beat)."""
    now = now or timezone.now()
    closed = 0
    for decision in Decision.objects.filter(status=Decision.Status.OPEN, closes_at__lte=now):
        try:
            decision_close(actor=None, decision=decision)
            closed += 1
        except ValidationError:
            continue  # paper ballots outstanding: the officers close it by hand
    return closed


@transaction.atomic
def response_publish(*, actor, decision: Decision, stance: str, text: str) -> OfficialResponse:
    """The authority's official response to the panel's recommendation."""
    if not can(actor, "citizens.respond", decision.panel):
        raise PermissionDenied("Only the authority responds to the panel.")
    if not decision.is_closed:
        raise ValidationError("Respond once the panel's decision is declared.")
    if hasattr(decision, "response"):
        raise ValidationError("A response is already published: add implementation updates.")
    if not text.strip():
        raise ValidationError({"text": "Write the response."})
    response = OfficialResponse.objects.create(decision=decision, stance=stance,
                                               text=text.strip(), responded_by=actor)
    audit_record(actor=actor, action="citizens.response_publish", obj=response,
                 summary=f"Response to “{decision.title}”: {response.get_stance_display()}",
                 organisation_id=decision.panel.authority_id)
    people = [m.user for m in decision.panel.memberships.filter(
        status=PanelMembership.Status.ACTIVE, user__isnull=False).select_related("user")]
    notify(recipients=people, subject=f"The authority has responded to “{decision.title}”",
           body=response.text[:500], url=f"/panels/decisions/{decision.pk}/results/")
    return response


@transaction.atomic
def implementation_update_add(*, actor, response: OfficialResponse, status: str,
                              note: str) -> ImplementationUpdate:
    if not can(actor, "citizens.respond", response.decision.panel):
        raise PermissionDenied("Only the authority reports on implementation.")
    if not note.strip():
        raise ValidationError({"note": "Say what has happened."})
    update = ImplementationUpdate.objects.create(response=response, status=status,
                                                 note=note.strip(), written_by=actor)
    audit_record(actor=actor, action="citizens.implementation_update", obj=update,
                 summary=f"Implementation: {update.get_status_display()}",
                 organisation_id=response.decision.panel.authority_id)
    return update

