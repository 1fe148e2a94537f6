"""Aggregates for the mutuals reports: never an organisation's private evidence."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from mutuals.models import Milestone, Region, Sector, SupportApplication, SupportScheme
from mutuals.selectors import current_recognitions
from organisations.models import Organisation


def register_counts() -> list[dict]:
    """Recognised mutuals today by sector and region (with their labels)."""
    recognised = current_recognitions().filter(organisation=OuterRef("pk"))
    rows = list(Organisation.objects.filter(Exists(recognised), mutual_profile__isnull=False)
                .order_by().values(sector=F("mutual_profile__sector"),
                                   region=F("mutual_profile__region"))
                .annotate(count=Count("pk")).order_by("sector", "region"))
    sectors, regions = dict(Sector.choices), dict(Region.choices)
    for row in rows:
        row["sector_label"] = sectors.get(row["sector"], row["sector"])
        row["region_label"] = regions.get(row["region"], row["region"])
    return rows


def support_funnel(*, authority_ids: list[int] | None) -> list[dict]:
    """Per scheme: applications started, sent, supported, and plans whose launch is signed off."""
    schemes = SupportScheme.objects.all()
    if authority_ids is not None:
        schemes = schemes.filter(authority_id__in=authority_ids)
    sent = ~Q(applications__status__in=[SupportApplication.Status.DRAFT])
    launched = Q(applications__plan__milestones__key="launch",
                 applications__plan__milestones__status=Milestone.Status.SIGNED_OFF)
    return list(schemes.order_by("name").values("pk", "name", "authority__name").annotate(
        started=Count("applications", distinct=True),
        applied=Count("applications", filter=sent, distinct=True),
        supported=Count("applications", filter=Q(
            applications__status=SupportApplication.Status.APPROVED), distinct=True),
        launched=Count("applications", filter=launched, distinct=True)))


def milestone_progress(*, authority_ids: list[int] | None) -> list[dict]:
    """Per milestone of the spin-out route: how many plans have it, and how many signed off."""
    milestones = Milestone.objects.all()
    if authority_ids is not None:
        milestones = milestones.filter(plan__application__scheme__authority_id__in=authority_ids)
    return list(milestones.order_by().values("key", "title", "position").annotate(
        plans=Count("pk"),
        signed_off=Count("pk", filter=Q(status=Milestone.Status.SIGNED_OFF)))
        .order_by("position"))


def grants_to_mutuals(*, authority_ids: list[int] | None, start=None, end=None) -> list[dict]:
    """Per funder: grants awarded (count, value) in all and to organisations recognised as
    mutuals today."""
    from grants.models import Award as GrantAward

    recognised = current_recognitions().filter(organisation=OuterRef("recipient"))
    awards = GrantAward.objects.exclude(status__in=["declined", "withdrawn"])
    if authority_ids is not None:
        awards = awards.filter(programme__authority_id__in=authority_ids)
    if start:
        awards = awards.filter(awarded_on__gte=start)
    if end:
        awards = awards.filter(awarded_on__lte=end)
    to_mutuals = Q(Exists(recognised))
    return list(awards.order_by().values(
        authority_id=F("programme__authority_id"), authority=F("programme__authority__name"))
        .annotate(grants=Count("pk"), grant_value=Sum("amount_awarded"),
                  mutual_grants=Count("pk", filter=to_mutuals),
                  mutual_grant_value=Sum("amount_awarded", filter=to_mutuals))
        .order_by("authority"))
