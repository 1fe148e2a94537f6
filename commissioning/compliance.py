"""Compliance checks about tenders, awards and contracts (see compliance.registry).

Each check is one set-based query (plus the cached content type); the owner of every finding
is the tender's authority. Working-day allowances come from settings, with defaults:

- ``COMMISSIONING_OPENING_DUE_WORKING_DAYS`` (2): bids opened after the deadline;
- ``COMMISSIONING_EVALUATION_START_WORKING_DAYS`` (5): first score after opening;
- ``COMMISSIONING_QUESTION_ANSWER_WORKING_DAYS`` (3): clarification answered;
- ``COMMISSIONING_CONTRACT_DETAILS_DAYS`` (30, calendar days, Procurement Act s.53);
- ``COMMISSIONING_KPI_CONTRACT_VALUE`` (£5,000,000): contracts above it publish at least three
  most material KPIs in the contract details notice (s.52).

"Within N working days" counts working days after the day of the event, as the organisations
checks do: a deadline on Monday with two working days allowed is overdue from Thursday.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse

from commissioning.models import Award, Bid, Clarification, Contract, Score, Tender
from compliance.registry import FindingSpec, Severity, compliance_check
from compliance.subjects import Description, describe
from core.calendar import latest_working_day, local_date, start_of_day, working_days_before
from core.money import format_gbp
from mutuals.selectors import current_recognitions

MINIMUM_KPIS = 3


def _setting(name: str, default):
    return getattr(settings, name, default)


def overdue_cutoff(now: datetime, working_days: int) -> datetime:
    """Events before this instant have had more than ``working_days`` working days."""
    return start_of_day(working_days_before(latest_working_day(now), working_days))


def _long_date(value: date | datetime) -> str:
    day = local_date(value)
    return f"{day.day} {day:%B %Y}"


def _specs(model, rows, message) -> Iterator[FindingSpec]:
    content_type = ContentType.objects.get_for_model(model)
    for row in rows.iterator(chunk_size=2000):
        yield FindingSpec(subject=(content_type, row["pk"]),
                          organisation_id=row["authority_id"], message=message(row))


@compliance_check(id="commissioning.opening_overdue", title="Bids not opened after the deadline",
                  severity=Severity.HIGH, interval=timedelta(hours=6))
def opening_overdue(now: datetime) -> Iterator[FindingSpec]:
    """Tenders whose deadline passed more than N working days ago, with bids still sealed."""
    days = _setting("COMMISSIONING_OPENING_DUE_WORKING_DAYS", 2)
    rows = (Tender.objects.filter(status=Tender.Status.PUBLISHED,
                                  deadline__lt=overdue_cutoff(now, days))
            .exclude(opening__confirmed_at__isnull=False)
            .values("pk", "authority_id", "reference", "title", "deadline"))
    yield from _specs(Tender, rows, lambda row: (
        f"{row['reference']} “{row['title']}” closed on {_long_date(row['deadline'])} and its "
        f"bids have not been opened (they should be within {days} working days)."))


@compliance_check(id="commissioning.evaluation_not_started", title="Evaluation not started",
                  severity=Severity.MEDIUM)
def evaluation_not_started(now: datetime) -> Iterator[FindingSpec]:
    """Opened tenders with submitted bids and not a single score N working days later."""
    days = _setting("COMMISSIONING_EVALUATION_START_WORKING_DAYS", 5)
    submitted = Bid.objects.filter(tender=OuterRef("pk"), status=Bid.Status.SUBMITTED)
    scored = Score.objects.filter(bid__tender=OuterRef("pk"))
    rows = (Tender.objects.filter(status__in=[Tender.Status.OPENED, Tender.Status.EVALUATION],
                                  opening__confirmed_at__lt=overdue_cutoff(now, days))
            .filter(Exists(submitted), ~Exists(scored))
            .values("pk", "authority_id", "reference", "title", "opening__confirmed_at"))
    yield from _specs(Tender, rows, lambda row: (
        f"{row['reference']} “{row['title']}”: bids were opened on "
        f"{_long_date(row['opening__confirmed_at'])} and no evaluator has scored any yet "
        f"(scoring should start within {days} working days)."))


@compliance_check(id="commissioning.standstill_without_contract",
                  title="Standstill ended without a contract", severity=Severity.MEDIUM)
def standstill_without_contract(now: datetime) -> Iterator[FindingSpec]:
    """Published awards whose standstill has ended, with no contract entered and not cancelled."""
    rows = (Award.objects.filter(notice_published_at__isnull=False,
                                 standstill_ends_on__lt=local_date(now),
                                 status__in=[Award.Status.APPROVED, Award.Status.STANDSTILL],
                                 contract__isnull=True)
            .exclude(tender__status=Tender.Status.CANCELLED)
            # The award keeps its authority (copied from the tender when it is saved).
            .values("pk", "standstill_ends_on", "tender__title", "tender__reference",
                    "authority_id"))
    yield from _specs(Award, rows, lambda row: (
        f"{row['tender__reference']} “{row['tender__title']}”: the standstill ended on "
        f"{_long_date(row['standstill_ends_on'])} and no contract has been entered. Enter the "
        "contract, or cancel the award and publish a procurement termination notice."))


@compliance_check(id="commissioning.contract_details_overdue",
                  title="Contract details notice overdue", severity=Severity.HIGH)
def contract_details_overdue(now: datetime) -> Iterator[FindingSpec]:
    """Contracts entered more than 30 days ago without a contract details notice (UK7)."""
    days = _setting("COMMISSIONING_CONTRACT_DETAILS_DAYS", 30)
    rows = (Contract.objects.filter(details_published_at__isnull=True,
                                    signed_at__lt=now - timedelta(days=days))
            .values("pk", "signed_at", "award__tender__title", "award__tender__reference",
                    authority_id=F("award__tender__authority_id")))
    yield from _specs(Contract, rows, lambda row: (
        f"{row['award__tender__reference']} “{row['award__tender__title']}”: the contract was "
        f"entered into on {_long_date(row['signed_at'])} and its contract details notice was "
        f"due by {_long_date(row['signed_at'] + timedelta(days=days))}."))


@compliance_check(id="commissioning.contract_kpis_missing",
                  title="Large contract without three key performance indicators",
                  severity=Severity.HIGH)
def contract_kpis_missing(now: datetime) -> Iterator[FindingSpec]:
    """Live contracts over £5 million with fewer than three most material KPIs."""
    threshold = Decimal(_setting("COMMISSIONING_KPI_CONTRACT_VALUE", Decimal("5000000")))
    rows = (Contract.objects.filter(value__gt=threshold, terminated_at__isnull=True)
            .annotate(material=Count("kpis", filter=Q(kpis__is_most_material=True)))
            .filter(material__lt=MINIMUM_KPIS)
            .values("pk", "value", "material", "award__tender__title",
                    "award__tender__reference", authority_id=F("award__tender__authority_id")))
    yield from _specs(Contract, rows, lambda row: (
        f"{row['award__tender__reference']} “{row['award__tender__title']}” is worth "
        f"{format_gbp(row['value'])} and has {row['material']} most material KPI"
        f"{'' if row['material'] == 1 else 's'}: contracts over {format_gbp(threshold)} need "
        f"at least {MINIMUM_KPIS}."))


@compliance_check(id="commissioning.clarification_unanswered",
                  title="Clarification question unanswered", severity=Severity.MEDIUM,
                  interval=timedelta(hours=6))
def clarification_unanswered(now: datetime) -> Iterator[FindingSpec]:
    """Questions on tenders still open for bids, unanswered after N working days."""
    days = _setting("COMMISSIONING_QUESTION_ANSWER_WORKING_DAYS", 3)
    rows = (Clarification.objects.filter(answered_at__isnull=True,
                                         created_at__lt=overdue_cutoff(now, days),
                                         tender__status=Tender.Status.PUBLISHED)
            .values("pk", "created_at", "tender__title", "tender__reference",
                    authority_id=F("tender__authority_id")))
    yield from _specs(Clarification, rows, lambda row: (
        f"{row['tender__reference']} “{row['tender__title']}”: a question asked on "
        f"{_long_date(row['created_at'])} has not been answered (answers are due within "
        f"{days} working days, and every bidder sees them)."))


@compliance_check(id="commissioning.reserved_supplier_not_recognised",
                  title="Reserved contract whose supplier no longer meets the definition",
                  severity=Severity.MEDIUM)
def reserved_supplier_not_recognised(now: datetime) -> Iterator[FindingSpec]:
    """Live contracts reserved for mutuals whose supplier has no current s.33 recognition.

    A reserved contract may run on (nothing in s.33 ends it), but the authority should know, for
    its contract management and for the next procurement.
    """
    today = local_date(now)
    recognised = current_recognitions(on=today).filter(
        organisation=OuterRef("award__bid__organisation"),
        definition_key__in=["s33", "reg77"])
    rows = (Contract.objects.filter(award__tender__is_reserved_for_mutuals=True,
                                    terminated_at__isnull=True, ends_on__gte=today)
            .exclude(Exists(recognised))
            .values("pk", "award__tender__title", "award__tender__reference",
                    "award__bid__organisation__name",
                    authority_id=F("award__tender__authority_id")))
    yield from _specs(Contract, rows, lambda row: (
        f"{row['award__tender__reference']} “{row['award__tender__title']}” is reserved for "
        f"public service mutuals, but {row['award__bid__organisation__name']} is no longer "
        "recognised as one."))


# ------------------------------------------------------------------ how findings name subjects


def _tender_words(tender: Tender) -> str:
    return f"{tender.reference} {tender.title}"


def _lot_words(award: Award) -> str:
    return f", lot {award.lot.number}" if award.lot_id else ""


describe(Tender, lambda t: Description(
    f"Tender {_tender_words(t)}", reverse("commissioning:tender_manage", args=[t.pk]),
    "commissioning.view_tender_admin"))
describe(Award, lambda a: Description(
    f"Award to {a.supplier.name} for {_tender_words(a.tender)}{_lot_words(a)}",
    reverse("commissioning:award", args=[a.pk]), "commissioning.view_award"))
describe(Contract, lambda c: Description(
    f"Contract with {c.award.supplier.name} for {_tender_words(c.award.tender)}"
    f"{_lot_words(c.award)}", reverse("commissioning:contract", args=[c.pk]),
    "commissioning.view_contract"))
describe(Clarification, lambda q: Description(
    f"Clarification question on {_tender_words(q.tender)}",
    reverse("commissioning:clarification_admin_list", args=[q.tender_id]),
    "commissioning.view_tender_admin", q.tender))


from commissioning import compliance_notices  # noqa: E402, F401  (registers the notice checks)
