"""Selection runs and the public fairness report (aggregates only, never a person's data)."""

from __future__ import annotations

from statistics import median

from django.http import Http404

from citizens.models import Panel, SelectionRun


def runs_of(*, panel: Panel):
    return panel.selection_runs.all()


def run_get(*, panel: Panel, pk: int) -> SelectionRun:
    run = panel.selection_runs.filter(pk=pk).first()
    if run is None:
        raise Http404("No such selection.")
    return run


def run_get_by_id(*, pk: int) -> SelectionRun:
    run = SelectionRun.objects.select_related("panel").filter(pk=pk).first()
    if run is None:
        raise Http404("No such selection.")
    return run


def latest_public_run(*, panel: Panel) -> SelectionRun | None:
    """The newest run whose commitment is public (every run is, from the moment of freezing)."""
    return panel.selection_runs.order_by("-created_at", "-id").first()


def fairness_report(*, run: SelectionRun) -> dict:
    """Targets against achieved per quota, the spread of selection probabilities, the
    algorithm and library, the commitment and the seed: what the public page shows."""
    labels = {(q.feature, q.value): (q.feature_label, q.value_label)
              for q in run.panel.quotas.all()}
    selected = set(run.selected)
    rows = []
    for quota in run.quotas:
        key = (quota["feature"], quota["value"])
        in_pool = sum(1 for p in run.pool if p.get(quota["feature"]) == quota["value"]
                      and p["id"] not in run.already_selected)
        achieved = sum(1 for p in run.pool if p["id"] in selected
                       and p.get(quota["feature"]) == quota["value"])
        feature_label, value_label = labels.get(key, key)
        rows.append({"feature": feature_label, "value": value_label, "min": quota["min"],
                     "max": quota["max"], "pool": in_pool, "achieved": achieved,
                     "met": quota["min"] <= achieved <= quota["max"]})
    probabilities = sorted(run.probabilities.values())
    spread = ({"minimum": probabilities[0], "median": median(probabilities),
               "maximum": probabilities[-1], "people": len(probabilities)}
              if probabilities else None)
    return {"run": run, "rows": rows, "spread": spread,
            "pool_size": len(run.pool) - len(run.already_selected),
            "switched": run.algorithm_used and run.algorithm_used != run.algorithm_requested,
            "all_met": all(r["met"] for r in rows) if run.selected else None}
