"""The applicant's journey: start, save each step, submit under the deadline, withdraw.

The deadline is enforced per request, as for bids: the round row is locked, then the server
clock is read (``core.clock``), and the change is accepted only strictly before the deadline
of the stage. The receipt is written in the same transaction; its email goes through the
outbox after commit.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from core import clock
from core.audit import audit_record
from core.notifications import notify
from core.workflows import transition
from grants import answers as answer_rules
from grants import eligibility
from grants.models import Answer, Application, ApplicationReceipt, InvitedOrganisation, Round
from grants.selectors.applications import existing_application, live_grant_count
from grants.selectors.rounds import open_stage, stage_deadline
from grants.workflows import APPLICATION
from organisations.models import PROVIDER_ROLES
from organisations.selectors import roles_of

CORE_FIELDS = ("project_title", "project_summary", "amount_requested", "annual_income",
               "beneficiary_postcode")


class ApplicationIncomplete(ValidationError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems, code="incomplete")


def _lock_round(round_id: int) -> Round:
    return Round.objects.select_for_update(of=("self",)).select_related(
        "programme__authority").get(pk=round_id)


def _lock(application_id: int) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related(
        "organisation", "round__programme").get(pk=application_id)


def _require_member(actor, organisation) -> None:
    if not (roles_of(user=actor, organisation=organisation) & PROVIDER_ROLES):
        raise PermissionDenied("Only people in the applying organisation can do that.")


def _ensure_stage_open(round_: Round, stage: str) -> None:
    now = clock.server_now()
    if open_stage(round_, now) != stage:
        deadline = stage_deadline(round_, stage)
        if deadline and now >= deadline:
            raise ValidationError(
                f"The deadline was {clock.format_deadline(deadline)}. Applications received "
                "at or after the deadline cannot be accepted.", code="deadline")
        raise ValidationError("This round is not taking applications at this stage.",
                              code="not_open")


@transaction.atomic
def application_start(*, actor, round_: Round, organisation) -> Application:
    """Start (or return) the organisation's application to the stage open now."""
    round_ = _lock_round(round_.pk)
    _require_member(actor, organisation)
    if not organisation.is_verified or organisation.is_authority:
        raise ValidationError("Your organisation must be a verified provider to apply.")
    now = clock.server_now()
    stage = open_stage(round_, now)
    if stage is None:
        _ensure_stage_open(round_, "full")
    existing = existing_application(round_=round_, organisation=organisation, stage=stage)
    if existing:
        return existing
    previous = None
    if stage == "full" and round_.is_two_stage:
        previous = (Application.objects.filter(round=round_, organisation=organisation,
                                               stage="eoi", status="invited").first())
        if previous is None:
            raise ValidationError("Only organisations invited after their expression of "
                                  "interest can apply in full.")
    elif round_.kind == "closed" and not InvitedOrganisation.objects.filter(
            round=round_, organisation=organisation).exists():
        raise ValidationError("This round is by invitation only, and your organisation "
                              "has not been invited.")
    application = Application.objects.create(
        round=round_, stage=stage, previous=previous, organisation=organisation,
        created_by=actor, reference=_next_reference(round_, stage))
    if previous is not None:
        _carry_forward(previous, application)
    audit_record(actor=actor, action="grant_application.started", obj=application,
                 organisation_id=organisation.pk,
                 summary=f"Started {application.get_stage_display().lower()} "
                         f"{application.reference}")
    return application


def _next_reference(round_: Round, stage: str) -> str:
    count = Application.objects.filter(round=round_).count() + 1
    prefix = "EOI" if stage == "eoi" else "APP"
    return f"{round_.programme.code.upper()}-{round_.pk}-{prefix}-{count:04d}"


def _carry_forward(previous: Application, application: Application) -> None:
    """The expression of interest's answers start the full application (same section and
    label), with the project details."""
    for field in CORE_FIELDS:
        setattr(application, field, getattr(previous, field))
    application.save(update_fields=[*CORE_FIELDS, "updated_at"])
    targets = {(q.section, q.label, q.kind): q
               for q in application.round.questions.filter(stage="full")}
    copies = []
    for old in previous.answers.select_related("question"):
        q = old.question
        target = targets.get((q.section, q.label, q.kind))
        if target is not None:
            copies.append(Answer(application=application, question=target, value=old.value,
                                 document_id=old.document_id))
    Answer.objects.bulk_create(copies)


@transaction.atomic
def application_details_save(*, actor, application: Application,
                             data: dict[str, Any]) -> Application:
    """Save the project details step (a draft, saved on every step)."""
    application = _editable(actor, application)
    for field in CORE_FIELDS:
        if field in data:
            setattr(application, field, data[field])
    application.save()
    audit_record(actor=actor, action="grant_application.saved", obj=application,
                 organisation_id=application.organisation_id, summary="Saved project details")
    return application


@transaction.atomic
def application_answers_save(*, actor, application: Application,
                             values: dict[int, Any], documents: dict[int, Any] | None = None
                             ) -> Application:
    """Save the answers of one section: {question id: value}, files as {id: Document}."""
    application = _editable(actor, application)
    questions = {q.pk: q for q in application.round.questions.filter(stage=application.stage)}
    documents = documents or {}
    for question_id in set(values) | set(documents):
        question = questions.get(question_id)
        if question is None:
            raise ValidationError("That question is not part of this application.")
        defaults: dict[str, Any] = {"value": values.get(question_id)}
        if question_id in documents:
            document = documents[question_id]
            defaults = {"value": {"name": document.original_name}, "document": document}
        Answer.objects.update_or_create(application=application, question=question,
                                        defaults=defaults)
    application.save(update_fields=["updated_at"])
    audit_record(actor=actor, action="grant_application.saved", obj=application,
                 organisation_id=application.organisation_id,
                 summary=f"Saved {len(values) + len(documents)} answer(s)")
    return application


