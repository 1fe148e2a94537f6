"""Public reads for a tender's page beyond its notice: its award criteria and its published
awards and contracts (what Find a Tender shows; the same facts OCDS publishes)."""

from __future__ import annotations

from django.db.models import Prefetch

from commissioning.models import Award, AwardCriterion, Contract, Tender
from commissioning.selectors.awards import ACTIVE


def public_criteria(*, tender: Tender) -> list[AwardCriterion]:
    """The top-level award criteria with their sub-criteria (two queries)."""
    children = AwardCriterion.objects.order_by("order", "id")
    return list(tender.criteria.filter(parent__isnull=True).order_by("order", "id")
                .prefetch_related(Prefetch("sub_criteria", queryset=children)))


def public_awards(*, tender: Tender) -> list[Award]:
    """Awards whose notice is published (never a proposal still inside the authority), each
    with its contract when the contract's details are published (one query)."""
    awards = (Award.objects.filter(tender=tender, status__in=ACTIVE,
                                   notice_published_at__isnull=False)
              .select_related("supplier", "lot", "contract")
              .order_by("lot__number", "notice_published_at", "pk"))
    result = list(awards)
    for award in result:
        try:
            contract = award.contract
        except Contract.DoesNotExist:
            contract = None
        award.public_contract = (contract if contract and contract.details_published_at
                                 else None)
    return result
