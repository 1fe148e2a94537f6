"""Aggregates for the reports app: panels, participation, representativeness, decisions.

Never an individual's data: counts and shares per panel, per quota value, per decision. The
``scope`` is the reports app's (``authorities(queryset, path)``, ``dated(queryset, field)``).
"""

from __future__ import annotations

from django.db.models import Count, Q

from citizens.models import Attendance, Decision, Panel, PanelMembership, SelectionRun
from citizens.models.panels import VOTING_ROLES


def panels_participation(*, scope) -> list[dict]:
    panels = scope.dated(scope.authorities(Panel.objects.all(), "authority_id"), "created_at")
    panels = panels.annotate(
        members=Count("memberships", distinct=True, filter=Q(
            memberships__role__in=VOTING_ROLES,
            memberships__status=PanelMembership.Status.ACTIVE)),
        sessions_held=Count("sessions", distinct=True,
                            filter=Q(sessions__attendance_recorded_at__isnull=False)),
        decided=Count("decisions", distinct=True,
                      filter=Q(decisions__status=Decision.Status.CLOSED)),
    ).select_related("authority").order_by("authority__name", "title")
    attendance = dict(Attendance.objects.filter(session__panel__in=panels).values_list(
        "session__panel_id").annotate(total=Count("id")).values_list("session__panel_id",
                                                                    "total"))
    present = dict(Attendance.objects.filter(
        session__panel__in=panels, status=Attendance.Status.PRESENT).values_list(
        "session__panel_id").annotate(n=Count("id")).values_list("session__panel_id", "n"))
    return [{"panel": p.title, "authority": p.authority.name, "phase": p.phase.capitalize(),
             "seats": p.size, "members": p.members, "sessions": p.sessions_held,
             "attendance_total": attendance.get(p.pk, 0), "present": present.get(p.pk, 0),
             "decisions": p.decided} for p in panels]


def representativeness(*, scope) -> list[dict]:
    """Targets against achieved for each panel's latest successful draw."""
    runs = SelectionRun.objects.filter(
        status=SelectionRun.Status.SUCCEEDED, kind=SelectionRun.Kind.INITIAL,
        panel__in=scope.authorities(Panel.objects.all(), "authority_id"),
    ).select_related("panel").order_by("panel__title", "-created_at")
    seen, rows = set(), []
    labels = {}
    for run in runs:
        if run.panel_id in seen:
            continue
        seen.add(run.panel_id)
        if run.panel_id not in labels:
            labels[run.panel_id] = {(q.feature, q.value): (q.feature_label, q.value_label)
                                    for q in run.panel.quotas.all()}
        chosen = set(run.selected)
        for quota in run.quotas:
            key = (quota["feature"], quota["value"])
            feature, value = labels[run.panel_id].get(key, key)
            rows.append({
                "panel": run.panel.title, "feature": feature, "value": value,
                "target": f"{quota['min']}–{quota['max']}",
                "pool": sum(1 for p in run.pool if p.get(key[0]) == key[1]),
                "selected": sum(1 for p in run.pool if p["id"] in chosen
                                and p.get(key[0]) == key[1]),
                "met": quota["min"] <= sum(1 for p in run.pool if p["id"] in chosen
                                           and p.get(key[0]) == key[1]) <= quota["max"]})
    return rows


def decisions_and_responses(*, scope) -> list[dict]:
    decisions = scope.dated(scope.authorities(
        Decision.objects.filter(status=Decision.Status.CLOSED), "panel__authority_id"),
        "closed_at").select_related("panel", "response").order_by("-closed_at")
    rows = []
    for d in decisions:
        response = getattr(d, "response", None)
        rows.append({"decision": d.title, "panel": d.panel.title,
                     "method": d.get_method_display(), "outcome": d.outcome.replace("_", " "),
                     "voted": d.result.get("voted", 0), "eligible": d.result.get("eligible", 0),
                     "response": response.get_stance_display() if response else "None yet",
                     "days": (response.created_at - d.closed_at).days if response else None})
    return rows
