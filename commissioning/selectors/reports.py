"""Aggregates of commissioning data for the reports app, computed in the database.

Every function takes a ``ReportScope`` (which authorities, which dates) that the caller has
already checked the user may see. Only counts and award values leave this module: never the
content of a bid. Bids are counted only for tenders whose deadline has passed (sealed until
then), and only submitted ones. A supplier is an SME when its size is not "large", and a
public service mutual when its legal form says so; a bid or award counts by its lead bidder.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import (
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from commissioning.models import Award, Bid, Tender
from core.calendar import start_of_day
from mutuals.selectors import current_recognitions
from organisations.models import Organisation

LARGE = Organisation.Size.LARGE


@dataclass(frozen=True)
class ReportScope:
    """``authority_ids`` None means every authority; dates are inclusive, in London."""

    authority_ids: list[int] | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def authorities(self, queryset: QuerySet, path: str) -> QuerySet:
        if self.authority_ids is None:
            return queryset
        return queryset.filter(**{f"{path}__in": self.authority_ids})

    def dated(self, queryset: QuerySet, field: str) -> QuerySet:
        if self.start:
            queryset = queryset.filter(**{f"{field}__gte": start_of_day(self.start)})
        if self.end:
            end = start_of_day(self.end + datetime.timedelta(days=1))
            queryset = queryset.filter(**{f"{field}__lt": end})
        return queryset


class DaysBetween(Func):
    """(end - start) in days, as a float, on PostgreSQL and SQLite."""

    output_field = FloatField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_sql(self, compiler, conn, **extra):
        return self.as_sqlite(compiler, conn, **extra)

    def as_sqlite(self, compiler, conn, **extra):
        return super().as_sql(compiler, conn,
                              template="(julianday(%(expressions)s))",
                              arg_joiner=") - julianday(", **extra)

    def as_postgresql(self, compiler, conn, **extra):
        return super().as_sql(compiler, conn,
                              template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
                              arg_joiner=" - ", **extra)


def pipeline_by_status(*, scope: ReportScope) -> list[dict]:
    """Tenders created in the period, by status and procedure: count and estimated value.

    Rows: status, status_label, procedure, procedure_label, count, value (ex VAT).
    """
    tenders = scope.dated(scope.authorities(Tender.objects.all(), "authority"), "created_at")
    rows = list(tenders.order_by().values("status", "procedure").annotate(
        count=Count("pk"), value=Sum("estimated_value_ex_vat")))
    order = {status: index for index, status in enumerate(Tender.Status.values)}
    statuses, procedures = dict(Tender.Status.choices), dict(Tender.Procedure.choices)
    for row in rows:
        row["status_label"] = statuses[row["status"]]
        row["procedure_label"] = procedures.get(row["procedure"], row["procedure"])
    return sorted(rows, key=lambda row: (order[row["status"]], row["procedure"]))


def bids_per_tender(*, scope: ReportScope, now: datetime.datetime | None = None) -> QuerySet:
    """Tenders whose deadline (in the period) has passed, with counts of submitted bids.

    The counts are correlated subqueries rather than a join and GROUP BY, so a page of 25
    tenders counts the bids of those 25 only, and counting the pages counts tenders only."""
    now = now or timezone.now()
    submitted = Bid.objects.filter(tender=OuterRef("pk"), status=Bid.Status.SUBMITTED)
    tenders = scope.authorities(Tender.objects.exclude(status=Tender.Status.DRAFT), "authority")
    return (
        scope.dated(tenders.filter(deadline__lte=now), "deadline")
        .annotate(
            bid_count=_count(submitted),
            sme_bids=_count(submitted.exclude(organisation__size=LARGE)),
            vcse_bids=_count(submitted.filter(organisation__is_vcse=True)),
        )
        .values("pk", "reference", "title", "deadline", "authority__name", "bid_count",
                "sme_bids", "vcse_bids")
        .order_by("-deadline", "-pk")
    )


def _count(bids: QuerySet) -> Coalesce:
    counted = bids.order_by().values("tender").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def supplier_groups(prefix: str = "", organisation: str = "organisation") -> dict[str, Q]:
    """The supplier groups the shares report counts, as conditions on ``<prefix><organisation>``
    (a bid's ``organisation``, an award's ``supplier``)."""
    organisation = f"{prefix}{organisation}"
    return {
        "sme": ~Q(**{f"{organisation}__size": LARGE}),
        "vcse": Q(**{f"{organisation}__is_vcse": True}),
        # Recognised as a public service mutual (any definition) today, not a declared form.
        # An uncorrelated IN, which PostgreSQL hashes once, rather than EXISTS per row: over a
        # million bids that is about 3 s against 10 s on the benchmark machine.
        "mutual": Q(**{f"{organisation}__in": current_recognitions().values("organisation")}),
    }


def supplier_shares(*, scope: ReportScope, now: datetime.datetime | None = None) -> list[dict]:
    """Per authority: bids (count) and awards (count, value) overall and by supplier group.

    Rows: authority_id, authority, bids, bids_<group>, awards, awards_<group>, award_value,
    award_value_<group>, for the groups of ``supplier_groups``; a key is missing when the
    authority had no bids (or no awards) in the scope.

    Bids are dated by submission, awards by their award notice; cancelled awards and awards
    without a published notice are left out. Rows are grouped by authority id alone and named
    afterwards, which keeps the names out of the million-row aggregate.
    """
    now = now or timezone.now()
    bids = scope.dated(scope.authorities(
        Bid.objects.filter(status=Bid.Status.SUBMITTED, tender__deadline__lte=now),
        "tender__authority"), "submitted_at")
    bid_counts = {f"bids_{group}": Count("pk", filter=condition)
                  for group, condition in supplier_groups().items()}
    awards = scope.dated(scope.authorities(_published_awards(), "authority"),
                         "notice_published_at")
    award_sums = {}
    for group, condition in supplier_groups(organisation="supplier").items():
        award_sums[f"awards_{group}"] = Count("pk", filter=condition)
        award_sums[f"award_value_{group}"] = Sum("value", filter=condition)
    merged: dict[int, dict] = defaultdict(dict)
    with analytical_session():
        for rows in (
            bids.order_by().values(authority_id=F("tender__authority_id")).annotate(
                bids=Count("pk"), **bid_counts),
            awards.order_by().values("authority_id").annotate(
                awards=Count("pk"), award_value=Sum("value"), **award_sums),
        ):
            for row in rows:
                merged[row["authority_id"]].update(row)
    _name_authorities(merged.values())
    return sorted(merged.values(), key=lambda row: (row["authority"], row["authority_id"]))


def _name_authorities(rows) -> None:
    rows = list(rows)
    names = dict(Organisation.objects.filter(pk__in=[row["authority_id"] for row in rows])
                 .values_list("pk", "name"))
    for row in rows:
        row["authority"] = names.get(row["authority_id"], "")


@contextmanager
def analytical_session():
    """Settings for the few big aggregates of a report, for this transaction only: memory
    enough to hash a million rows without spilling to disk, no JIT compilation (which
    costs more than it saves on queries of a second or two), and no plain index scans. An
    aggregate over most of a table grouped by authority otherwise reads the awards through
    the (authority, notice) index to skip a sort, visiting the heap row by row: over a
    million awards that took 2.5 s where a sequential scan and a sort take 1.4 s (benchmarks
    README). Scoped to one authority, a bitmap scan of the same index is used instead.
    Nothing changes elsewhere."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
        yield


