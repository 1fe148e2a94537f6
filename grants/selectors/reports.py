"""Grants reports for admins and grant managers: totals by dimension, and timings."""

from __future__ import annotations

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import Substr

from grants.filters import RECIPIENT_TYPES, recipient_type_q
from grants.models import Award, Instalment
from grants.selectors.common import authority_ids


def awards_in_scope(*, user) -> QuerySet[Award]:
    """Platform admins see every authority's grants; staff see their authorities' grants."""
    awards = Award.objects.exclude(status__in=["declined", "withdrawn"])
    if user.is_authenticated and user.is_platform_admin:
        return awards
    return awards.filter(programme__authority_id__in=authority_ids(user=user))


def ggis_awards(*, user) -> QuerySet[Award]:
    """The awards a GGIS upload lists for this user, with what each row reads (no N+1)."""
    return (awards_in_scope(user=user)
            .select_related("programme__authority", "recipient").order_by("awarded_on", "pk"))


def _grouped(awards, field: str, label_field: str | None = None) -> list[dict]:
    rows = (awards.values(field, *([label_field] if label_field else []))
            .annotate(count=Count("id"), awarded=Sum("amount_awarded"),
                      paid=Sum("amount_paid")).order_by("-awarded"))
    return [{"label": row[label_field] if label_field else row[field], "count": row["count"],
             "awarded": row["awarded"], "paid": row["paid"]} for row in rows]


def grants_report(*, user) -> dict:
    awards = awards_in_scope(user=user)
    by_region = _grouped(awards.annotate(region=Substr("beneficiary_postcode", 1, 2)),
                         "region")
    for row in by_region:
        row["label"] = "".join(ch for ch in (row["label"] or "") if ch.isalpha()) or "Unknown"
    recipient_rows = []
    for key, label in RECIPIENT_TYPES:
        totals = awards.filter(recipient_type_q(key)).aggregate(
            count=Count("id"), awarded=Sum("amount_awarded"), paid=Sum("amount_paid"))
        recipient_rows.append({"label": label, **totals})
    instruments = dict(Award._meta.get_field("instrument").choices)
    by_instrument = _grouped(awards, "instrument")
    for row in by_instrument:
        row["label"] = instruments.get(row["label"], row["label"])
    return {"by_programme": _grouped(awards, "programme_id", "programme__title"),
            "by_instrument": by_instrument, "by_region": _merge(by_region),
            "by_recipient": recipient_rows, "timings": timings(awards=awards),
            "total": awards.aggregate(count=Count("id"), awarded=Sum("amount_awarded"))}


def _merge(rows: list[dict]) -> list[dict]:
    merged: dict[str, dict] = {}
    for row in rows:
        into = merged.setdefault(row["label"], {"label": row["label"], "count": 0,
                                                "awarded": 0, "paid": 0})
        for key in ("count", "awarded", "paid"):
            into[key] += row[key] or 0
    return sorted(merged.values(), key=lambda r: -r["awarded"])


def timings(*, awards) -> dict:
    """Average days from application to decision, and from award to first payment."""
    decided = awards.filter(application__isnull=False,
                            application__decision__approved_at__isnull=False).annotate(
        days=F("application__decision__approved_at") - F("application__submitted_at"))
    first_paid = awards.annotate(first=Min("instalments__paid_on", filter=Q(
        instalments__status=Instalment.Status.PAID))).filter(first__isnull=False)
    to_decision = [row.days.days for row in decided.only("id") if row.days is not None]
    to_payment = [(row.first - row.awarded_on).days for row in first_paid.only(
        "id", "awarded_on")]
    return {"to_decision": _mean(to_decision), "decided": len(to_decision),
            "to_payment": _mean(to_payment), "paid": len(to_payment)}


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
