"""What an evaluator must do next, with the date it is due: the dashboard's work list.

Each tender whose panel the person sits on gives at most one task at a time, in the order the
law sets (Procurement Act ss.81-83: declare conflicts before seeing any bid, then score, then
moderate). The tender has no evaluation timetable of its own, so the dates are targets counted
in working days from the deadline for bids (settings EVALUATION_SCORING_WORKING_DAYS and
EVALUATION_MODERATION_WORKING_DAYS), and labelled as targets. A fixed number of queries,
however many tenders and bids.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from commissioning.models import (
    AwardCriterion,
    Bid,
    CitizensDelegation,
    ConflictDeclaration,
    ModeratedScore,
    Score,
    TenderEvaluator,
)
from core.calendar import add_working_days

ACTIVE_STATES = ("published", "opened", "evaluation")


@dataclass(frozen=True)
class Task:
    tender_title: str
    tender_reference: str
    action: str
    href: str
    due_label: str
    due: date | datetime | None
    overdue: bool


def _working_days(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _delegated(tender_ids) -> set[int]:
    """Criteria a citizens' panel scores instead of the evaluators (as `evaluator_criteria`)."""
    return set(CitizensDelegation.criteria.through.objects.filter(
        citizensdelegation__tender_id__in=tender_ids).exclude(
        citizensdelegation__status=CitizensDelegation.Status.RETURNED)
        .values_list("awardcriterion_id", flat=True))


def _scored_criteria_counts(tender_ids, delegated: set[int]) -> Counter:
    """Leaf criteria that are not price and not delegated to a citizens' panel, per tender
    (as `evaluator_criteria` counts them)."""
    rows = list(AwardCriterion.objects.filter(tender_id__in=tender_ids)
                .values_list("pk", "tender_id", "parent_id", "kind"))
    parents = {parent for _, _, parent, _ in rows if parent}
    return Counter(tender for pk, tender, _, kind in rows
                   if pk not in parents and kind != AwardCriterion.Kind.PRICE
                   and pk not in delegated)


def _conflicts(user, tender_ids) -> tuple[set[int], dict[int, set[int]]]:
    """(tenders declared for, organisations named per tender) from the latest declarations."""
    latest: dict[int, ConflictDeclaration] = {}
    for declaration in (ConflictDeclaration.objects.filter(evaluator=user, tender_id__in=tender_ids)
                        .prefetch_related("conflicted_organisations")
                        .order_by("declared_at", "id")):
        latest[declaration.tender_id] = declaration
    named = {tender: {o.pk for o in d.conflicted_organisations.all()} if d.has_conflict else set()
             for tender, d in latest.items()}
    return set(latest), named


def _bids(tender_ids) -> dict[int, list[Bid]]:
    bids = defaultdict(list)
    for bid in (Bid.objects.filter(tender_id__in=tender_ids, status=Bid.Status.SUBMITTED,
                                   disregarded_reason="").prefetch_related("members")
                .only("pk", "tender_id", "organisation_id")):
        bids[bid.tender_id].append(bid)
    return bids


def evaluation_tasks(*, user, today: date | None = None) -> list[Task]:
    """The person's next task on each tender they evaluate, soonest due first."""
    from django.utils import timezone

    today = today or timezone.localdate()
    seats = list(TenderEvaluator.objects.filter(user=user, tender__status__in=ACTIVE_STATES)
                 .select_related("tender"))
    tender_ids = [seat.tender_id for seat in seats]
    if not tender_ids:
        return []
    declared, named = _conflicts(user, tender_ids)
    delegated = _delegated(tender_ids)
    criteria = _scored_criteria_counts(tender_ids, delegated)
    bids = _bids(tender_ids)
    scored = Counter(dict(Score.objects.filter(
        evaluator=user, bid__tender_id__in=tender_ids, submitted_at__isnull=False)
        .exclude(criterion_id__in=delegated).values("bid_id").annotate(n=Count("pk"))
        .values_list("bid_id", "n")))
    moderated = Counter(dict(ModeratedScore.objects.filter(bid__tender_id__in=tender_ids)
                             .exclude(criterion_id__in=delegated).values("bid_id")
                             .annotate(n=Count("pk"))
                             .values_list("bid_id", "n")))
    tasks = []
    for seat in seats:
        task = _next_task(seat, declared, named.get(seat.tender_id, set()),
                          criteria[seat.tender_id], bids[seat.tender_id], scored, moderated,
                          today)
        if task is not None:
            tasks.append(task)
    return sorted(tasks, key=lambda t: (t.due is None, str(t.due)))


def _next_task(seat, declared, named, criteria, bids, scored, moderated, today) -> Task | None:
    tender = seat.tender
    closing = tender.deadline

    def task(action, name, due_label, due):
        due_day = due.date() if isinstance(due, datetime) else due
        return Task(tender.title, tender.reference, action,
                    reverse(f"commissioning:{name}", args=[tender.pk]), due_label, due,
                    due_day is not None and due_day < today)

    if tender.pk not in declared:
        return task("Declare any conflicts of interest", "conflicts",
                    "Before the bids are opened, after", closing)
    if tender.status != "evaluation" or not criteria or closing is None:
        return None
    mine = [b for b in bids
            if not named & {b.organisation_id, *(m.organisation_id for m in b.members.all())}]
    to_score = [b for b in mine if scored[b.pk] < criteria]
    if to_score:
        due = add_working_days(closing, _working_days("EVALUATION_SCORING_WORKING_DAYS", 10))
        return task(f"Score {len(to_score)} bid{'s' if len(to_score) != 1 else ''}",
                    "evaluation", "Target: by", due)
    to_moderate = [b for b in mine if moderated[b.pk] < criteria]
    if seat.is_moderator and to_moderate:
        due = add_working_days(closing, _working_days("EVALUATION_MODERATION_WORKING_DAYS", 15))
        return task(f"Moderate {len(to_moderate)} bid{'s' if len(to_moderate) != 1 else ''}",
                    "evaluation", "Target: by", due)
    return None


def sits_on_a_panel(request) -> bool:
    user = request.user
    return user.is_authenticated and TenderEvaluator.objects.filter(
        user=user, tender__status__in=ACTIVE_STATES).exists()


def evaluation_panel(request) -> dict:
    return {"tasks": evaluation_tasks(user=request.user),
            "list_url": reverse("commissioning:evaluation_list")}
