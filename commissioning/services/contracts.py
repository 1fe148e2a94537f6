"""Contracts: entered after the standstill, their KPIs, the contract details notice, termination.

The contract cannot be entered into until the standstill has ended: the server's date (in
Europe/London) must be after the last day of the standstill. Contracts worth more than £5m
(other than light-touch contracts) need at least three KPIs marked as most material before the
contract details notice (UK7) can be published.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.models import Award, Contract, ContractKpi
from commissioning.selectors.evaluation import supplier_contacts
from commissioning.services.notices import NoticeDraft
from commissioning.services.publication import release_publish
from commissioning.workflows import TENDER
from core.audit import audit_record
from core.calendar import local_date, start_of_day
from core.notifications import notify
from core.templatetags.govuk import govuk_date
from core.workflows import transition

KPI_THRESHOLD = Decimal("5000000")
MIN_MATERIAL_KPIS = 3


def contract_can_start_on(award: Award) -> datetime.date | None:
    """The first day the contract may be entered into (None before the award notice)."""
    if award.notice_published_at is None:
        return None
    if not award.standstill_required:
        return local_date(award.notice_published_at)
    return award.standstill_ends_on + datetime.timedelta(days=1)


def kpis_required(contract: Contract) -> bool:
    return contract.value > KPI_THRESHOLD and not contract.award.tender.is_light_touch


def contract_details_problems(contract: Contract) -> list[str]:
    """What stops the contract details notice being published."""
    problems = []
    if contract.details_published_at:
        problems.append("The contract details notice is already published.")
    material = contract.kpis.filter(is_most_material=True).count()
    if kpis_required(contract) and material < MIN_MATERIAL_KPIS:
        problems.append(f"This contract is worth more than £5 million: mark at least "
                        f"{MIN_MATERIAL_KPIS} key performance indicators as most material "
                        f"({material} so far).")
    return problems


@transaction.atomic
def contract_enter(*, award: Award, actor, value: Decimal, starts_on: datetime.date,
                   ends_on: datetime.date, signed_on: datetime.date) -> Contract:
    """Record the contract entered into once the standstill is over."""
    award = (Award.objects.select_for_update(of=("self",))
             .select_related("tender", "bid", "supplier").get(pk=award.pk))
    if not rules.has_perm("commissioning.enter_contract", actor, award):
        raise PermissionDenied("You cannot enter into this contract.")
    today = local_date(timezone.now())
    first_day = contract_can_start_on(award)
    if first_day is None or today < first_day:
        raise ValidationError(f"The standstill period ends on "
                              f"{govuk_date(award.standstill_ends_on)}: you can enter into the "
                              f"contract from {govuk_date(first_day)}.")
    errors = {}
    if value <= 0:
        errors["value"] = "Enter the contract value."
    if ends_on <= starts_on:
        errors["ends_on"] = "The end date must be after the start date."
    if signed_on > today:
        errors["signed_on"] = "The date signed must be today or in the past."
    elif signed_on < first_day:
        errors["signed_on"] = (f"The contract cannot be signed before the standstill ended: "
                               f"enter {govuk_date(first_day)} or later.")
    if errors:
        raise ValidationError(errors)
    contract = Contract.objects.create(
        award=award, value=value, starts_on=starts_on, ends_on=ends_on, entered_by=actor,
        signed_at=timezone.now() if signed_on == today else start_of_day(signed_on))
    award.status = Award.Status.CONTRACTED
    award.save(update_fields=["status", "updated_at"])
    if award.tender.status == "standstill":
        transition(obj=award.tender, workflow=TENDER, name="enter_contract", actor=actor,
                   organisation_id=award.tender.authority_id)
    _start_social_value_ledger(contract, actor)
    audit_record(actor=actor, action="contract.enter", obj=contract,
                 summary=f"Contract entered with {award.supplier.name}",
                 changes={"value": value, "starts_on": starts_on, "ends_on": ends_on,
                          "signed_on": signed_on}, organisation_id=award.tender.authority_id)
    release_publish(tender=award.tender, tags=["contract"])
    notify(recipients=supplier_contacts(award), subject=f"Contract entered: "
           f"{award.tender.title}", body=f"{award.tender.authority.name} recorded the contract "
           f"for {award.tender.reference} {award.tender.title}, starting "
           f"{govuk_date(starts_on)}.")
    return contract


def _start_social_value_ledger(contract: Contract, actor) -> None:
    bid = contract.award.bid
    commitments = bid.social_value_commitments if bid is not None else None
    if commitments is None:
        return
    from socialvalue.services import ledger_create

    contract.social_value_ledger = ledger_create(
        commitment_set=commitments, authority=contract.award.tender.authority,
        starts_on=contract.starts_on, ends_on=contract.ends_on, actor=actor)
    contract.save(update_fields=["social_value_ledger", "updated_at"])


def _check_manage(contract: Contract, actor) -> None:
    if not rules.has_perm("commissioning.manage_contract", actor, contract):
        raise PermissionDenied("You cannot change this contract.")
    if contract.terminated_at:
        raise ValidationError("This contract has been terminated.")


@transaction.atomic
def contract_kpi_add(*, contract: Contract, actor, name: str, target: str,
                     is_most_material: bool = False) -> ContractKpi:
    _check_manage(contract, actor)
    errors = {}
    if not name.strip():
        errors["name"] = "Enter the name of the key performance indicator."
    if not target.strip():
        errors["target"] = "Enter the target."
    if errors:
        raise ValidationError(errors)
    kpi = ContractKpi.objects.create(contract=contract, name=name.strip(), target=target.strip(),
                                     is_most_material=is_most_material)
    audit_record(actor=actor, action="contract.kpi_add", obj=contract,
                 summary=f"KPI added: {kpi.name}", changes={"kpi": kpi.pk, "target": kpi.target,
                                                           "most_material": is_most_material},
                 organisation_id=contract.award.tender.authority_id)
    return kpi


@transaction.atomic
def contract_kpi_remove(*, kpi: ContractKpi, actor) -> None:
    contract = kpi.contract
    _check_manage(contract, actor)
    if contract.details_published_at and kpi.is_most_material:
        raise ValidationError("This KPI was published in the contract details notice.")
    audit_record(actor=actor, action="contract.kpi_remove", obj=contract,
                 summary=f"KPI removed: {kpi.name}", changes={"kpi": kpi.pk},
                 organisation_id=contract.award.tender.authority_id)
    kpi.delete()


@transaction.atomic
def contract_details_publish(*, contract: Contract, actor) -> Contract:
    """Publish the contract details notice (UK7)."""
    _check_manage(contract, actor)
    problems = contract_details_problems(contract)
    if problems:
        raise ValidationError(problems)
    contract.details_published_at = timezone.now()
    contract.save(update_fields=["details_published_at", "updated_at"])
    audit_record(actor=actor, action="contract.details_publish", obj=contract,
                 summary="Contract details notice published",
                 organisation_id=contract.award.tender.authority_id)
    release_publish(tender=contract.award.tender, tags=["contractUpdate"], notice=NoticeDraft(
        notice_type="UK7", actor=actor, contract=contract, award=contract.award,
        title=f"Contract with {contract.award.supplier.name}",
        fields={"Value": f"£{contract.value:,.2f}", "Starts": contract.starts_on,
                "Ends": contract.ends_on, "Conflicts assessment": "Prepared and revised",
                **{f"KPI: {kpi.name}": kpi.target
                   for kpi in contract.kpis.filter(is_most_material=True)}}))
    return contract


@transaction.atomic
def contract_terminate(*, contract: Contract, actor, reason: str) -> Contract:
    """Record that the contract ended early, with the reason."""
    _check_manage(contract, actor)
    if not reason.strip():
        raise ValidationError({"reason": "Explain why the contract is being terminated."})
    contract.terminated_at, contract.termination_reason = timezone.now(), reason.strip()
    contract.save(update_fields=["terminated_at", "termination_reason", "updated_at"])
    audit_record(actor=actor, action="contract.terminate", obj=contract,
                 summary="Contract terminated", changes={"reason": reason.strip()},
                 organisation_id=contract.award.tender.authority_id)
    release_publish(tender=contract.award.tender, tags=["contractTermination"], notice=NoticeDraft(
        notice_type="UK11", actor=actor, contract=contract, award=contract.award,
        title=f"Contract with {contract.award.supplier.name}",
        fields={"Reason": reason.strip()}))
    notify(recipients=supplier_contacts(contract.award),
           subject=f"Contract terminated: {contract.award.tender.title}",
           body=f"{contract.award.tender.authority.name} recorded that the contract for "
           f"{contract.award.tender.reference} was terminated: {reason.strip()}")
    return contract
