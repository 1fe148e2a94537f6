"""The lottery: freeze → publish the commitment → enter the public seed → run → invite.

Then acceptance (with a guardian's consent for young members), and replacement draws for
drop-outs that keep the rest of the panel as it is.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from citizens import crypto, sortition
from citizens import rules as panel_rules
from citizens.models import (
    Panel,
    PanelMembership,
    PanelRole,
    PoolEntry,
    SelectionRun,
    SensitiveAnswers,
)
from citizens.models.panels import VOTING_ROLES
from citizens.rules import can
from citizens.services.recruitment import features_of
from core.audit import audit_record
from core.notifications import notify
from core.outbox import enqueue, enqueue_many

BUSY = (SelectionRun.Status.FROZEN, SelectionRun.Status.QUEUED, SelectionRun.Status.RUNNING)
SEATED = (PanelMembership.Status.INVITED, PanelMembership.Status.AWAITING_GUARDIAN,
          PanelMembership.Status.ACTIVE)


def algorithm_for_panel() -> str:
    return "leximin" if settings.CITIZENS_LEXIMIN_ENABLED else "maximin"


def _pool_rows(panel: Panel, features) -> list[dict]:
    entries = panel.pool_entries.filter(
        status=PoolEntry.Status.IN_POOL, sensitive__purged_at__isnull=True,
    ).select_related("sensitive").order_by("pseudonym")
    rows = []
    for entry in entries:
        answers = crypto.decrypt_json(entry.sensitive.ciphertext) or {}
        rows.append({"id": entry.pseudonym, "household": entry.household_key[:16],
                     **{f.key: answers.get(f.key, "") for f in features}})
    return rows


def _seated(panel: Panel):
    return panel.memberships.filter(role__in=VOTING_ROLES, status__in=SEATED)


def _replacement_inputs(panel: Panel, quotas: list[dict], features) -> tuple[int, list, list]:
    """Seats still empty, quotas less what the seated members already fill, their households."""
    seated = list(_seated(panel).select_related("pool_entry__sensitive"))
    vacancies = panel.size - len(seated)
    filled: dict[tuple[str, str], int] = {}
    households = []
    for membership in seated:
        entry = membership.pool_entry
        if entry is None:
            continue
        households.append({"id": entry.pseudonym, "household": entry.household_key[:16],
                           **(crypto.decrypt_json(entry.sensitive.ciphertext) or {})})
        for f in features:
            key = (f.key, households[-1].get(f.key, ""))
            filled[key] = filled.get(key, 0) + 1
    adjusted = [{**q, "min": max(0, q["min"] - filled.get((q["feature"], q["value"]), 0)),
                 "max": max(0, q["max"] - filled.get((q["feature"], q["value"]), 0))}
                for q in quotas]
    return vacancies, adjusted, households


def quota_rows(panel: Panel) -> list[dict]:
    return [{"feature": q.feature, "value": q.value, "min": q.minimum, "max": q.maximum}
            for q in panel.quotas.all()]


def quota_labels(panel: Panel) -> dict[tuple[str, str], str]:
    labels = {}
    for q in panel.quotas.all():
        labels[(q.feature, "")] = q.feature_label.lower()
        labels[(q.feature, q.value)] = q.value_label
    return labels


def feasibility(*, panel: Panel) -> list[str]:
    """Problems a facilitator must fix before the pool can be frozen (empty when none)."""
    features = features_of(panel)
    quotas = quota_rows(panel)
    if not quotas:
        return ["Set the stratification features and quotas first."]
    seats, pool = panel.size, _pool_rows(panel, features)
    if panel.selection_runs.filter(status=SelectionRun.Status.SUCCEEDED).exists():
        seats, quotas, _ = _replacement_inputs(panel, quotas, features)
        if seats <= 0:
            return ["Every seat is filled: there is nobody to replace."]
    return sortition.feasibility_problems(seats=seats, pool=pool, quotas=quotas,
                                          labels=quota_labels(panel))


@transaction.atomic
def selection_freeze(*, actor, panel: Panel) -> SelectionRun:
    """Freeze the pool and the quotas, and fix the commitment hash that is published."""
    if not can(actor, "citizens.run_selection", panel):
        raise PermissionDenied("You cannot run this panel's selection.")
    Panel.objects.select_for_update().filter(pk=panel.pk).first()
    _fail_interrupted(panel)
    if panel.selection_runs.filter(status__in=BUSY).exists():
        raise ValidationError("A selection is already under way for this panel.")
    problems = feasibility(panel=panel)
    if problems:
        raise ValidationError(problems)
    features, quotas = features_of(panel), quota_rows(panel)
    kind, seats, already = SelectionRun.Kind.INITIAL, panel.size, []
    if panel.selection_runs.filter(status=SelectionRun.Status.SUCCEEDED).exists():
        kind = SelectionRun.Kind.REPLACEMENT
        seats, quotas, already_rows = _replacement_inputs(panel, quotas, features)
        already = [row["id"] for row in already_rows]
    pool = _pool_rows(panel, features)
    if kind == SelectionRun.Kind.REPLACEMENT:
        pool += already_rows  # present so that their households can be excluded
    algorithm, solver = algorithm_for_panel(), settings.CITIZENS_SORTITION_SOLVER
    if sortition.solver_problem(solver):
        raise ValidationError(sortition.solver_problem(solver))
    run = SelectionRun.objects.create(
        panel=panel, kind=kind, seats=seats, pool=pool, quotas=quotas,
        already_selected=already, algorithm_requested=algorithm, frozen_by=actor,
        solver=solver,
        pool_hash=sortition.commitment(seats=seats, pool=pool, quotas=quotas,
                                       algorithm=algorithm, already_selected=already,
                                       solver=solver))
    audit_record(actor=actor, action="citizens.selection_freeze", obj=run,
                 summary=f"Pool of {len(pool)} frozen for {seats} seats; commitment "
                         f"{run.pool_hash[:12]}…", organisation_id=panel.authority_id,
                 changes={"pool_hash": run.pool_hash})
    if panel.registration_open:
        panel.registration_open = False
        panel.save(update_fields=["registration_open", "updated_at"])
    return run


def _fail_interrupted(panel: Panel) -> None:
    """A run whose worker died stays "running"; after twice the time limit it has failed."""
    limit = timedelta(seconds=2 * (settings.CITIZENS_SELECTION_MAX_SECONDS + 420))
    panel.selection_runs.filter(status=SelectionRun.Status.RUNNING,
                                started_at__lt=timezone.now() - limit).update(
        status=SelectionRun.Status.FAILED, error="The selection was interrupted: start again.",
        progress_message="Interrupted.")


@transaction.atomic
def selection_seed(*, actor, run: SelectionRun, seed: int, seed_source: str) -> SelectionRun:
    """Record the public draw (after the freeze) and queue the selection."""
    if not can(actor, "citizens.run_selection", run.panel):
        raise PermissionDenied("You cannot run this panel's selection.")
    run = SelectionRun.objects.select_for_update().get(pk=run.pk)
    if run.status != SelectionRun.Status.FROZEN:
        raise ValidationError("The seed of this selection has already been entered.")
    if not 0 < seed < 2**63:
        raise ValidationError({"seed": "Enter a whole number above 0 from the public draw."})
    if not seed_source.strip():
        raise ValidationError({"seed_source": "Say how the number was drawn and who witnessed "
                                              "it."})
    run.seed, run.seed_source = seed, seed_source.strip()
    run.seeded_at, run.seeded_by = timezone.now(), actor
    run.status, run.progress_message = SelectionRun.Status.QUEUED, "Waiting for a worker."
    run.save()
    audit_record(actor=actor, action="citizens.selection_seed", obj=run,
                 summary=f"Public seed {seed} entered", organisation_id=run.panel.authority_id,
                 changes={"seed": seed, "source": run.seed_source})
    enqueue("citizens.run_selection", run.pk)
    return run


def _progress(run_id: int):
    def report(percent: int, message: str) -> None:
        SelectionRun.objects.filter(pk=run_id).update(progress=percent,
                                                      progress_message=message)
    return report


def selection_execute(*, run_id: int) -> SelectionRun | None:
    """Run a queued selection (the Celery task calls this). Idempotent."""
    claimed = SelectionRun.objects.filter(pk=run_id, status=SelectionRun.Status.QUEUED).update(
        status=SelectionRun.Status.RUNNING, started_at=timezone.now(), progress=0,
        progress_message="Starting the selection.",
        library_version=sortition.library_version())
    if not claimed:
        return None
    run = SelectionRun.objects.select_related("panel").get(pk=run_id)
    try:
        outcome = _draw(run)
    except Exception as error:  # the run must not stay "running" for ever
        outcome = sortition.Outcome(success=False, selected=[], probabilities={},
                                    algorithm_used="", report={},
                                    error=f"The selection stopped: {error}")
    return _record_outcome(run, outcome)


def _draw(run: SelectionRun) -> sortition.Outcome:
    return sortition.select(
        seats=run.seats, pool=run.pool, quotas=run.quotas, seed=run.seed,
        algorithm=run.algorithm_requested, already_selected=run.already_selected,
        progress=_progress(run.pk), max_seconds=settings.CITIZENS_SELECTION_MAX_SECONDS,
        solver=run.solver)


@transaction.atomic
def _record_outcome(run: SelectionRun, outcome: sortition.Outcome) -> SelectionRun:
    run.finished_at = timezone.now()
    run.algorithm_used, run.report = outcome.algorithm_used, outcome.report
    run.probabilities, run.selected = outcome.probabilities, outcome.selected
    run.progress = 100
    if not outcome.success:
        run.status, run.error = SelectionRun.Status.FAILED, outcome.error
        run.progress_message = "The selection could not be made."
        run.save()
        audit_record(actor=None, action="citizens.selection_fail", obj=run,
                     summary="Selection failed", changes={"error": outcome.error},
                     organisation_id=run.panel.authority_id)
        return run
    run.status = SelectionRun.Status.SUCCEEDED
    run.progress_message = f"{len(outcome.selected)} people selected in {outcome.seconds} s."
    run.save()
    _invite_selected(run)
    audit_record(actor=None, action="citizens.selection_succeed", obj=run,
                 summary=f"{len(run.selected)} selected with {run.algorithm_used}",
                 organisation_id=run.panel.authority_id,
                 changes={"selected": run.selected, "algorithm": run.algorithm_used})
    return run


def _invite_selected(run: SelectionRun) -> None:
    panel = run.panel
    entries = list(panel.pool_entries.filter(pseudonym__in=run.selected))
    role = PanelRole.YOUNG_MEMBER if panel.is_young else PanelRole.MEMBER
    now = timezone.now()
    PoolEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        status=PoolEntry.Status.SELECTED)
    memberships = PanelMembership.objects.bulk_create([PanelMembership(
        panel=panel, user=entry.user, role=role, status=PanelMembership.Status.INVITED,
        pool_entry=entry, email=entry.email, invitation_token=secrets.token_urlsafe(32),
        invited_at=now, is_replacement=run.kind == SelectionRun.Kind.REPLACEMENT)
        for entry in entries])
    SensitiveAnswers.objects.filter(entry__panel=panel, purged_at__isnull=True).update(
        purge_after=(now + panel.retention).date())
    for membership in memberships:
        enqueue("citizens.send_invitation", membership.pk)


INVITATION_VALID_FOR = timedelta(days=28)
RESEND_INTERVAL = timedelta(hours=24)


@transaction.atomic
def invitations_resend(*, actor, panel: Panel, now=None) -> int:
    """Send the invitation again, same link, to everyone selected who has not answered.

    Idempotent: an invitation sent or resent in the last 24 hours is not sent again, so a
    second press (or a retried request) sends nothing more. Expired invitations are left to
    a replacement draw. Returns how many were queued."""
    if not can(actor, "citizens.manage_panel", panel):
        raise PermissionDenied("Only the panel's facilitators and officers resend invitations.")
    now = now or timezone.now()
    recent = now - RESEND_INTERVAL
    due = list(PanelMembership.objects.select_for_update().filter(
        panel=panel, status=PanelMembership.Status.INVITED, invited_at__gt=now
        - INVITATION_VALID_FOR, invited_at__lte=recent).exclude(invitation_token="").exclude(
        email="").exclude(invitation_resent_at__gt=recent).values_list("pk", flat=True))
    if not due:
        return 0
    PanelMembership.objects.filter(pk__in=due).update(invitation_resent_at=now)
    enqueue_many("citizens.send_invitation", [((pk,), {}) for pk in due])
    audit_record(actor=actor, action="citizens.invitations_resend", obj=panel,
                 summary=f"Invitation resent to {len(due)} selected "
                         f"{'person' if len(due) == 1 else 'people'}",
                 organisation_id=panel.authority_id, changes={"memberships": due})
    return len(due)


def selection_verify(*, run: SelectionRun) -> tuple[bool, list[str]]:
    """Re-run a finished selection from its frozen inputs and seed; True when it matches."""
    if run.seed is None or run.status != SelectionRun.Status.SUCCEEDED:
        raise ValidationError("Only a selection that ran can be verified.")
    check = sortition.commitment(seats=run.seats, pool=run.pool, quotas=run.quotas,
                                 algorithm=run.algorithm_requested,
                                 already_selected=run.already_selected, solver=run.solver)
    if check != run.pool_hash:
        return False, []
    outcome = sortition.select(seats=run.seats, pool=run.pool, quotas=run.quotas, seed=run.seed,
                               algorithm=run.algorithm_requested,
                               already_selected=run.already_selected,
                               max_seconds=settings.CITIZENS_SELECTION_MAX_SECONDS,
                               solver=run.solver)
    return outcome.selected == sorted(run.selected), outcome.selected


def _membership_by_token(token: str, field: str) -> PanelMembership:
    membership = PanelMembership.objects.select_related("panel").filter(
        **{field: token}).first() if token else None
    if membership is None:
        raise ValidationError("This link is not valid. Ask the panel's facilitator for a new one.")
    return membership


@transaction.atomic
def invitation_respond(*, actor, token: str, accept: bool,
                       guardian_email: str = "") -> PanelMembership:
    """The selected person accepts or declines their seat (signed in to their account)."""
    membership = _membership_by_token(token, "invitation_token")
    if membership.status != PanelMembership.Status.INVITED:
        raise ValidationError("This invitation has already been answered.")
    if membership.invited_at and membership.invited_at < timezone.now() - INVITATION_VALID_FOR:
        raise ValidationError("This invitation has expired: the seat goes to a replacement.")
    if accept and membership.panel.memberships.filter(
            user=actor, role=membership.role).exclude(pk=membership.pk).exists():
        raise ValidationError("You already have a place on this panel.")
    membership.user, membership.responded_at = actor, timezone.now()
    if not accept:
        membership.status = PanelMembership.Status.DECLINED
    elif membership.panel.is_young:
        if not guardian_email.strip():
            raise ValidationError({"guardian_email": "Enter your parent's or guardian's email "
                                                     "address."})
        membership.status = PanelMembership.Status.AWAITING_GUARDIAN
        membership.guardian_email = guardian_email.strip().lower()
        membership.guardian_token = secrets.token_urlsafe(32)
    else:
        membership.status = PanelMembership.Status.ACTIVE
    membership.invitation_token = ""
    membership.save()
    audit_record(actor=actor, action="citizens.invitation_" + ("accept" if accept else "decline"),
                 obj=membership, summary=f"Seat {'accepted' if accept else 'declined'}",
                 organisation_id=membership.panel.authority_id)
    if membership.status == PanelMembership.Status.AWAITING_GUARDIAN:
        enqueue("citizens.send_guardian_request", membership.pk)
    elif membership.status == PanelMembership.Status.ACTIVE:
        _confirm(membership)
    panel_rules.forget_roles(actor)
    return membership


def _confirm(membership: PanelMembership) -> None:
    notify(recipients=[membership.user], subject=f"Welcome to {membership.panel.title}",
           body=f"Your place on the panel “{membership.panel.title}” is confirmed. The panel "
                "space shows the materials, sessions and what is asked of you.",
           url=f"/panels/{membership.panel_id}/space/")


@transaction.atomic
def guardian_consent(*, token: str, guardian_name: str, consent: bool) -> PanelMembership:
    """A parent or guardian answers by email link; only then may a young member take part."""
    membership = _membership_by_token(token, "guardian_token")
    if membership.status != PanelMembership.Status.AWAITING_GUARDIAN:
        raise ValidationError("This request has already been answered.")
    if not guardian_name.strip():
        raise ValidationError({"guardian_name": "Enter your full name."})
    membership.guardian_name, membership.guardian_token = guardian_name.strip(), ""
    if consent:
        membership.status = PanelMembership.Status.ACTIVE
        membership.guardian_consent_at = timezone.now()
    else:
        membership.status = PanelMembership.Status.DECLINED
    membership.save()
    audit_record(actor=None, action="citizens.guardian_" + ("consent" if consent else "refuse"),
                 obj=membership, summary="Guardian " + ("consented" if consent else "refused"),
                 organisation_id=membership.panel.authority_id)
    if consent:
        _confirm(membership)
    return membership
