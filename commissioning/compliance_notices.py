"""Compliance checks for the notice deadlines of the Procurement Act 2023 (registered by
``commissioning.compliance``).

- UK9: a live contract over £5m with KPIs publishes a contract performance notice at least
  every 12 months (counted from the contract's start, then from its last UK9);
- UK11: a contract that was terminated or reached its end date publishes a contract
  termination notice within 30 days;
- UK5: a direct award whose standstill ended is either awarded or terminated (a published
  transparency notice does not stay open for ever).

The UK7 30-day check is ``contract_details_overdue`` in ``commissioning.compliance``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, F, Max, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate

from commissioning.models import Contract, ContractKpi, DirectAward, Notice, NoticeType
from compliance.registry import FindingSpec, Severity, compliance_check
from core.calendar import local_date

PERFORMANCE_VALUE = Decimal("5000000")
PERFORMANCE_DAYS = 365
TERMINATION_NOTICE_DAYS = 30


def _specs(model, rows, message):
    from commissioning.compliance import _specs as specs

    return specs(model, rows, message)


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


@compliance_check(id="commissioning.performance_notice_due",
                  title="Contract performance notice due (UK9)", severity=Severity.HIGH)
def performance_notice_due(now: datetime) -> Iterator[FindingSpec]:
    """Live contracts over £5m with KPIs and no UK9 in the last 12 months."""
    today = local_date(now)
    has_kpis = ContractKpi.objects.filter(contract=OuterRef("pk"))
    rows = (Contract.objects.filter(value__gt=PERFORMANCE_VALUE, terminated_at__isnull=True,
                                    ends_on__gte=today)
            .filter(Exists(has_kpis))
            .annotate(last=Coalesce(TruncDate(Max("notices__published_at", filter=Q(
                notices__notice_type=NoticeType.UK9))), F("starts_on")))
            .filter(last__lt=today - timedelta(days=PERFORMANCE_DAYS))
            .values("pk", "last", "award__tender__title", "award__tender__reference",
                    authority_id=F("award__tender__authority_id")))
    yield from _specs(Contract, rows, lambda row: (
        f"{row['award__tender__reference']} “{row['award__tender__title']}”: no contract "
        f"performance notice since {_long(row['last'])}; one is due at least every 12 months "
        "for contracts over £5 million with KPIs."))


@compliance_check(id="commissioning.termination_notice_overdue",
                  title="Contract termination notice overdue (UK11)", severity=Severity.HIGH)
def termination_notice_overdue(now: datetime) -> Iterator[FindingSpec]:
    """Contracts ended (terminated or expired) more than 30 days ago without a UK11."""
    cutoff = local_date(now) - timedelta(days=TERMINATION_NOTICE_DAYS)
    notice = Notice.objects.filter(contract=OuterRef("pk"), notice_type=NoticeType.UK11)
    rows = (Contract.objects.annotate(ended=Coalesce(TruncDate("terminated_at"), F("ends_on")))
            .filter(ended__lt=cutoff).exclude(Exists(notice))
            .values("pk", "ended", "award__tender__title", "award__tender__reference",
                    authority_id=F("award__tender__authority_id")))
    yield from _specs(Contract, rows, lambda row: (
        f"{row['award__tender__reference']} “{row['award__tender__title']}” ended on "
        f"{_long(row['ended'])}: its contract termination notice was due within "
        f"{TERMINATION_NOTICE_DAYS} days."))


@compliance_check(id="commissioning.direct_award_standstill_ended",
                  title="Direct award neither awarded nor terminated after its standstill",
                  severity=Severity.MEDIUM)
def direct_award_standstill_ended(now: datetime) -> Iterator[FindingSpec]:
    """Direct awards whose transparency-notice standstill ended over 30 days ago, still open."""
    cutoff = local_date(now) - timedelta(days=TERMINATION_NOTICE_DAYS)
    rows = (DirectAward.objects.filter(status=DirectAward.Status.STANDSTILL,
                                       standstill_ends_on__lt=cutoff)
            .values("pk", "reference", "title", "standstill_ends_on", "authority_id"))
    yield from _specs(DirectAward, rows, lambda row: (
        f"{row['reference']} “{row['title']}”: the standstill after the transparency notice "
        f"ended on {_long(row['standstill_ends_on'])}. Award the contract, or terminate the "
        "direct award and publish a procurement termination notice."))
