"""Social value reports: committed against delivered by theme, outcome, authority, supplier type
and quarter, and an authority's account of social value across its procurements.

Measures have different units, so totals across measures use the monetised indicator: the pinned
proxy value per unit (after deadweight and attribution) times the target or the accepted actual.
Commitments without a proxy value are counted but add nothing to £ totals. Only accepted
reports count as delivered.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum

from core import charts
from organisations.models import AUTHORITY_ROLES, Membership, Organisation
from socialvalue import hooks, performance
from socialvalue.models import (
    Commitment,
    CommitmentSet,
    DeliveryLedger,
    DeliveryReport,
    DeliveryTarget,
    PlanMeasure,
    SocialValuePlan,
)

DIMENSIONS = {
    "theme": "Theme", "outcome": "Outcome", "authority": "Authority",
    "supplier_type": "Supplier type", "quarter": "Quarter",
}
SUPPLIER_TYPES = ("Public service mutual", "VCSE", "SME", "Large organisation")
ZERO = Decimal("0")


def report_authorities(*, user):
    """The authorities whose reports the user may see: all for platform admins."""
    authorities = Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY)
    if user.is_platform_admin:
        return authorities.order_by("name")
    staff_of = Membership.objects.filter(user=user, role__in=AUTHORITY_ROLES).values(
        "organisation_id")
    return authorities.filter(pk__in=staff_of).order_by("name")


def supplier_type(legal_form: str, size: str, is_vcse: bool) -> str:
    if legal_form == Organisation.LegalForm.MUTUAL:
        return SUPPLIER_TYPES[0]
    if is_vcse:
        return SUPPLIER_TYPES[1]
    return SUPPLIER_TYPES[2] if size != Organisation.Size.LARGE else SUPPLIER_TYPES[3]


def quarter_of(day) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _unit_value(row) -> Decimal:
    money, quantity = row["commitment__monetised_value"], row["commitment__quantity"]
    return money / quantity if money and quantity else ZERO


def delivery_rows(*, authorities, year: int | None = None) -> list[dict]:
    """One row per target in the authorities' ledgers (one query), with £ figures."""
    m = "commitment__plan_measure__measure__outcome__"
    targets = DeliveryTarget.objects.filter(ledger__authority__in=authorities)
    if year:
        targets = targets.filter(period_end__year=year)
    values = targets.order_by().values(
        "pk", "target", "period_end", "ledger__authority__name", "ledger__supplier__legal_form",
        "ledger__supplier__size", "ledger__supplier__is_vcse", f"{m}theme__name", f"{m}name",
        f"{m}code", f"{m}theme__code", "commitment__monetised_value", "commitment__quantity",
    ).annotate(delivered=performance.accepted_sum())
    rows = []
    for v in values:
        unit = _unit_value(v)
        rows.append({
            "theme": f"{v[f'{m}theme__code']} {v[f'{m}theme__name']}",
            "outcome": f"{v[f'{m}code']} {v[f'{m}name']}",
            "authority": v["ledger__authority__name"],
            "supplier_type": supplier_type(v["ledger__supplier__legal_form"],
                                           v["ledger__supplier__size"],
                                           v["ledger__supplier__is_vcse"]),
            "quarter": quarter_of(v["period_end"]),
            "committed": (v["target"] * unit).quantize(Decimal("0.01")),
            "delivered": ((v["delivered"] or ZERO) * unit).quantize(Decimal("0.01")),
        })
    return rows


def totals_by(rows: list[dict], dimension: str) -> list[dict]:
    """Committed and delivered £ per value of ``dimension``."""
    committed, delivered = defaultdict(Decimal), defaultdict(Decimal)
    for row in rows:
        committed[row[dimension]] += row["committed"]
        delivered[row[dimension]] += row["delivered"]
    keys = sorted(committed)
    if dimension == "supplier_type":
        keys = [k for k in SUPPLIER_TYPES if k in committed]
    return [{
        "label": key, "committed": committed[key], "delivered": delivered[key],
        "percent": performance.percent(delivered[key], committed[key]) if committed[key]
        else None,
    } for key in keys]


def by_dimension_and_quarter(rows: list[dict], dimension: str) -> list[dict]:
    """Rows of (value, quarter, committed, delivered): the time series and the CSV export."""
    sums: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for row in rows:
        pair = sums[(row[dimension], row["quarter"])]
        pair[0] += row["committed"]
        pair[1] += row["delivered"]
    return [{"label": label, "quarter": quarter, "committed": c, "delivered": d}
            for (label, quarter), (c, d) in sorted(sums.items())]


