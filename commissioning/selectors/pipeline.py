"""Reads about projects and market engagement, scoped to what the asking user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from commissioning.models import (
    CitizenComment,
    MarketQuestion,
    MarketResponse,
    Project,
    Tender,
)
from commissioning.permissions.tenders import PUBLIC_TENDER_STATES
from commissioning.selectors.tenders import authority_ids_of
from organisations.models import Organisation


def public_projects() -> QuerySet[Project]:
    """Projects in the public pipeline (public and past draft), newest first."""
    return (Project.objects.filter(is_public=True).exclude(status=Project.Status.DRAFT)
            .select_related("authority").order_by("-created_at", "-id"))


def authority_projects(*, user) -> QuerySet[Project]:
    """Every project (drafts included) of the authorities where the user is staff."""
    return (Project.objects.filter(authority_id__in=authority_ids_of(user=user))
            .select_related("authority").order_by("-updated_at", "-id"))


def authorities_with_public_projects() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=Organisation.Kind.AUTHORITY, projects__is_public=True
    ).distinct().order_by("name")


def project_get_for_user(*, user, pk: int, perm: str = "commissioning.view_project") -> Project:
    """404 when unknown or not visible to the user; 403 when visible but `perm` is refused."""
    project = Project.objects.select_related("authority").filter(pk=pk).first()
    if project is None or not user.has_perm("commissioning.view_project", project):
        raise Http404("No such project.")
    if not user.has_perm(perm, project):
        raise PermissionDenied
    return project


def project_tenders(*, user, project: Project) -> QuerySet[Tender]:
    tenders = project.tenders.select_related("authority").order_by("-published_at", "-id")
    if user.has_perm("commissioning.view_market_responses", project):
        return tenders
    return tenders.filter(status__in=PUBLIC_TENDER_STATES, published_at__isnull=False)


def project_questions(*, user, project: Project) -> list[MarketQuestion]:
    """The project's market questions, each with `visible_responses`: every organisation's
    response for the authority's staff, and nothing for anyone else (responses are private)."""
    questions = project.questions.all()
    if user.has_perm("commissioning.view_market_responses", project):
        responses = MarketResponse.objects.select_related("organisation", "author")
        return list(questions.prefetch_related(
            Prefetch("responses", queryset=responses, to_attr="visible_responses")))
    rows = list(questions)
    for question in rows:
        question.visible_responses = []
    return rows


def project_comments(*, project: Project) -> QuerySet[CitizenComment]:
    return project.comments.select_related("author")


def market_question_get_for_user(*, user, pk: int) -> MarketQuestion:
    question = MarketQuestion.objects.select_related("project__authority").filter(pk=pk).first()
    if question is None or not user.has_perm("commissioning.view_project", question.project):
        raise Http404("No such question.")
    if not user.has_perm("commissioning.respond_to_market", question):
        raise PermissionDenied
    return question


def response_of(*, question: MarketQuestion, organisation: Organisation | None):
    if organisation is None:
        return None
    return question.responses.filter(organisation=organisation).first()


def responding_organisation_ids(*, project: Project) -> set[int]:
    return set(MarketResponse.objects.filter(question__project=project)
               .values_list("organisation_id", flat=True))
