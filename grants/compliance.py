"""Compliance checks about grants (see compliance.registry): each is one set-based query.

The owner of every finding is the programme's authority. Allowances come from settings:

- ``GRANTS_AGREEMENT_WORKING_DAYS`` (20): an offer's agreement accepted within this;
- ``GRANTS_OPEN_DATA_DAYS`` (30): a live grant published as open data within this;
- ``GRANTS_ASSESSOR_WARNING_DAYS`` (7): a round closing this soon needs an assessor.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse

from compliance.registry import FindingSpec, Severity, compliance_check
from compliance.subjects import Description, describe
from core.calendar import local_date, working_days_before
from grants.models import (
    AnnualReview,
    AssessorAssignment,
    Award,
    DueDiligenceCheck,
    Instalment,
    MonitoringReport,
    OfferCondition,
    Round,
)


def _setting(name: str, default):
    return getattr(settings, name, default)


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}"


def _specs(model, rows, message) -> Iterator[FindingSpec]:
    content_type = ContentType.objects.get_for_model(model)
    for row in rows.iterator(chunk_size=5000):
        yield FindingSpec(subject=(content_type, row["pk"]),
                          organisation_id=row["authority_id"], message=message(row))


@compliance_check(id="grants.report_overdue", title="Grant monitoring report overdue",
                  severity=Severity.MEDIUM)
def report_overdue(now: datetime) -> Iterator[FindingSpec]:
    """Reports of live grants past their due date and not submitted (or returned)."""
    rows = (MonitoringReport.objects.filter(status__in=["due", "returned"],
                                            due_on__lt=local_date(now), award__status="live")
            .values("pk", "number", "due_on", "award__reference", "award__recipient__name",
                    authority_id=F("award__programme__authority_id")))
    yield from _specs(MonitoringReport, rows, lambda r: (
        f"{r['award__reference']} ({r['award__recipient__name']}): monitoring report "
        f"{r['number']} was due on {_day(r['due_on'])}. Payments are blocked until it is in."))


def blocked_instalments(today):
    """Scheduled instalments now due that GovS 015 would not let anyone pay."""
    overdue = MonitoringReport.objects.filter(award=OuterRef("award_id"),
                                              status__in=["due", "returned"], due_on__lt=today)
    checked = DueDiligenceCheck.objects.filter(award=OuterRef("award_id"))
    failed = checked.filter(outcome="failed")
    unmet = OfferCondition.objects.filter(award=OuterRef("award_id"), met_at__isnull=True,
                                          before_first_payment=True)
    review = AnnualReview.objects.filter(award=OuterRef("award_id"), year=OuterRef("year") - 1,
                                         completed_at__isnull=False).exclude(
        decision="discontinue")
    return (Instalment.objects.filter(status="scheduled", due_on__lte=today,
                                      award__status__in=["offered", "live"])
            .filter(Q(award__status="offered") | Exists(overdue) | ~Exists(checked)
                    | Exists(failed) | Exists(unmet) | (Q(year__gt=1) & ~Exists(review))))


@compliance_check(id="grants.payment_blocked", title="Grant payment due but blocked",
                  severity=Severity.HIGH)
def payment_blocked(now: datetime) -> Iterator[FindingSpec]:
    rows = blocked_instalments(local_date(now)).values(
        "pk", "number", "due_on", "award__reference", "award__recipient__name",
        authority_id=F("award__programme__authority_id"))
    yield from _specs(Instalment, rows, lambda r: (
        f"{r['award__reference']} ({r['award__recipient__name']}): instalment {r['number']} "
        f"was due on {_day(r['due_on'])} and cannot be paid. Open the grant to see why."))


@compliance_check(id="grants.annual_review_due", title="Grant annual review overdue",
                  severity=Severity.MEDIUM)
def annual_review_due(now: datetime) -> Iterator[FindingSpec]:
    """Annual reviews (GovS 015 MR9) of live grants past their due date."""
    rows = (AnnualReview.objects.filter(completed_at__isnull=True, due_on__lt=local_date(now),
                                        award__status="live")
            .values("pk", "year", "due_on", "award__reference",
                    authority_id=F("award__programme__authority_id")))
    yield from _specs(AnnualReview, rows, lambda r: (
        f"{r['award__reference']}: the annual review of year {r['year']} was due on "
        f"{_day(r['due_on'])}. Next year's instalments wait for it."))


@compliance_check(id="grants.round_without_assessor", title="Grant round closing with no assessor",
                  severity=Severity.MEDIUM, interval=timedelta(hours=12))
def round_without_assessor(now: datetime) -> Iterator[FindingSpec]:
    days = _setting("GRANTS_ASSESSOR_WARNING_DAYS", 7)
    assigned = AssessorAssignment.objects.filter(round=OuterRef("pk"))
    rows = (Round.objects.filter(status__in=["published", "assessment"],
                                 closes_at__lt=now + timedelta(days=days))
            .exclude(kind="direct").filter(~Exists(assigned))
            .values("pk", "title", "closes_at", authority_id=F("programme__authority_id")))
    yield from _specs(Round, rows, lambda r: (
        f"“{r['title']}” closes (or closed) on {_day(local_date(r['closes_at']))} and has no "
        "assessor assigned."))


@compliance_check(id="grants.award_not_published", title="Grant not yet published as open data",
                  severity=Severity.LOW)
def award_not_published(now: datetime) -> Iterator[FindingSpec]:
    days = _setting("GRANTS_OPEN_DATA_DAYS", 30)
    rows = (Award.objects.filter(status__in=["live", "closed"], published_at__isnull=True,
                                 awarded_on__lt=local_date(now) - timedelta(days=days))
            .values("pk", "reference", "awarded_on",
                    authority_id=F("programme__authority_id")))
    yield from _specs(Award, rows, lambda r: (
        f"{r['reference']} was awarded on {_day(r['awarded_on'])} and is not yet in a "
        "published 360Giving file (run export_360giving)."))


@compliance_check(id="grants.agreement_not_accepted",
                  title="Grant agreement not accepted after 20 working days",
                  severity=Severity.MEDIUM)
def agreement_not_accepted(now: datetime) -> Iterator[FindingSpec]:
    days = _setting("GRANTS_AGREEMENT_WORKING_DAYS", 20)
    cutoff = working_days_before(local_date(now), days)
    rows = (Award.objects.filter(status="offered", awarded_on__lt=cutoff)
            .values("pk", "reference", "awarded_on", "recipient__name",
                    authority_id=F("programme__authority_id")))
    yield from _specs(Award, rows, lambda r: (
        f"{r['reference']}: {r['recipient__name']} was offered the grant on "
        f"{_day(r['awarded_on'])} and has not accepted the agreement after {days} working "
        "days."))


# ------------------------------------------------------------------ how findings name subjects


def _award_page(award: Award, words: str) -> Description:
    return Description(words, reverse("grants:award_manage", args=[award.pk]),
                       "grants.manage_award", award)


describe(Award, lambda a: _award_page(a, f"Grant {a.reference} {a.title}"))
describe(MonitoringReport, lambda r: _award_page(
    r.award, f"Monitoring report {r.number} of grant {r.award.reference} {r.award.title}"))
describe(Instalment, lambda i: _award_page(
    i.award, f"Payment instalment of grant {i.award.reference} {i.award.title}"))
describe(AnnualReview, lambda r: _award_page(
    r.award, f"Annual review of grant {r.award.reference} {r.award.title}"))
describe(Round, lambda r: Description(f"Grant round {r}", reverse(
    "grants:round_manage", args=[r.pk]), "grants.view_round_admin"))
