"""Pipeline and co-design writes: projects, market engagement, responses and comments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.models import (
    CitizenComment,
    EngagementEvent,
    MarketQuestion,
    MarketResponse,
    Project,
)
from core.audit import audit_record
from core.notifications import notify
from organisations.models import PROVIDER_ROLES, Organisation

PROJECT_FIELDS = ("title", "need", "outcomes", "budget", "starts_on", "ends_on", "is_public")
EVENT_FIELDS = ("title", "description", "starts_at", "location")


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied("You are not allowed to do that.")


def _apply(obj, data: dict[str, Any], names: tuple[str, ...]) -> dict[str, list]:
    changes = {n: [getattr(obj, n), data[n]] for n in names
               if n in data and getattr(obj, n) != data[n]}
    for name in changes:
        setattr(obj, name, data[name])
    return changes


def _check_dates(project: Project) -> None:
    if project.starts_on and project.ends_on and project.ends_on < project.starts_on:
        raise ValidationError({"ends_on": "The end date must be the same as or after the start "
                                          "date."})


def _audit(actor, project: Project, action: str, summary: str, obj=None, changes=None) -> None:
    audit_record(actor=actor, action=action, obj=obj or project, summary=summary,
                 organisation_id=project.authority_id, changes=changes or {})


@transaction.atomic
def project_create(*, actor, authority: Organisation, data: dict[str, Any]) -> Project:
    """A commissioner records a need, the outcomes sought, a budget and a timeline."""
    _require(actor, "commissioning.create_project", authority)
    project = Project(authority=authority, created_by=actor)
    _apply(project, data, PROJECT_FIELDS)
    _check_dates(project)
    project.full_clean()
    project.save()
    _audit(actor, project, "project.created", f"Created project {project.title}")
    return project


@transaction.atomic
def project_update(*, actor, project: Project, data: dict[str, Any]) -> Project:
    _require(actor, "commissioning.manage_project", project)
    changes = _apply(project, data, PROJECT_FIELDS)
    _check_dates(project)
    project.full_clean()
    project.save()
    _audit(actor, project, "project.updated", f"Edited project {project.title}", changes=changes)
    return project


@transaction.atomic
def project_start_engagement(*, actor, project: Project) -> Project:
    """Open the project to the market: it becomes public in the pipeline."""
    _require(actor, "commissioning.manage_project", project)
    if project.status != Project.Status.DRAFT:
        raise ValidationError("Market engagement has already started for this project.")
    project.status, project.is_public = Project.Status.ENGAGEMENT, True
    project.save(update_fields=["status", "is_public", "updated_at"])
    _audit(actor, project, "project.engagement_started",
           f"Started market engagement for {project.title}")
    return project


@transaction.atomic
def engagement_event_add(*, actor, project: Project, data: dict[str, Any]) -> EngagementEvent:
    """Add a market engagement event (a workshop, a drop-in, an online session)."""
    _require(actor, "commissioning.manage_project", project)
    event = EngagementEvent(project=project)
    _apply(event, data, EVENT_FIELDS)
    if event.starts_at and event.starts_at <= timezone.now():
        raise ValidationError({"starts_at": "The event must be in the future."})
    event.full_clean()
    event.save()
    _audit(actor, project, "project.event_added", f"Added event {event.title}", obj=event)
    return event


@transaction.atomic
def market_question_add(*, actor, project: Project, text: str,
                        closes_at: datetime) -> MarketQuestion:
    """Ask the market a question; organisations answer until it closes."""
    _require(actor, "commissioning.manage_project", project)
    if not text.strip():
        raise ValidationError({"text": "Enter the question."})
    if closes_at <= timezone.now():
        raise ValidationError({"closes_at": "The closing date must be in the future."})
    question = MarketQuestion.objects.create(project=project, text=text.strip(),
                                             closes_at=closes_at)
    _audit(actor, project, "project.market_question_added",
           f"Asked the market a question about {project.title}", obj=question)
    return question


@transaction.atomic
def market_response_save(*, actor, question: MarketQuestion, organisation: Organisation | None,
                         text: str) -> MarketResponse:
    """One response per organisation, which its members may change until the question closes."""
    _require(actor, "commissioning.respond_to_market", question)
    if (organisation is None or not organisation.is_verified
            or not organisation.memberships.filter(user=actor, role__in=PROVIDER_ROLES).exists()):
        raise PermissionDenied("Respond on behalf of a verified organisation you belong to.")
    if not text.strip():
        raise ValidationError({"text": "Enter your response."})
    response = MarketResponse.objects.select_for_update().filter(
        question=question, organisation=organisation).first()
    created = response is None
    response = response or MarketResponse(question=question, organisation=organisation)
    response.author, response.text = actor, text.strip()
    response.save()
    project = question.project
    _audit(actor, project, "project.market_response_saved",
           f"{organisation.name} {'responded to' if created else 'changed its response to'} a "
           f"market question about {project.title}", obj=response)
    if created:
        notify(recipients=[project.created_by], subject=f"New market response: {project.title}",
               body=f"{organisation.name} responded to your market question.",
               url=reverse("commissioning:project_detail", args=[project.pk]))
    return response


@transaction.atomic
def citizen_comment_add(*, actor, project: Project, text: str) -> CitizenComment:
    """A citizen comments publicly on a project in the pipeline."""
    _require(actor, "commissioning.comment_on_project", project)
    if not text.strip():
        raise ValidationError({"text": "Enter your comment."})
    comment = CitizenComment.objects.create(project=project, author=actor, text=text.strip())
    _audit(actor, project, "project.comment_added", f"Citizen comment on {project.title}",
           obj=comment)
    return comment