def _published_awards() -> QuerySet:
    """Awards with a published notice, of published tenders, not cancelled: read from the
    award row alone (it carries its authority, lead supplier and the tender's publication)."""
    return Award.objects.filter(notice_published_at__isnull=False,
                                tender_published_at__isnull=False).exclude(
        status=Award.Status.CANCELLED)


def time_to_award(*, scope: ReportScope) -> dict:
    """Days from tender publication to award notice: per authority and overall.

    Returns ``{"authorities": [{authority_id, authority, awards, mean_days, median_days}],
    "overall": {awards, mean_days, median_days}}``, awards dated by their notice. On
    PostgreSQL both come from one pass over the awards (GROUPING SETS); elsewhere the medians
    are computed in Python from one query.
    """
    awards = scope.dated(scope.authorities(_published_awards(), "authority"),
                         "notice_published_at").annotate(
        days=DaysBetween(F("notice_published_at"), F("tender_published_at"))).order_by()
    if connection.vendor == "postgresql":
        rows, overall = _time_to_award_in_one_pass(awards)
    else:
        rows, overall = _medians_in_python(list(awards.values_list(
            "authority_id", "authority__name", "days")))
    rows.sort(key=lambda row: (row["authority"], row["authority_id"]))
    return {"authorities": rows, "overall": overall}


def _time_to_award_in_one_pass(awards: QuerySet) -> tuple[list[dict], dict]:
    inner, params = awards.values_list("authority_id", "days").query.sql_with_params()
    # The ORM builds (and scopes) the rows; only the grouping sets are written here, since the
    # ORM cannot group one query by authority and by nothing at once.
    sql = (f"SELECT GROUPING(s.a), s.a, COUNT(*), AVG(s.d), "  # noqa: S608 (params bound)
           f"PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY s.d) FROM ({inner}) AS s (a, d) "
           f"GROUP BY GROUPING SETS ((s.a), ())")
    rows, overall = [], {"awards": 0, "mean_days": None, "median_days": None}
    with analytical_session(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        for total, authority_id, count, mean, median in cursor.fetchall():
            summary = {"awards": count, "mean_days": _float(mean), "median_days": _float(median)}
            if total:
                overall = summary
            else:
                rows.append({"authority_id": authority_id, **summary})
    _name_authorities(rows)
    return rows, overall


def _float(value) -> float | None:
    return None if value is None else float(value)


def _summary(days: list[float]) -> dict:
    return {"awards": len(days), "mean_days": statistics.fmean(days) if days else None,
            "median_days": statistics.median(days) if days else None}


def _medians_in_python(values: list[tuple[int, str, float]]) -> tuple[list[dict], dict]:
    by_authority: dict[tuple[int, str], list[float]] = defaultdict(list)
    for authority_id, name, days in values:
        by_authority[(authority_id, name)].append(days)
    rows = [{"authority_id": pk, "authority": name, **_summary(days)}
            for (pk, name), days in by_authority.items()]
    return rows, _summary([days for _pk, _name, days in values])


def reserved_and_mutual_awards(*, scope: ReportScope) -> list[dict]:
    """Per authority: published awards, those reserved for mutuals, and those to organisations
    recognised as mutuals today (count and value each)."""
    awards = scope.dated(scope.authorities(_published_awards(), "authority"),
                         "notice_published_at")
    reserved = Q(tender__is_reserved_for_mutuals=True)
    mutual = supplier_groups(organisation="supplier")["mutual"]
    rows = list(awards.order_by().values("authority_id", "authority__name").annotate(
        awards=Count("pk"), award_value=Sum("value"),
        reserved=Count("pk", filter=reserved), reserved_value=Sum("value", filter=reserved),
        mutual=Count("pk", filter=mutual), mutual_value=Sum("value", filter=mutual))
        .order_by("authority__name", "authority_id"))
    for row in rows:
        row["authority"] = row.pop("authority__name")
    return rows
