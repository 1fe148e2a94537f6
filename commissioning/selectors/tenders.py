"""Reads about tenders, scoped to what the asking user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from commissioning.listing import SCOPE as LIST_SCOPE
from commissioning.models import (
    Bid,
    Clarification,
    Tender,
    TenderCpv,
    TenderDocument,
)
from commissioning.permissions.tenders import MANAGING_ROLES, PUBLIC_TENDER_STATES
from core import pagecache
from organisations.models import AUTHORITY_ROLES, PROVIDER_ROLES, Organisation

ADMIN_RELATED = ("authority", "project", "created_by")


def _main_cpv() -> Prefetch:
    return Prefetch("cpv_codes", queryset=TenderCpv.objects.order_by("-is_main", "code"))


def public_tenders() -> QuerySet[Tender]:
    """Tenders anyone may read: published or later (never drafts), newest first."""
    return (Tender.objects.filter(status__in=PUBLIC_TENDER_STATES, published_at__isnull=False)
            .select_related("authority").prefetch_related(_main_cpv())
            .order_by("-published_at", "-id"))


LIST_COLUMNS = ("title", "reference", "summary", "status", "deadline", "published_at",
                "estimated_value_inc_vat", "authority__name")


def public_tender_list() -> QuerySet[Tender]:
    """Public tenders with only the columns the public list shows."""
    return public_tenders().only(*LIST_COLUMNS)


def open_tenders() -> QuerySet[Tender]:
    return public_tenders().filter(status="published", deadline__gt=timezone.now())


def authorities_with_public_tenders() -> QuerySet[Organisation]:
    public = Tender.objects.filter(authority=OuterRef("pk"), status__in=PUBLIC_TENDER_STATES,
                                   published_at__isnull=False)
    return Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).filter(
        Exists(public)).order_by("name")


def public_buyer_choices() -> list[tuple[str, str]]:
    """(id, name) of every authority with a public tender, for the list's filter; kept in
    memory until the list changes."""
    def compute() -> list[tuple[str, str]]:
        rows = authorities_with_public_tenders().values_list("pk", "name")
        return [(str(pk), name) for pk, name in rows]

    return pagecache.remember(LIST_SCOPE, "buyers", compute)


def _fetch(pk: int, queryset: QuerySet[Tender] | None = None) -> Tender:
    tender = (queryset if queryset is not None else Tender.objects).select_related(
        *ADMIN_RELATED).filter(pk=pk).first()
    if tender is None:
        raise Http404("No such tender.")
    return tender


def tender_get_public(*, user, pk: int) -> Tender:
    """A tender for its public page: drafts are 404 to anyone who may not administer them."""
    tender = _fetch(pk)
    if not user.has_perm("commissioning.view_tender", tender):
        raise Http404("No such tender.")
    return tender


def tender_get_for_user(*, user, pk: int, perm: str = "commissioning.view_tender_admin") -> Tender:
    """A tender for its administration pages: 404 when unknown, 403 when `perm` is refused."""
    tender = _fetch(pk)
    if not user.has_perm(perm, tender):
        if not user.has_perm("commissioning.view_tender", tender):
            raise Http404("No such tender.")
        raise PermissionDenied
    return tender


def authority_ids_of(*, user, roles=AUTHORITY_ROLES) -> list[int]:
    from organisations.selectors import organisation_ids_with_role

    return organisation_ids_with_role(user=user, roles=roles)


def authority_tenders(*, user) -> QuerySet[Tender]:
    """Every tender (drafts included) of the authorities where the user is staff."""
    return (Tender.objects.filter(authority_id__in=authority_ids_of(user=user))
            .select_related("authority").order_by("-updated_at", "-id"))


def tender_status_counts(*, user) -> dict[str, int]:
    rows = authority_tenders(user=user).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def published_documents(*, tender: Tender) -> QuerySet[TenderDocument]:
    return tender.documents.filter(published_at__isnull=False, withdrawn_at__isnull=True
                                   ).select_related("document")


def all_documents(*, tender: Tender) -> QuerySet[TenderDocument]:
    return tender.documents.select_related("document").order_by("withdrawn_at", "title", "id")


def tender_document_get_public(*, user, tender_pk: int, pk: int) -> TenderDocument:
    """A downloadable document: published and not withdrawn, unless the user administers it."""
    tender = tender_get_public(user=user, pk=tender_pk)
    documents = (all_documents(tender=tender)
                 if user.has_perm("commissioning.view_tender_admin", tender)
                 else published_documents(tender=tender))
    document = documents.filter(pk=pk).first()
    if document is None:
        raise Http404("No such document.")
    return document


def answered_clarifications(*, tender: Tender) -> QuerySet[Clarification]:
    """Published answers, without anything identifying who asked."""
    return tender.clarifications.filter(answered_at__isnull=False).only(
        "id", "tender_id", "question", "answer", "answered_at", "created_at")


def clarifications_for_authority(*, tender: Tender) -> QuerySet[Clarification]:
    return tender.clarifications.select_related("asked_by_organisation", "answered_by").order_by(
        "answered_at", "created_at", "id")


def clarification_get_for_user(*, user, tender_pk: int, pk: int) -> Clarification:
    tender = tender_get_for_user(user=user, pk=tender_pk,
                                 perm="commissioning.answer_clarification")
    clarification = tender.clarifications.filter(pk=pk).first()
    if clarification is None:
        raise Http404("No such question.")
    clarification.tender = tender
    return clarification


def interested_organisation_ids(*, tender: Tender) -> set[int]:
    """Organisations following the tender or bidding for it (draft or submitted bids)."""
    interest = set(tender.interests.values_list("organisation_id", flat=True))
    bidders = set(Bid.objects.filter(tender=tender).exclude(status=Bid.Status.WITHDRAWN)
                  .values_list("organisation_id", flat=True))
    return interest | bidders


def supplier_recipients(*, organisation_ids):
    """Active people holding a provider role in the given organisations."""
    from accounts.models import User

    return User.objects.filter(memberships__organisation_id__in=list(organisation_ids),
                               memberships__role__in=PROVIDER_ROLES, is_active=True).distinct()


def tender_supplier_recipients(*, tender: Tender):
    return supplier_recipients(organisation_ids=interested_organisation_ids(tender=tender))


def authority_managers(*, authority: Organisation):
    from accounts.models import User

    return User.objects.filter(memberships__organisation=authority,
                               memberships__role__in=MANAGING_ROLES, is_active=True).distinct()


def has_registered_interest(*, user, tender: Tender) -> bool:
    if not user.is_authenticated:
        return False
    return tender.interests.filter(organisation__memberships__user=user).exists()


def authority_for_new_tender(*, user, current: Organisation | None) -> Organisation:
    """The authority a new tender or project belongs to: the current organisation when the
    user manages tenders there, otherwise the first authority they manage."""
    if current is not None and user.has_perm("commissioning.create_tender", current):
        return current
    ids = authority_ids_of(user=user, roles=MANAGING_ROLES)
    if not ids:
        raise PermissionDenied
    return Organisation.objects.filter(pk__in=ids).order_by("name").first()
