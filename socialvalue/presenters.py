"""What plan, ledger and report pages show: labels, tags and the actions a person may take."""

from __future__ import annotations

from functools import cached_property

from django.urls import reverse

from core.money import format_gbp
from socialvalue import hooks, performance, selectors, services
from socialvalue.models import DeliveryReport

REPORT_COLOURS = {DeliveryReport.Status.SUBMITTED: "blue", DeliveryReport.Status.ACCEPTED:
                  "green", DeliveryReport.Status.REJECTED: "red"}


def rag_tag(rag: str) -> dict:
    return {"text": performance.RAG_LABELS[rag], "colour": performance.RAG_COLOURS[rag]}


def rating_tag(rating: str) -> dict:
    return {"text": rating, "colour": performance.RATING_COLOURS[rating]}


def report_tag(report: DeliveryReport | None) -> dict:
    if report is None:
        return {"text": "Not reported", "colour": "grey"}
    return {"text": report.get_status_display(), "colour": REPORT_COLOURS[report.status]}


def number(value) -> str:
    """12.50 as "12.5", 100.00 as "100": never in exponent notation."""
    return f"{value.normalize():f}"


def percent_text(value) -> str:
    return "Nothing due yet" if value is None else f"{value.normalize():f}%"


class PlanPresenter:
    def __init__(self, plan, user):
        self.plan, self.user = plan, user

    @cached_property
    def context(self) -> hooks.Context:
        return hooks.plan_contexts([self.plan.pk])[self.plan.pk]

    @cached_property
    def lock_reason(self) -> str | None:
        return services.plan_lock_reason(self.plan)

    @cached_property
    def can_edit(self) -> bool:
        return self.lock_reason is None and self.user.has_perm("socialvalue.change_plan",
                                                               self.plan)

    @cached_property
    def chosen(self) -> list:
        return list(selectors.plan_measures_of(plan=self.plan))

    @property
    def can_add(self) -> bool:
        return self.can_edit and len(self.chosen) < self.plan.max_measures

    @cached_property
    def problems(self) -> list[str]:
        return services.plan_problems(plan=self.plan)

    @property
    def rows(self) -> list[dict]:
        edit = reverse("socialvalue:plan_edit", args=[self.plan.pk]) if self.can_edit else ""
        return [
            {"key": "Authority", "value": self.plan.authority.name},
            {"key": "Social value weight", "value": f"{self.plan.weight.normalize():f}% of the "
             "total score", "action_href": edit},
            {"key": "Question", "value": self.plan.question or "Not written yet",
             "action_href": edit},
            {"key": "Measures", "value": f"{len(self.chosen)} of at most "
             f"{self.plan.max_measures}"},
        ]

    def measure_rows(self, chosen) -> list[dict]:
        proxy = chosen.proxy_value
        proxy_text = (f"{format_gbp(proxy.value)} per unit (version {proxy.version}, "
                      f"{proxy.price_base_year} prices; {proxy.source}; {proxy.licence})"
                      if proxy else "None: this measure is not monetised")
        edit = reverse("socialvalue:plan_measure_edit", args=[self.plan.pk, chosen.pk]) \
            if self.can_edit else ""
        measure = chosen.measure
        return [
            {"key": "Outcome", "value": f"{measure.outcome.theme.name}: {measure.outcome.name}"},
            {"key": "Unit", "value": measure.get_unit_display()},
            {"key": "Relevance", "value": chosen.relevance, "action_href": edit},
            {"key": "Counting rules", "value": measure.counting_rules or "None given"},
            {"key": "Evidence", "value": measure.evidence_required or "None given"},
            {"key": "Proxy value", "value": proxy_text},
        ]

    @property
    def cards(self) -> list[dict]:
        return [{"chosen": chosen, "rows": self.measure_rows(chosen)} for chosen in self.chosen]


class LedgerPresenter:
    """The ledger page for the authority and for the supplier (each sees only their own)."""

    def __init__(self, ledger, user, today=None):
        self.ledger, self.user = ledger, user
        self.summary = selectors.ledger_summary(ledger=ledger, today=today)
        self.is_supplier = user.has_perm("socialvalue.report_delivery", ledger)
        self.is_reviewer = user.has_perm("socialvalue.review_delivery", ledger)
        self.context = hooks.ledger_contexts([ledger.pk])[ledger.pk]

    @property
    def rows(self) -> list[dict]:
        ledger, summary = self.ledger, self.summary
        return [
            {"key": "Contract", "value": self.context.label},
            {"key": "Authority", "value": ledger.authority.name},
            {"key": "Supplier", "value": ledger.supplier.name},
            {"key": "Reporting", "value": ledger.get_frequency_display()},
            {"key": "Tolerance", "value": f"{ledger.tolerance.normalize():f}% shortfall"},
            {"key": "Delivered so far", "value": percent_text(summary["percent"])},
        ]

    @property
    def rating(self) -> dict:
        return rating_tag(self.summary["rating"])

    @property
    def rag(self) -> dict:
        return rag_tag(self.summary["rag"])

    def period_rows(self, commitment_row) -> list[dict]:
        return [self._period(target) for target in commitment_row["targets"]]

    def _period(self, target) -> dict:
        report = target.latest_report
        return {
            "period": f"{target.period_start:%-d %b %Y} to {target.period_end:%-d %b %Y}",
            "target": number(target.target), "delivered": number(target.delivered),
            "report_tag": report_tag(report), "rag_tag": rag_tag(target.rag),
            "action": self._action(target, report),
        }

    def _action(self, target, report) -> dict:
        open_report = report is not None and report.status != DeliveryReport.Status.REJECTED
        if self.is_supplier and not open_report and target.period_start <= _today():
            return {"text": "Report", "href": reverse("socialvalue:report_submit",
                                                      args=[target.pk])}
        if report is not None:
            label = "Review" if (self.is_reviewer and report.status ==
                                 DeliveryReport.Status.SUBMITTED) else "View report"
            return {"text": label, "href": reverse("socialvalue:report_review",
                                                   args=[report.pk])}
        return {"text": ""}

    @property
    def commitments(self) -> list[dict]:
        return [{**row, "rag_tag": rag_tag(row["rag"]), "percent_text": percent_text(
            row["percent"]), "periods": self.period_rows(row)}
            for row in self.summary["commitments"]]


def _today():
    from django.utils import timezone

    return timezone.localdate()