def _editable(actor, application: Application) -> Application:
    application = _lock(application.pk)
    _lock_round(application.round_id)
    _require_member(actor, application.organisation)
    if application.status != "draft":
        raise ValidationError("This application has been submitted and cannot be changed.")
    _ensure_stage_open(application.round, application.stage)
    return application


def completeness_problems(application: Application) -> list[str]:
    """Everything still missing or wrong, in task-list order."""
    found = []
    if not application.project_title:
        found.append("Give your project a title.")
    if not application.project_summary:
        found.append("Describe your project in a few sentences.")
    if application.amount_requested is None:
        found.append("Say how much you are asking for.")
    if application.round.max_annual_income is not None and application.annual_income is None:
        found.append("Give your organisation's annual income.")
    answers = {a.question_id: a for a in application.answers.all()}
    for question in application.round.questions.filter(stage=application.stage):
        found += answer_rules.problems(question, answers.get(question.pk))
        if question.kind == "budget" and question.pk in answers and \
                application.amount_requested is not None:
            value = answers[question.pk].value or {}
            total = answer_rules._decimal(value.get("total"))
            if total is not None and total != application.amount_requested:
                found.append("The budget's total must equal the amount you are asking for.")
    return found


def eligibility_results(application: Application) -> list[eligibility.Result]:
    live = live_grant_count(organisation=application.organisation,
                            programme=application.round.programme)
    facts = eligibility.facts_for_application(application, live)
    return eligibility.evaluate(application.round, facts)


def application_submit(*, actor, application: Application) -> ApplicationReceipt:
    """Submit the application and return its receipt; raise saying why not."""
    with transaction.atomic():
        round_ = _lock_round(application.round_id)
        application = _lock(application.pk)
        _require_member(actor, application.organisation)
        if application.status != "draft":
            raise ValidationError("You have already submitted this application.")
        now = clock.server_now()
        _ensure_stage_open(round_, application.stage)
        problems = completeness_problems(application)
        if problems:
            raise ApplicationIncomplete(problems)
        results = eligibility_results(application)
        failed = eligibility.failures(results)
        if failed:
            raise ValidationError([f"{r.title}: {r.message}" for r in failed],
                                  code="ineligible")
        application.eligibility = [r.as_dict() for r in results]
        application.submitted_at = now
        application.save(update_fields=["eligibility", "submitted_at", "updated_at"])
        transition(obj=application, workflow=APPLICATION, name="submit", actor=actor,
                   organisation_id=application.organisation_id)
        receipt = ApplicationReceipt.objects.create(
            application=application, number=f"{application.reference}-R{now:%Y%m%d%H%M%S}",
            received_at=now, answers_sha256=_digest(application), submitted_by=actor)
        audit_record(actor=actor, action="grant_application.submitted", obj=application,
                     organisation_id=application.organisation_id,
                     summary=f"Submitted; receipt {receipt.number}",
                     changes={"receipt": receipt.number, "received_at": now.isoformat(),
                              "answers_sha256": receipt.answers_sha256})
        notify(recipients=[actor], subject=f"Application received: {application.reference}",
               body=(f"We received your application {application.reference} to "
                     f"{round_.title} at {clock.format_deadline(now)}.\n\nReceipt number: "
                     f"{receipt.number}\nDigest of your answers (SHA-256): "
                     f"{receipt.answers_sha256}"),
               url=reverse("grants:application_receipt", args=[application.pk]))
    return receipt


def _digest(application: Application) -> str:
    payload = {field: str(getattr(application, field)) for field in CORE_FIELDS}
    payload["answers"] = {str(a.question_id): [a.value, a.document.sha256 if a.document else None]
                          for a in application.answers.select_related("document")}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    """Withdraw before the deadline of the stage; afterwards the application stands."""
    round_ = _lock_round(application.round_id)
    application = _lock(application.pk)
    if application.status not in ("draft", "submitted"):
        raise ValidationError("This application can no longer be withdrawn.")
    now = clock.server_now()
    deadline = stage_deadline(round_, application.stage)
    if deadline is None or now >= deadline:
        raise ValidationError(f"The deadline was {clock.format_deadline(deadline)}: an "
                              "application cannot be withdrawn after it.", code="deadline")
    transition(obj=application, workflow=APPLICATION, name="withdraw", actor=actor,
               reason=reason, organisation_id=application.organisation_id)
    Application.objects.filter(pk=application.pk).update(withdrawn_at=now)
    application.refresh_from_db()
    return application


@transaction.atomic
def application_screen(*, actor, application: Application, eligible: bool,
                       reason: str = "") -> Application:
    """Screening by a grant manager: eligible, or not eligible with a reason."""
    from django.utils import timezone

    name = "screen_in" if eligible else "screen_out"
    transition(obj=application, workflow=APPLICATION, name=name, actor=actor, reason=reason,
               organisation_id=application.round.programme.authority_id)
    Application.objects.filter(pk=application.pk).update(
        screening_reason=reason.strip(), screened_by=actor, screened_at=timezone.now())
    application.refresh_from_db()
    return application
