"""Demo commissioning data: Northshire County Council's tenders in every state.

`seed(stdout)` is run by `manage.py seed_demo` after the organisations and social value demos.
Everything goes through the real services, so each step leaves the audit entries, status
history and OCDS releases real use does. Idempotent: each tender is keyed on its reference
(and each project on its title) and skipped when it already exists.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from commissioning.demo import content as text
from commissioning.demo import notices as notices_demo
from commissioning.demo import staged, stages, young_commissioners
from commissioning.demo.build import (
    Cast,
    bid,
    draft_from_project,
    project_with_engagement,
    published_tender,
)
from commissioning.models import Project, Tender
from commissioning.services.tenders import tender_cancel
from mutuals import demo as mutuals_demo

RIVERSIDE, MUTUAL, BRIGHTWAY = text.RIVERSIDE, text.MUTUAL, text.BRIGHTWAY
ALL_BIDDERS = (RIVERSIDE, MUTUAL, BRIGHTWAY)


def seed(stdout) -> None:
    cast = Cast.load()
    for spec in text.PROJECTS:
        project = Project.objects.filter(authority=cast.authority, title=spec["title"]).first()
        if project is None:
            project = project_with_engagement(cast, spec)
        if spec["tender"] and not _exists(cast, spec["tender"]["reference"]):
            draft_from_project(cast, project, spec["tender"])
    for state, build in BUILDERS.items():
        spec = text.TENDERS[state]
        if not _exists(cast, spec["reference"]):
            build(cast, spec)
    staged.seed(cast)
    notices_demo.seed(cast)
    _summary(cast, stdout)


def _exists(cast: Cast, reference: str) -> bool:
    return Tender.objects.filter(authority=cast.authority, reference=reference).exists()


# -- one builder per state -------------------------------------------------------------------


def _published(cast: Cast, spec: dict) -> None:
    """Open for bids for 3 more weeks, in 2 lots: a draft bid and a submitted one."""
    tender = published_tender(cast, spec, deadline_days=21)
    north, south = tender.lots.order_by("number")
    bid(cast, tender, RIVERSIDE, lot=north, submit=False)
    bid(cast, tender, MUTUAL, lot=south)


def _closed(cast: Cast, spec: dict, days_ago: int) -> Tender:
    """Published, three bids submitted, then (demo only) the deadline moved into the past."""
    tender = published_tender(cast, spec)
    for name in ALL_BIDDERS:
        bid(cast, tender, name)
    return stages.close_bidding(tender, days_ago=days_ago)


def _opened(cast: Cast, spec: dict) -> None:
    stages.open_bids(cast, _closed(cast, spec, spec["closed_days_ago"]))


def _evaluation(cast: Cast, spec: dict) -> None:
    """The young commissioners score the quality questions; the evaluators the rest."""
    tender = stages.open_bids(cast, _closed(cast, spec, spec["closed_days_ago"]))
    delegation = young_commissioners.delegate(cast, tender)
    stages.evaluate(cast, tender, spec, moderate=1, admin_conflict=(
        RIVERSIDE, "I was a trustee of Riverside Community Trust until March 2025."))
    young_commissioners.score(cast, delegation)


def _awarded(cast: Cast, spec: dict, *, days_ago: int):
    tender = stages.open_bids(cast, _closed(cast, spec, days_ago))
    stages.evaluate(cast, tender, spec)
    return stages.propose(cast, tender)


def _awarding(cast: Cast, spec: dict) -> None:
    _awarded(cast, spec, days_ago=spec["closed_days_ago"])


def _standstill(cast: Cast, spec: dict) -> None:
    stages.approve_and_notify(cast, _awarded(cast, spec, days_ago=spec["closed_days_ago"]))


def _contracted(cast: Cast, spec: dict) -> None:
    """Contract started on the first of the month 7 months ago: two quarters reported."""
    today = timezone.localdate()
    month = today.year * 12 + today.month - 1 - 7
    starts_on = today.replace(year=month // 12, month=month % 12 + 1, day=1)
    award = _awarded(cast, spec, days_ago=(today - starts_on).days + 90)
    award = stages.approve_and_notify(cast, award)
    contract = stages.contract(cast, award, starts_on)
    stages.delivery_reports(cast, contract, text.BIDDERS[award.bid.organisation.name]["user"])


def _reserved(cast: Cast, spec: dict) -> None:
    """Reserved for mutuals (s.33): opening disregards the bid from a charity that is not one."""
    mutuals_demo.build()  # the mutuals must be recognised before the bids are opened
    tender = published_tender(cast, spec)
    for name in (MUTUAL, RIVERSIDE):
        bid(cast, tender, name)
    stages.open_bids(cast, stages.close_bidding(tender, days_ago=spec["closed_days_ago"]))


def _cancelled(cast: Cast, spec: dict) -> None:
    tender = published_tender(cast, spec)
    tender_cancel(actor=cast.commissioner, tender=tender, reason=spec["reason"])


BUILDERS: dict[str, Callable[[Cast, dict], None]] = {
    "contracted": _contracted, "standstill": _standstill, "awarding": _awarding,
    "evaluation": _evaluation, "opened": _opened, "published": _published,
    "reserved": _reserved, "cancelled": _cancelled,
}


def _summary(cast: Cast, stdout) -> None:
    stdout.write(f"Commissioning demo for {cast.authority.name}:")
    for project in Project.objects.filter(authority=cast.authority).order_by("pk"):
        stdout.write(f"  project      {project.get_status_display():<24} {project.title}")
    tenders = Tender.objects.filter(authority=cast.authority).order_by("reference")
    for tender in tenders:
        stdout.write(f"  {tender.reference:<12} {tender.get_status_display():<24} "
                     f"{tender.title}")

