"""Programmes and rounds: the public list, one round, the managers' lists."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from grants.models import Criterion, FundingContribution, Programme, Question, Round
from grants.rules import MANAGING_ROLES, PUBLIC_ROUND_STATES
from grants.selectors.common import authority_ids, fetch_checked


def open_stage(round_: Round, now: datetime.datetime) -> str | None:
    """The stage taking applications at `now` ("eoi" or "full"), or None."""
    if round_.status != "published" or round_.opens_at is None or now < round_.opens_at:
        return None
    if round_.closes_at and now < round_.closes_at:
        return "eoi" if round_.is_two_stage else "full"
    if round_.is_two_stage and round_.full_closes_at and now < round_.full_closes_at:
        return "full"
    return None


def stage_deadline(round_: Round, stage: str):
    return round_.full_closes_at if (round_.is_two_stage and stage == "full") else round_.closes_at


def public_rounds() -> QuerySet[Round]:
    """Rounds anyone may read (never drafts or direct awards), soonest closing first."""
    return (Round.objects.filter(status__in=PUBLIC_ROUND_STATES, published_at__isnull=False)
            .exclude(kind=Round.Kind.DIRECT)
            .select_related("programme__authority").order_by("closes_at", "id"))


def open_rounds(now: datetime.datetime | None = None) -> QuerySet[Round]:
    now = now or timezone.now()
    return public_rounds().filter(status="published", opens_at__lte=now).filter(
        Q(closes_at__gt=now) | Q(is_two_stage=True, full_closes_at__gt=now))


def round_get_public(*, user, pk: int) -> Round:
    queryset = Round.objects.select_related("programme__authority")
    return fetch_checked(queryset, user=user, pk=pk, perm="grants.view_round", label="round")


def round_get_for_user(*, user, pk: int, perm: str = "grants.view_round_admin") -> Round:
    queryset = Round.objects.select_related("programme__authority", "created_by")
    return fetch_checked(queryset, user=user, pk=pk, perm=perm, hide_perm="grants.view_round",
                         label="round")


def programme_get_for_user(*, user, pk: int,
                           perm: str = "grants.view_programme_admin") -> Programme:
    queryset = Programme.objects.select_related("authority")
    return fetch_checked(queryset, user=user, pk=pk, perm=perm,
                         hide_perm="grants.view_programme_admin", label="programme")


def programmes_for_user(*, user) -> QuerySet[Programme]:
    return (Programme.objects.filter(authority_id__in=authority_ids(user=user))
            .select_related("authority").annotate(round_count=Count("rounds"))
            .order_by("title"))


def managed_authority_ids(*, user) -> list[int]:
    return authority_ids(user=user, roles=MANAGING_ROLES)


def rounds_of(*, programme: Programme) -> QuerySet[Round]:
    return programme.rounds.annotate(application_count=Count("applications")).order_by("-id")


def contributions_of(*, programme: Programme) -> QuerySet[FundingContribution]:
    return programme.contributions.select_related("funder")


def pooled_total(*, programme: Programme):
    return programme.contributions.aggregate(t=Sum("amount"))["t"]


def criteria_of(*, round_: Round) -> QuerySet[Criterion]:
    return round_.criteria.order_by("number")


def questions_of(*, round_: Round, stage: str | None = None) -> QuerySet[Question]:
    questions = round_.questions.order_by("stage", "number")
    return questions.filter(stage=stage) if stage else questions


def sections_of(*, round_: Round, stage: str) -> list[tuple[str, list[Question]]]:
    """The stage's questions grouped by section, in question order (the task list)."""
    sections: dict[str, list[Question]] = {}
    for question in questions_of(round_=round_, stage=stage):
        sections.setdefault(question.section, []).append(question)
    return list(sections.items())


def round_status_counts(*, user) -> dict[str, int]:
    rows = (Round.objects.filter(programme__authority_id__in=authority_ids(user=user))
            .values("status").annotate(n=Count("id")).order_by())
    return {row["status"]: row["n"] for row in rows}
