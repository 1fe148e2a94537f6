"""Contract management: changes with value and term deltas (UK10), KPI ratings (UK9), and the
termination notice for a contract that expired (UK11).

The change allowance follows the guidance summarised in ``../shared/domain/procurement.md``
(secondary source): a change needs a contract change notice first when, counted together with
the changes already made, it raises the value by more than 10% (goods and services) or 15%
(works) of the value at signature, or extends the term by more than 10% of the original term.
The portal's choice: a change within the allowance may still publish a UK10 voluntarily.

A contract performance notice (UK9) reports the latest rating of every KPI, and the social
value delivered so far from the supplier's delivery ledger.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from commissioning.models import Contract, ContractChange, ContractKpi, KpiRating, NoticeType
from commissioning.ocds.release import money, timestamp
from commissioning.services.notices import NoticeDraft
from commissioning.services.publication import release_publish
from core.audit import audit_record
from core.calendar import local_date
from core.templatetags.govuk import govuk_date

VALUE_ALLOWANCE = {"works": Decimal("0.15")}
DEFAULT_VALUE_ALLOWANCE = Decimal("0.10")
TERM_ALLOWANCE = Decimal("0.10")
PERFORMANCE_KPI_VALUE = Decimal("5000000")


def _require(actor, contract: Contract) -> None:
    if not rules.has_perm("commissioning.manage_contract", actor, contract):
        raise PermissionDenied("You cannot change this contract.")
    if contract.terminated_at:
        raise ValidationError("This contract has been terminated.")


def original_terms(contract: Contract) -> tuple[Decimal, datetime.date]:
    """The value and end date at signature (before any change was made)."""
    first = contract.changes.filter(status=ContractChange.Status.APPLIED).order_by(
        "applied_at", "pk").first()
    if first is None:
        return contract.value, contract.ends_on
    return first.previous_value, first.previous_ends_on


def is_beyond_allowance(contract: Contract, *, value_delta: Decimal,
                        new_ends_on: datetime.date) -> bool:
    """Whether this change, with those already made, goes beyond the allowance."""
    value, ends_on = original_terms(contract)
    made = contract.changes.filter(status=ContractChange.Status.APPLIED,
                                   value_delta__gt=0).aggregate(total=Sum("value_delta"))
    increase = (made["total"] or Decimal("0")) + max(value_delta, Decimal("0"))
    share = VALUE_ALLOWANCE.get(contract.award.tender.contract_type, DEFAULT_VALUE_ALLOWANCE)
    term_days = Decimal((ends_on - contract.starts_on).days)
    extension = Decimal((new_ends_on - ends_on).days)
    return increase > value * share or extension > term_days * TERM_ALLOWANCE


@transaction.atomic
def contract_change_propose(*, actor, contract: Contract, description: str,
                            value_delta: Decimal, new_ends_on: datetime.date) -> ContractChange:
    """Propose a change of a live contract; it says whether a UK10 must come first."""
    _require(actor, contract)
    errors = {}
    if not description.strip():
        errors["description"] = "Describe the change."
    if contract.value + value_delta <= 0:
        errors["value_delta"] = "The contract value must stay above £0."
    if new_ends_on <= contract.starts_on:
        errors["new_ends_on"] = "The end date must be after the contract start date."
    if contract.changes.filter(status=ContractChange.Status.PROPOSED).exists():
        errors["description"] = "Make or withdraw the change already proposed first."
    if errors:
        raise ValidationError(errors)
    change = ContractChange.objects.create(
        contract=contract, description=description.strip(), value_delta=value_delta,
        previous_value=contract.value, previous_ends_on=contract.ends_on,
        new_ends_on=new_ends_on, proposed_by=actor,
        beyond_allowance=is_beyond_allowance(contract, value_delta=value_delta,
                                             new_ends_on=new_ends_on))
    audit_record(actor=actor, action="contract.change_propose", obj=contract,
                 summary="Contract change proposed"
                 + (" (beyond the allowance: a change notice is needed)"
                    if change.beyond_allowance else ""),
                 changes={"change": change.pk, "value_delta": value_delta,
                          "new_ends_on": new_ends_on}, organisation_id=_authority_id(contract))
    return change


def _authority_id(contract: Contract) -> int:
    return contract.award.tender.authority_id


def has_notice(change: ContractChange) -> bool:
    try:
        return change.notice is not None
    except ContractChange.notice.RelatedObjectDoesNotExist:
        return False


@transaction.atomic
def contract_change_notice_publish(*, actor, change: ContractChange) -> ContractChange:
    """Publish the contract change notice (UK10) of a proposed change."""
    contract = change.contract
    _require(actor, contract)
    if change.status != ContractChange.Status.PROPOSED or has_notice(change):
        raise ValidationError("This change already has its notice or has been made.")
    amendment = {"id": f"change-{change.pk}", "date": timestamp(timezone.now()),
                 "rationale": change.description,
                 "description": f"Value change {money(change.value_delta)['amount']} GBP; "
                                f"new end date {change.new_ends_on.isoformat()}"}
    release_publish(tender=contract.award.tender, tags=["contractAmendment"], notice=NoticeDraft(
        notice_type=NoticeType.UK10, actor=actor, contract=contract, award=contract.award,
        change=change, title=f"Change to the contract with {contract.award.supplier}",
        fields={"Change": change.description, "Value change": f"£{change.value_delta:,.2f}",
                "New value": f"£{contract.value + change.value_delta:,.2f}",
                "New end date": govuk_date(change.new_ends_on),
                "Beyond the allowance": "Yes" if change.beyond_allowance else "No"},
        extra={"amendments": [amendment]}))
    return change


@transaction.atomic
def contract_change_make(*, actor, change: ContractChange) -> Contract:
    """Make a proposed change: beyond the allowance, only after its UK10 is published."""
    contract = Contract.objects.select_for_update(of=("self",)).select_related(
        "award__tender", "award__supplier").get(pk=change.contract_id)
    _require(actor, contract)
    if change.status != ContractChange.Status.PROPOSED:
        raise ValidationError("This change has already been made.")
    if change.beyond_allowance and not has_notice(change):
        raise ValidationError("This change goes beyond the allowance: publish the contract "
                              "change notice (UK10) before making it.")
    contract.value += change.value_delta
    contract.ends_on = change.new_ends_on
    contract.save(update_fields=["value", "ends_on", "updated_at"])
    change.status, change.applied_at = ContractChange.Status.APPLIED, timezone.now()
    change.save(update_fields=["status", "applied_at", "updated_at"])
    audit_record(actor=actor, action="contract.change_make", obj=contract,
                 summary="Contract changed",
                 changes={"change": change.pk, "value": [change.previous_value, contract.value],
                          "ends_on": [change.previous_ends_on, contract.ends_on]},
                 organisation_id=_authority_id(contract))
    release_publish(tender=contract.award.tender, tags=["contractAmendment"])
    return contract


@transaction.atomic
def kpi_rating_record(*, actor, kpi: ContractKpi, period_start: datetime.date,
                      period_end: datetime.date, rating: str, comment: str = "") -> KpiRating:
    """Rate one KPI for a period (what the next contract performance notice reports)."""
    _require(actor, kpi.contract)
    errors = {}
    if period_end < period_start:
        errors["period_end"] = "The end of the period must be on or after its start."
    elif period_end > local_date(timezone.now()):
        errors["period_end"] = "Rate a period that has ended."
    if rating not in KpiRating.Rating.values:
        errors["rating"] = "Choose a rating."
    if KpiRating.objects.filter(kpi=kpi, period_end=period_end).exists():
        errors["period_end"] = "This KPI is already rated for a period ending on that day."
    if errors:
        raise ValidationError(errors)
    row = KpiRating.objects.create(kpi=kpi, period_start=period_start, period_end=period_end,
                                   rating=rating, comment=comment.strip(), rated_by=actor)
    audit_record(actor=actor, action="contract.kpi_rate", obj=kpi.contract,
                 summary=f"KPI rated: {kpi.name}: {row.get_rating_display()}",
                 changes={"kpi": kpi.pk, "rating": rating, "period_end": period_end},
                 organisation_id=_authority_id(kpi.contract))
    return row


def performance_rows(contract: Contract) -> list[tuple[ContractKpi, KpiRating | None]]:
    """Each KPI with its latest rating (two queries)."""
    kpis = list(contract.kpis.prefetch_related("ratings"))
    return [(kpi, next(iter(kpi.ratings.all()), None)) for kpi in kpis]


def social_value_delivered(contract: Contract) -> Decimal | None:
    if contract.social_value_ledger_id is None:
        return None
    from socialvalue.performance import ledger_percentages

    return ledger_percentages([contract.social_value_ledger_id],
                              local_date(timezone.now()))[contract.social_value_ledger_id]


def performance_notice_problems(contract: Contract) -> list[str]:
    rows = performance_rows(contract)
    if not rows:
        return ["Add the contract's key performance indicators first."]
    unrated = [kpi.name for kpi, rating in rows if rating is None]
    if unrated:
        return [f"Rate every KPI first (not yet rated: {', '.join(unrated)})."]
    return []


@transaction.atomic
def performance_notice_publish(*, actor, contract: Contract) -> None:
    """Publish a contract performance notice (UK9) from the KPI ratings and social value."""
    _require(actor, contract)
    problems = performance_notice_problems(contract)
    if problems:
        raise ValidationError(problems)
    rows = performance_rows(contract)
    delivered = social_value_delivered(contract)
    fields = {f"KPI: {kpi.name}": f"{rating.get_rating_display()} (target {kpi.target}, "
                                  f"{govuk_date(rating.period_start)} to "
                                  f"{govuk_date(rating.period_end)})"
              for kpi, rating in rows}
    if delivered is not None:
        fields["Social value delivered"] = f"{delivered}% of the commitments due"
    milestones = [{"id": f"kpi-{kpi.pk}-{rating.period_end.isoformat()}", "title": kpi.name,
                   "type": "reporting", "status": "met" if rating.rating == "good" else
                   "notMet",
                   "description": f"{rating.get_rating_display()}: target {kpi.target}"}
                  for kpi, rating in rows]
    release_publish(tender=contract.award.tender, tags=["implementation"], notice=NoticeDraft(
        notice_type=NoticeType.UK9, actor=actor, contract=contract, award=contract.award,
        title=f"Performance of the contract with {contract.award.supplier}",
        fields=fields, extra={"milestones": milestones}))


def performance_notice_required(contract: Contract) -> bool:
    return contract.value > PERFORMANCE_KPI_VALUE and contract.kpis.exists()


@transaction.atomic
def contract_expiry_notice_publish(*, actor, contract: Contract) -> None:
    """Publish the termination notice (UK11) of a contract that reached its end date."""
    _require(actor, contract)
    if contract.ends_on >= local_date(timezone.now()):
        raise ValidationError("The contract has not ended yet.")
    if contract.notices.filter(notice_type=NoticeType.UK11).exists():
        raise ValidationError("The contract termination notice is already published.")
    release_publish(tender=contract.award.tender, tags=["contractTermination"],
                    notice=NoticeDraft(
                        notice_type=NoticeType.UK11, actor=actor, contract=contract,
                        award=contract.award,
                        title=f"Contract with {contract.award.supplier} ended",
                        fields={"Ended": govuk_date(contract.ends_on),
                                "Reason": "The contract reached its end date"}))
