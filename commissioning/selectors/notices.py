"""Reads for notices (public once published), direct awards and contract management."""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from commissioning.models import Contract, ContractChange, ContractKpi, DirectAward, Notice
from commissioning.permissions.evaluation import RUNNERS
from commissioning.selectors.tenders import authority_ids_of
from organisations.models import Role


def notice_get_public(*, pk: int) -> Notice:
    """A published notice: every notice is public."""
    notice = Notice.objects.select_related("authority").filter(pk=pk).first()
    if notice is None:
        raise Http404("No such notice.")
    return notice


def public_notices(*, notice_type: str = "") -> QuerySet[Notice]:
    notices = Notice.objects.select_related("authority").order_by("-published_at", "-id")
    return notices.filter(notice_type=notice_type) if notice_type else notices


def direct_awards_for_user(*, user) -> QuerySet[DirectAward]:
    """The direct awards of the authorities where the user commissions or manages contracts."""
    ids = authority_ids_of(user=user, roles={*RUNNERS, Role.CONTRACT_MANAGER})
    return (DirectAward.objects.filter(authority_id__in=ids)
            .select_related("authority", "supplier").order_by("-created_at", "-id"))


def direct_award_get_for_user(*, user, pk: int,
                              perm: str = "commissioning.view_direct_award") -> DirectAward:
    award = (DirectAward.objects.select_related("authority", "supplier", "switched_from")
             .filter(pk=pk).first())
    if award is None:
        raise Http404("No such direct award.")
    if not rules.has_perm(perm, user, award):
        raise PermissionDenied
    return award


def notices_of_direct_award(award: DirectAward) -> QuerySet[Notice]:
    """Its own notices (UK5, UK6, UK12) and those of its contract (UK7, UK9, UK10, UK11)."""
    mine = Q(direct_award=award)
    if award.procurement_id:
        mine |= Q(tender_id=award.procurement_id)
    return Notice.objects.filter(mine).order_by("published_at", "id")


def direct_award_contract(award: DirectAward) -> Contract | None:
    """The contract a direct award ended in (None before the award)."""
    if award.procurement_id is None:
        return None
    return Contract.objects.filter(award__tender_id=award.procurement_id).first()


def notices_of_contract(contract: Contract) -> QuerySet[Notice]:
    return contract.notices.order_by("published_at", "id")


def change_get(contract: Contract, pk: int) -> ContractChange:
    change = contract.changes.filter(pk=pk).first()
    if change is None:
        raise Http404("No such change.")
    return change


def contract_changes(contract: Contract) -> QuerySet[ContractChange]:
    return contract.changes.select_related("proposed_by", "notice").order_by("-created_at",
                                                                            "-id")


def kpi_of(contract: Contract, pk) -> ContractKpi:
    kpi = contract.kpis.filter(pk=pk).first() if str(pk).isdigit() else None
    if kpi is None:
        raise Http404("No such KPI.")
    return kpi


def planning_notices_of(*, notice_type: str, project=None, tender=None) -> QuerySet[Notice]:
    """The pipeline (UK1) notices of a project, or planned procurement (UK3) notices of a tender,
    already published."""
    notices = Notice.objects.filter(notice_type=notice_type).order_by("-published_at", "-id")
    return notices.filter(tender=tender) if tender is not None else notices.filter(
        project=project)


def tender_public_notices(*, tender) -> list[Notice]:
    """The notices published for a tender's procurement, oldest first, in one query: the
    tender's own (UK3, UK4, award, contract and termination notices) and the pipeline and
    market engagement notices of the project it came from."""
    about = Q(tender_id=tender.pk)
    if tender.project_id is not None:
        about |= Q(tender__isnull=True, project_id=tender.project_id)
    return list(Notice.objects.filter(about).only("id", "notice_type", "title", "published_at")
                .order_by("published_at", "id"))
