"""Applications: the applicant's own, one application, a round's list for its managers."""

from __future__ import annotations

from django.db.models import QuerySet

from grants.models import Answer, Application, Award
from grants.selectors.common import fetch_checked, provider_ids

RELATED = ("round__programme__authority", "organisation", "created_by")


def application_get_for_user(*, user, pk: int,
                             perm: str = "grants.view_application") -> Application:
    queryset = Application.objects.select_related(*RELATED)
    return fetch_checked(queryset, user=user, pk=pk, perm=perm,
                         hide_perm="grants.view_application", label="application")


def applications_for_applicant(*, user) -> QuerySet[Application]:
    return (Application.objects.filter(organisation_id__in=provider_ids(user=user))
            .select_related(*RELATED).order_by("-updated_at", "-id"))


def applications_of_round(*, round_) -> QuerySet[Application]:
    return (round_.applications.select_related("organisation", "round")
            .order_by("reference"))


def answers_by_question(*, application: Application) -> dict[int, Answer]:
    return {a.question_id: a for a in application.answers.select_related("document")}


def live_grant_count(*, organisation, programme) -> int:
    return Award.objects.filter(recipient=organisation, programme=programme,
                                status__in=["offered", "live"]).count()


def latest_receipt(*, application: Application):
    return application.receipts.order_by("-received_at").first()


def existing_application(*, round_, organisation, stage: str) -> Application | None:
    return (Application.objects.filter(round=round_, organisation=organisation, stage=stage)
            .exclude(status="withdrawn").first())
