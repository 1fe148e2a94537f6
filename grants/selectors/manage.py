"""Reads for the managers' screens that do not belong to one entity."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from grants.models import Question, RuleResult
from grants.rules import MANAGING_ROLES
from grants.selectors.common import authority_ids
from organisations.models import AUTHORITY_ROLES, Organisation
from organisations.selectors import current_organisation


def is_staff(*, user) -> bool:
    return bool(authority_ids(user=user))


def managed_authority(request) -> Organisation | None:
    """The authority the manager is acting for: the current one, else their only one."""
    managed = authority_ids(user=request.user, roles=MANAGING_ROLES)
    current = current_organisation(request)
    if current is not None and current.pk in managed:
        return current
    return Organisation.objects.filter(pk=managed[0]).first() if managed else None


def other_authorities(*, programme) -> QuerySet[Organisation]:
    return (Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY,
                                        verification_status="verified")
            .exclude(pk=programme.authority_id).order_by("name"))


def invitable_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.PROVIDER,
                                       verification_status="verified").order_by("name")


def possible_assessors(*, round_) -> QuerySet[User]:
    return (User.objects.filter(memberships__organisation=round_.programme.authority,
                                memberships__role__in=AUTHORITY_ROLES, is_active=True)
            .distinct().order_by("full_name"))


def assessors_of(*, round_):
    from grants.selectors.assessment import assignments_of_round

    return assignments_of_round(round_=round_)


def invitations_of(*, round_):
    return round_.invitations.select_related("organisation").order_by("organisation__name")


def question_of(*, round_, pk: int) -> Question:
    from django.http import Http404

    question = round_.questions.filter(pk=pk).first()
    if question is None:
        raise Http404("No such question.")
    return question


def rule_results(*, programme) -> QuerySet[RuleResult]:
    return RuleResult.objects.filter(programme=programme).select_related("actor").order_by(
        "-created_at", "-id")[:500]
