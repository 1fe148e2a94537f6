"""Clarification questions: suppliers ask before the questions deadline; the authority answers
once, to everyone, never naming who asked.

A round of a staged procedure (ADR 0022) has clarifications of its own: only the suppliers
taking part in it ask, until its deadline, and the answer goes to them alone (a round is never
public, so no OCDS release)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Clarification, ProcedureStage, SupplierInterest, Tender
from commissioning.selectors.stages import (
    round_is_open,
    round_participant_ids,
    round_participant_refusal,
    stage_of,
)
from commissioning.selectors.tenders import (
    authority_managers,
    supplier_recipients,
    tender_supplier_recipients,
)
from commissioning.services.publication import release_publish
from core.audit import audit_record
from core.notifications import notify
from core.templatetags.govuk import govuk_date
from organisations.models import PROVIDER_ROLES, Organisation


def _check_asker(actor, organisation: Organisation | None) -> Organisation:
    if (organisation is None or organisation.kind != Organisation.Kind.PROVIDER
            or not organisation.is_verified
            or not organisation.memberships.filter(user=actor, role__in=PROVIDER_ROLES).exists()):
        raise PermissionDenied("Ask on behalf of a verified organisation you belong to.")
    return organisation


def _check_round_asker(stage: ProcedureStage, round_tender: Tender,
                       organisation: Organisation) -> None:
    stage.round = round_tender
    refusal = round_participant_refusal(stage, organisation)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if not round_is_open(round_tender):
        raise ValidationError(
            f"The deadline for {stage.title} passed on {govuk_date(round_tender.deadline, True)}: "
            "questions about it are closed.")


def _answer_audience(tender: Tender):
    """Who is told of an answer, and where they read it: a round's participants on their stage
    page; everyone interested in an ordinary tender on its public page."""
    stage = stage_of(tender)
    if stage is None:
        return (tender_supplier_recipients(tender=tender),
                reverse("commissioning:tender_detail", args=[tender.pk]) + "#clarifications")
    return (supplier_recipients(organisation_ids=round_participant_ids(stage)),
            reverse("commissioning:supplier_round", args=[stage.pk]) + "#clarifications")


@transaction.atomic
def clarification_ask(*, actor, tender: Tender, organisation: Organisation | None,
                      question: str) -> Clarification:
    """A supplier asks a question; the authority's commissioners are told (not who asked,
    beyond the organisation, which only the authority sees)."""
    stage = stage_of(tender)
    if stage is None and not actor.has_perm("commissioning.ask_clarification", tender):
        raise PermissionDenied("The deadline for questions about this tender has passed.")
    organisation = _check_asker(actor, organisation)
    if stage is not None:
        _check_round_asker(stage, tender, organisation)
    if not question.strip():
        raise ValidationError({"question": "Enter your question."})
    clarification = Clarification.objects.create(
        tender=tender, question=question.strip(), asked_by=actor,
        asked_by_organisation=organisation)
    SupplierInterest.objects.get_or_create(tender=tender, organisation=organisation)
    audit_record(actor=actor, action="clarification.asked", obj=clarification,
                 organisation_id=organisation.pk,
                 summary=f"Question about {tender.reference} from {organisation.name}")
    notify(recipients=authority_managers(authority=tender.authority),
           subject=f"New clarification question: {tender.title}",
           body=f"A supplier asked a question about {tender.reference}. Answer it before the "
                "deadline for bids; the answer is sent to every interested supplier.",
           url=reverse("commissioning:clarification_answer", args=[tender.pk, clarification.pk]))
    return clarification


@transaction.atomic
def clarification_answer(*, actor, clarification: Clarification, answer: str,
                         question: str | None = None) -> Clarification:
    """Publish the answer to every interested supplier and bidder, anonymously.

    The authority may rephrase the question (`question`) to remove anything that identifies
    the asker before it is published.
    """
    tender = clarification.tender
    if not actor.has_perm("commissioning.answer_clarification", tender):
        raise PermissionDenied("You cannot answer questions about this tender.")
    if clarification.answered_at is not None:
        raise ValidationError("This question has already been answered.")
    if tender.status != Tender.Status.PUBLISHED:
        raise ValidationError("Questions can be answered only while the tender is open.")
    if not answer.strip():
        raise ValidationError({"answer": "Enter the answer."})
    if question is not None and question.strip():
        clarification.question = question.strip()
    clarification.answer = answer.strip()
    clarification.answered_by, clarification.answered_at = actor, timezone.now()
    clarification.save()
    audit_record(actor=actor, action="clarification.answered", obj=clarification,
                 organisation_id=tender.authority_id,
                 summary=f"Answered a question about {tender.reference}")
    if stage_of(tender) is None:  # a round is never public
        release_publish(tender=tender, tags=["tenderUpdate"])
    recipients, url = _answer_audience(tender)
    notify(recipients=recipients, subject=f"Clarification published: {tender.title}",
           body=f"Question: {clarification.question}\n\nAnswer: {clarification.answer}",
           url=url)
    return clarification