def report_csv(rows: list[dict], dimension: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([DIMENSIONS[dimension], "Quarter", "Committed (£ indicator)",
                     "Delivered and accepted (£ indicator)"])
    for row in by_dimension_and_quarter(rows, dimension):
        writer.writerow([_safe(row["label"]), row["quarter"], row["committed"],
                         row["delivered"]])
    return out.getvalue()


def _safe(text: str) -> str:
    """Stop spreadsheet programs reading a cell as a formula."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def authority_statement(*, authority: Organisation) -> dict:
    """What the authority designed in, was committed, delivered and evidenced (a few queries)."""
    plans = SocialValuePlan.objects.filter(authority=authority)
    chosen = PlanMeasure.objects.filter(plan__authority=authority)
    sets = CommitmentSet.objects.filter(plan__authority=authority)
    ledgers = DeliveryLedger.objects.filter(authority=authority)
    reports = DeliveryReport.objects.filter(target__ledger__authority=authority)
    by_status = dict(reports.order_by().values_list("status").annotate(n=Count("pk")))
    percentages = performance.ledger_percentages(ledgers.values_list("pk", flat=True),
                                                 _today())
    value, rating = performance.mean_rating(percentages.values())
    delivered = delivery_rows(authorities=[authority])
    return {
        "authority": authority,
        "plans": plans.count(),
        "average_weight": plans.aggregate(a=Avg("weight"))["a"],
        "themes": list(chosen.order_by().values_list(
            "measure__outcome__theme__name").annotate(n=Count("pk")).order_by("-n")),
        "commitment_sets": sets.count(),
        "commitments": Commitment.objects.filter(commitment_set__in=sets).count(),
        "committed_indicator": Commitment.objects.filter(commitment_set__in=sets).aggregate(
            s=Sum("monetised_value"))["s"] or ZERO,
        "contracts": ledgers.count(),
        "contracted_indicator": sum((r["committed"] for r in delivered), ZERO),
        "delivered_indicator": sum((r["delivered"] for r in delivered), ZERO),
        "reports_accepted": by_status.get(DeliveryReport.Status.ACCEPTED, 0),
        "reports_rejected": by_status.get(DeliveryReport.Status.REJECTED, 0),
        "reports_waiting": by_status.get(DeliveryReport.Status.SUBMITTED, 0),
        "accepted_with_evidence": reports.filter(
            Q(status=DeliveryReport.Status.ACCEPTED) & Q(evidence__isnull=False)).count(),
        "percent": value, "rating": rating,
    }


def performance_ratings(*, authorities) -> dict[str, list[dict]]:
    """Ratings per contract, per supplier and per authority (two queries)."""
    ledgers = list(DeliveryLedger.objects.filter(authority__in=authorities)
                   .select_related("authority", "supplier").order_by("supplier__name", "pk"))
    percentages = performance.ledger_percentages([ledger.pk for ledger in ledgers], _today())
    contexts = hooks.ledger_contexts(percentages.keys())
    contracts, suppliers, owners = [], defaultdict(list), defaultdict(list)
    for ledger in ledgers:
        value = percentages[ledger.pk]
        contracts.append({"ledger": ledger, "label": contexts[ledger.pk].label, "percent": value,
                          "rating": performance.rating(value, ledger.tolerance)})
        suppliers[ledger.supplier.name].append(value)
        owners[ledger.authority.name].append(value)
    return {"contracts": contracts,
            "suppliers": [_rated(name, values) for name, values in sorted(suppliers.items())],
            "authorities": [_rated(name, values) for name, values in sorted(owners.items())]}


def _rated(name: str, values: list) -> dict:
    value, rating = performance.mean_rating(values)
    return {"name": name, "percent": value, "rating": rating, "contracts": len(values)}


def _today():
    from django.utils import timezone

    return timezone.localdate()


def report_years(*, authorities) -> list[int]:
    dates = DeliveryTarget.objects.filter(ledger__authority__in=authorities).dates(
        "period_end", "year")
    return [day.year for day in dates]


CHART_SERIES = [charts.Series("committed", charts.BLUE),
                charts.Series("delivered and accepted", charts.GREEN)]
CHART_CAPTION = (f"{charts.legend(CHART_SERIES)} Figures are the monetised indicator (£), "
                 "for information.")


def chart(totals: list[dict]) -> dict:
    """A server-rendered SVG bar chart of committed against delivered £ (core.charts)."""
    from core.money import format_gbp

    return charts.bar_chart(series=CHART_SERIES, groups=[charts.Group(item["label"], [
        charts.Bar(item["committed"], f"Committed {format_gbp(item['committed'])}"),
        charts.Bar(item["delivered"], f"Delivered {format_gbp(item['delivered'])}"),
    ]) for item in totals])
