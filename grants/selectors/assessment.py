"""Assessment reads: assignments, the conflict gate, scores, the panel pack."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet, Sum

from grants.models import (
    Application,
    Assessment,
    AssessorAssignment,
    Award,
    ConflictDeclaration,
)


def assignment_of(*, user, round_) -> AssessorAssignment | None:
    """The user's assignment to the round (cached on the user for the request)."""
    if not user.is_authenticated or round_ is None:
        return None
    cache = user.__dict__.setdefault("_grant_assignments", {})
    if round_.pk not in cache:
        cache[round_.pk] = AssessorAssignment.objects.filter(
            round_id=round_.pk, assessor=user).first()
    return cache[round_.pk]


def conflicted_application_ids(*, assignment: AssessorAssignment) -> set[int]:
    cache = assignment.__dict__.get("_conflicts")
    if cache is None:
        cache = set(ConflictDeclaration.objects.filter(assignment=assignment)
                    .values_list("application_id", flat=True))
        assignment.__dict__["_conflicts"] = cache
    return cache


def assignments_for_assessor(*, user) -> QuerySet[AssessorAssignment]:
    if not user.is_authenticated:
        return AssessorAssignment.objects.none()
    return (AssessorAssignment.objects.filter(assessor=user)
            .select_related("round__programme__authority").order_by("-round__closes_at"))


def queue_for_assessor(*, assignment: AssessorAssignment) -> QuerySet[Application]:
    """What the assessor may score: nothing before declaring, never a conflicted application."""
    if assignment.declared_at is None:
        return Application.objects.none()
    conflicted = ConflictDeclaration.objects.filter(assignment=assignment).values(
        "application_id")
    return (Application.objects.filter(round_id=assignment.round_id, status="eligible")
            .exclude(pk__in=conflicted).select_related("organisation").order_by("reference"))


def applications_to_declare(*, round_) -> QuerySet[Application]:
    """Names only (applicant and project title), for the conflict declaration."""
    return (round_.applications.exclude(status__in=["draft", "withdrawn"])
            .select_related("organisation").only("id", "reference", "project_title",
                                                  "organisation__name")
            .order_by("organisation__name"))


def assignments_of_round(*, round_) -> QuerySet[AssessorAssignment]:
    return (round_.assessors.select_related("assessor")
            .annotate(conflict_count=Count("conflicts")).order_by("assessor__full_name"))


def assessment_of(*, application, user) -> Assessment | None:
    return (Assessment.objects.filter(application=application, assessor=user)
            .prefetch_related("scores").first())


def assessments_of(*, application) -> QuerySet[Assessment]:
    return (application.assessments.select_related("assessor")
            .prefetch_related("scores__criterion").order_by("assessor__full_name"))


def panel_pack(*, round_, stage: str) -> dict:
    """The shortlist with scores, requested and proposed amounts, and the budget remaining."""
    rows = (round_.applications.filter(stage=stage).exclude(
        status__in=["draft", "withdrawn", "submitted", "ineligible"])
        .select_related("organisation", "moderation", "decision", "award")
        .annotate(mean_score=Avg("assessments__total",
                                 filter=Q(assessments__submitted_at__isnull=False)),
                  assessed=Count("assessments",
                                 filter=Q(assessments__submitted_at__isnull=False)))
        .order_by("reference"))
    rows = sorted(rows, key=lambda a: -_score(a))
    committed = (Award.objects.filter(round=round_).exclude(status__in=["declined", "withdrawn"])
                 .aggregate(t=Sum("amount_awarded"))["t"] or Decimal("0"))
    proposed = sum((a.decision.amount or 0 for a in rows
                    if hasattr(a, "decision") and a.decision.outcome == "fund"
                    and not hasattr(a, "award")), Decimal("0"))
    return {"rows": rows, "budget": round_.budget, "committed": committed,
            "proposed": proposed, "remaining": round_.budget - committed - proposed}


def _score(application) -> Decimal:
    moderation = getattr(application, "moderation", None)
    if moderation is not None:
        return moderation.score
    return application.mean_score or Decimal("0")


def final_score(application) -> Decimal | None:
    moderation = getattr(application, "moderation", None)
    if moderation is not None:
        return moderation.score
    return getattr(application, "mean_score", None)


def current_stage(round_) -> str:
    """The stage a round's panel is deciding: the EOI until full applications exist."""
    if round_.is_two_stage and not round_.applications.filter(stage="full").exclude(
            status="draft").exists():
        return "eoi"
    return "full"
