"""Sessions, attendance and claims for readers."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from citizens.models import Attendance, ExpenseClaim, Material, Panel, PanelSession, PaymentRun
from citizens.models.panels import VOTING_ROLES


def session_get(*, panel: Panel, pk: int) -> PanelSession:
    session = PanelSession.objects.filter(panel=panel, pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    return session


def materials_of_session(*, session: PanelSession) -> QuerySet[Material]:
    """The reading for one session, its documents with them (one query)."""
    return session.materials.select_related("document").order_by("created_at", "id")


def attendance_of(*, session: PanelSession) -> dict[int, str]:
    return dict(session.attendance.values_list("membership_id", "status"))


def attendance_summary(*, session: PanelSession) -> dict:
    counts = session.attendance.aggregate(
        present=Count("id", filter=Q(status=Attendance.Status.PRESENT)),
        apologies=Count("id", filter=Q(status=Attendance.Status.APOLOGIES)),
        absent=Count("id", filter=Q(status=Attendance.Status.ABSENT)))
    return {**counts, "recorded": session.attendance_recorded_at is not None,
            "quorate": counts["present"] >= session.panel.quorum}


def may_claim(*, session: PanelSession, user) -> bool:
    return Attendance.objects.filter(
        session=session, membership__user=user, membership__role__in=VOTING_ROLES,
        status=Attendance.Status.PRESENT).exists()


def claims_for(*, panel: Panel, user, approver: bool) -> QuerySet[ExpenseClaim]:
    """Every claim of the panel for its officer; a member's own claims otherwise."""
    claims = ExpenseClaim.objects.filter(session__panel=panel).select_related(
        "session", "membership__user").order_by("status", "-created_at", "-id")
    return claims if approver else claims.filter(membership__user=user)


def claim_get(*, panel: Panel, pk: int) -> ExpenseClaim:
    claim = ExpenseClaim.objects.filter(session__panel=panel, pk=pk).select_related(
        "session__panel", "membership").first()
    if claim is None:
        raise Http404("No such claim.")
    return claim


def payment_runs(*, panel: Panel) -> QuerySet[PaymentRun]:
    return panel.payment_runs.select_related("created_by")


def payment_run_get(*, panel: Panel, pk: int) -> PaymentRun:
    run = panel.payment_runs.filter(pk=pk).first()
    if run is None:
        raise Http404("No such payment run.")
    return run


def approved_unpaid_total(*, panel: Panel) -> Decimal:
    total = ExpenseClaim.objects.filter(
        session__panel=panel, status=ExpenseClaim.Status.APPROVED,
        payment_run__isnull=True).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")
