"""django-rules permissions for projects, tenders and clarifications (imported by rules.py).

Objects: `*_tender` and clarification permissions take a Tender; `*_project` take a Project;
`respond_to_market` takes a MarketQuestion; `create_project`/`create_tender` take the
authority (an Organisation).
"""

from __future__ import annotations

import rules
from django.utils import timezone

from organisations.models import AUTHORITY_ROLES, PROVIDER_ROLES, Role
from organisations.rules import is_platform_admin
from organisations.selectors import roles_of

MANAGING_ROLES = frozenset({Role.COMMISSIONER, Role.AUTHORITY_ADMIN})
PUBLIC_TENDER_STATES = frozenset(
    {"published", "opened", "evaluation", "awarding", "standstill", "contracted", "cancelled"})


def _roles_at(user, organisation) -> set[str]:
    if organisation is None or not user.is_authenticated:
        return set()
    return roles_of(user=user, organisation=organisation)


def _provider_orgs(user) -> list:
    """Verified organisations in which the user holds a provider role."""
    if not user.is_authenticated:
        return []
    from organisations.models import Membership

    cache = user.__dict__.get("_verified_provider_orgs")
    if cache is None:
        cache = list({m.organisation for m in Membership.objects.filter(
            user=user, role__in=PROVIDER_ROLES, organisation__verification_status="verified",
            organisation__kind="provider").select_related("organisation")})
        user.__dict__["_verified_provider_orgs"] = cache
    return cache


@rules.predicate
def manages_authority(user, authority) -> bool:
    return bool(_roles_at(user, authority) & MANAGING_ROLES)


@rules.predicate
def manages_tender(user, tender) -> bool:
    return tender is not None and bool(_roles_at(user, tender.authority) & MANAGING_ROLES)


@rules.predicate
def staff_of_tender_authority(user, tender) -> bool:
    return tender is not None and bool(_roles_at(user, tender.authority) & AUTHORITY_ROLES)


@rules.predicate
def tender_is_public(user, tender) -> bool:
    # A draft abandoned before publication is cancelled but was never public.
    return (tender is not None and tender.status in PUBLIC_TENDER_STATES
            and tender.published_at is not None)


@rules.predicate
def tender_is_open(user, tender) -> bool:
    return (tender is not None and tender.status == "published" and tender.deadline is not None
            and tender.deadline > timezone.now())


@rules.predicate
def questions_are_open(user, tender) -> bool:
    deadline = tender.questions_deadline if tender is not None else None
    return deadline is not None and deadline > timezone.now()


@rules.predicate
def is_tender_draft(user, tender) -> bool:
    return tender is not None and tender.status == "draft"


@rules.predicate
def is_verified_provider_member(user) -> bool:
    return bool(_provider_orgs(user))


@rules.predicate
def is_citizen(user) -> bool:
    return bool(user.is_authenticated and hasattr(user, "citizen_profile"))


@rules.predicate
def manages_project(user, project) -> bool:
    return project is not None and bool(_roles_at(user, project.authority) & MANAGING_ROLES)


@rules.predicate
def staff_of_project_authority(user, project) -> bool:
    return project is not None and bool(_roles_at(user, project.authority) & AUTHORITY_ROLES)


@rules.predicate
def project_is_public(user, project) -> bool:
    return project is not None and project.is_public and project.status != "draft"


@rules.predicate
def market_question_is_open(user, question) -> bool:
    return (question is not None and question.closes_at > timezone.now()
            and question.project.is_public and question.project.status == "engagement")


@rules.predicate
def is_member_of_other_verified_org(user, question) -> bool:
    if question is None or not user.is_authenticated:
        return False
    return any(o.pk != question.project.authority_id for o in _provider_orgs(user))


can_view_tender_admin = staff_of_tender_authority | is_platform_admin

rules.add_perm("commissioning.create_tender", manages_authority)
rules.add_perm("commissioning.manage_tender", manages_tender)
rules.add_perm("commissioning.view_tender_admin", can_view_tender_admin)
rules.add_perm("commissioning.view_tender", tender_is_public | can_view_tender_admin)
rules.add_perm("commissioning.save_tender_search", is_verified_provider_member)
rules.add_perm("commissioning.register_interest",
               tender_is_open & is_verified_provider_member)
rules.add_perm("commissioning.ask_clarification",
               tender_is_open & questions_are_open & is_verified_provider_member)
rules.add_perm("commissioning.answer_clarification", manages_tender & ~is_tender_draft)

rules.add_perm("commissioning.create_project", manages_authority)
rules.add_perm("commissioning.manage_project", manages_project)
rules.add_perm("commissioning.view_project",
               project_is_public | staff_of_project_authority | is_platform_admin)
rules.add_perm("commissioning.respond_to_market",
               market_question_is_open & is_member_of_other_verified_org)
rules.add_perm("commissioning.view_market_responses", staff_of_project_authority)
rules.add_perm("commissioning.comment_on_project", project_is_public & is_citizen)
