"""Direct awards: s.41 (a Schedule 5 justification) or s.43 (switching after an unsuccessful
competition). A transparency notice (UK5) comes first and starts a standstill of 8 working days
(the award standstill, counted by the same calendar); only then is the contract awarded, with
its contract award notice (UK6). Terminating after the UK5 publishes a UK12.
"""

from __future__ import annotations

import datetime
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.models import Award, Contract, DirectAward, NoticeType, Tender
from commissioning.ocds.related import related_processes
from commissioning.ocds.release import _day_end as day_end
from commissioning.ocds.release import money, timestamp
from commissioning.services.awards import standstill_end
from commissioning.services.notices import NoticeDraft, notice_record_standalone
from core.audit import audit_record
from core.calendar import local_date
from core.templatetags.govuk import govuk_date
from organisations.models import Organisation

FIELDS = ("reference", "title", "description", "basis", "ground", "justification",
          "switched_from", "supplier", "value_ex_vat", "starts_on", "ends_on")


def _require(actor, perm: str, obj) -> None:
    if not rules.has_perm(perm, actor, obj):
        raise PermissionDenied("You cannot manage this direct award.")


def direct_award_problems(award: DirectAward) -> dict[str, list[str]]:
    """Errors in a direct award's fields, by field name."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if award.basis == DirectAward.Basis.SCHEDULE_5 and not award.ground:
        add("ground", "Choose the Schedule 5 justification.")
    if award.basis == DirectAward.Basis.SWITCH:
        switched = award.switched_from
        if switched is None:
            add("switched_from", "Choose the unsuccessful competition you are switching from.")
        elif switched.authority_id != award.authority_id or \
                switched.status != Tender.Status.CANCELLED:
            add("switched_from", "Choose one of your terminated competitions.")
    if not award.justification.strip():
        add("justification", "Explain why the contract is awarded directly.")
    if award.value_ex_vat is None or award.value_ex_vat <= 0:
        add("value_ex_vat", "Enter the contract value.")
    if award.starts_on and award.ends_on and award.ends_on <= award.starts_on:
        add("ends_on", "The end date must be after the start date.")
    if award.supplier_id and award.supplier.kind != Organisation.Kind.PROVIDER:
        add("supplier", "Choose a supplier organisation.")
    duplicate = DirectAward.objects.filter(authority_id=award.authority_id,
                                           reference__iexact=award.reference)
    if duplicate.exclude(pk=award.pk).exists():
        add("reference", "Your organisation already has a direct award with this reference.")
    return problems


@transaction.atomic
def direct_award_create(*, actor, authority: Organisation, data: dict[str, Any]) -> DirectAward:
    """Record a draft direct award with its legal basis and justification."""
    award = DirectAward(authority=authority, created_by=actor,
                        **{name: data.get(name) for name in FIELDS if name in data})
    award.ground = award.ground or ""
    if award.basis == DirectAward.Basis.SWITCH:
        award.ground = ""
    else:
        award.switched_from = None
    _require(actor, "commissioning.manage_direct_award", award)
    problems = direct_award_problems(award)
    if problems:
        raise ValidationError(problems)
    award.save()
    award.ocid = f"{settings.OCDS_OCID_PREFIX}-da-{award.pk}"
    award.save(update_fields=["ocid"])
    audit_record(actor=actor, action="direct_award.create", obj=award,
                 summary=f"Direct award drafted: {award.title} to {award.supplier.name}",
                 changes={"basis": award.basis, "ground": award.ground,
                          "value": award.value_ex_vat}, organisation_id=authority.pk)
    return award


def _locked(award: DirectAward) -> DirectAward:
    return (DirectAward.objects.select_for_update(of=("self",))
            .select_related("authority", "supplier").get(pk=award.pk))


def _rationale(award: DirectAward) -> str:
    if award.basis == DirectAward.Basis.SWITCH:
        return f"Section 43 switch to direct award: {award.justification}"
    return f"Schedule 5 ({award.get_ground_display()}): {award.justification}"


@transaction.atomic
def direct_award_transparency_publish(*, actor, award: DirectAward) -> DirectAward:
    """Publish the transparency notice (UK5): the standstill of 8 working days starts."""
    award = _locked(award)
    _require(actor, "commissioning.manage_direct_award", award)
    if award.status != DirectAward.Status.DRAFT:
        raise ValidationError("The transparency notice is already published.")
    now = timezone.now()
    award.status, award.transparency_published_at = DirectAward.Status.STANDSTILL, now
    award.standstill_ends_on = standstill_end(local_date(now))
    award.save(update_fields=["status", "transparency_published_at", "standstill_ends_on",
                              "updated_at"])
    notice_record_standalone(
        draft=NoticeDraft(notice_type=NoticeType.UK5, actor=actor, title=award.title, fields={
            "Supplier": award.supplier.name, "Legal basis": award.get_basis_display(),
            "Justification": _rationale(award), "Value excluding VAT":
                f"£{award.value_ex_vat:,.2f}",
            "Standstill ends": govuk_date(award.standstill_ends_on)}),
        authority=award.authority, ocid=award.ocid, direct_award=award,
        release_fields=_release_fields(award, status="active"))
    audit_record(actor=actor, action="direct_award.transparency_publish", obj=award,
                 summary=f"Transparency notice published; standstill ends "
                 f"{govuk_date(award.standstill_ends_on)}",
                 changes={"standstill_ends_on": award.standstill_ends_on},
                 organisation_id=award.authority_id)
    return award


def _release_fields(award: DirectAward, *, status: str, with_award: Award | None = None) -> dict:
    fields = {"title": award.title, "description": award.description,
              "value": award.value_ex_vat, "procurement_method": "direct",
              "rationale": _rationale(award), "status": status,
              "related": related_processes(switched_from=award.switched_from)}
    if with_award:
        fields["supplier"] = award.supplier
        fields["award"] = {"id": str(with_award.pk), "title": award.title, "status": "active",
                           "date": timestamp(award.awarded_at),
                           "value": money(award.value_ex_vat),
                           "standstillPeriod": {
                               "startDate": timestamp(award.transparency_published_at),
                               "endDate": day_end(award.standstill_ends_on)}}
    return fields


def award_may_start_on(award: DirectAward) -> datetime.date | None:
    if award.standstill_ends_on is None:
        return None
    return award.standstill_ends_on + datetime.timedelta(days=1)


@transaction.atomic
def direct_award_award(*, actor, award: DirectAward) -> DirectAward:
    """Award the contract once the standstill after the transparency notice has ended."""
    award = _locked(award)
    _require(actor, "commissioning.manage_direct_award", award)
    if award.status != DirectAward.Status.STANDSTILL:
        raise ValidationError("Publish the transparency notice before awarding the contract.")
    first_day = award_may_start_on(award)
    if local_date(timezone.now()) < first_day:
        raise ValidationError(f"The standstill ends on {govuk_date(award.standstill_ends_on)}: "
                              f"you can award the contract from {govuk_date(first_day)}.")
    award.status, award.awarded_at = DirectAward.Status.AWARDED, timezone.now()
    award.procurement = _procurement_create(award, actor)
    award.save(update_fields=["status", "awarded_at", "procurement", "updated_at"])
    made, contract = _award_and_contract(award, actor)
    notice_record_standalone(
        draft=NoticeDraft(notice_type=NoticeType.UK6, actor=actor, award=made,
                          title=f"{award.title}: award to {award.supplier.name}",
                          fields={"Supplier": award.supplier.name,
                                  "Value excluding VAT": f"£{award.value_ex_vat:,.2f}",
                                  "Contract period": f"{govuk_date(award.starts_on)} to "
                                                     f"{govuk_date(award.ends_on)}"}),
        authority=award.authority, ocid=award.ocid, direct_award=award,
        release_fields=_release_fields(award, status="complete", with_award=made))
    audit_record(actor=actor, action="direct_award.award", obj=award,
                 summary=f"Contract awarded directly to {award.supplier.name}",
                 changes={"award": made.pk, "contract": contract.pk},
                 organisation_id=award.authority_id)
    return award


def _procurement_reference(award: DirectAward) -> str:
    taken = Tender.objects.filter(authority_id=award.authority_id)
    if not taken.filter(reference__iexact=award.reference).exists():
        return award.reference
    return f"{award.reference}-DA{award.pk}"[:40]


def _procurement_create(award: DirectAward, actor) -> Tender:
    """The procurement record the award and contract hang on: a tender row that is never
    published (no public list shows it) and shares the direct award's OCID (ADR 0029)."""
    return Tender.objects.create(
        authority=award.authority, reference=_procurement_reference(award), title=award.title,
        summary=award.description, description=_rationale(award),
        procedure=Tender.Procedure.DIRECT, status=Tender.Status.CONTRACTED,
        estimated_value_ex_vat=award.value_ex_vat, estimated_value_inc_vat=award.value_ex_vat,
        contract_starts_on=award.starts_on, contract_ends_on=award.ends_on, ocid=award.ocid,
        created_by=actor)


def _award_and_contract(award: DirectAward, actor) -> tuple[Award, Contract]:
    """The portal's award and contract, as a competitive award ends: the standstill ran from
    the transparency notice, so the contract is entered as it is awarded."""
    now = award.awarded_at
    made = Award.objects.create(
        tender=award.procurement, bid=None, supplier=award.supplier, authority=award.authority,
        tender_published_at=award.transparency_published_at, status=Award.Status.CONTRACTED,
        value=award.value_ex_vat, proposed_by=award.created_by, approved_by=actor,
        approved_at=now, standstill_required=True, notice_published_at=now,
        standstill_ends_on=award.standstill_ends_on)
    contract = Contract.objects.create(award=made, value=award.value_ex_vat,
                                       starts_on=award.starts_on, ends_on=award.ends_on,
                                       signed_at=now, entered_by=actor)
    audit_record(actor=actor, action="contract.enter", obj=contract,
                 summary=f"Contract entered with {award.supplier.name} (direct award)",
                 changes={"value": contract.value, "starts_on": contract.starts_on,
                          "ends_on": contract.ends_on}, organisation_id=award.authority_id)
    return made, contract


@transaction.atomic
def direct_award_cancel(*, actor, award: DirectAward, reason: str) -> DirectAward:
    """Decide not to award: after a transparency notice this publishes a UK12."""
    award = _locked(award)
    _require(actor, "commissioning.manage_direct_award", award)
    if award.status in (DirectAward.Status.AWARDED, DirectAward.Status.CANCELLED):
        raise ValidationError("This direct award can no longer be terminated.")
    if not reason.strip():
        raise ValidationError({"reason": "Explain why the contract will not be awarded."})
    published = award.status == DirectAward.Status.STANDSTILL
    award.status, award.cancellation_reason = DirectAward.Status.CANCELLED, reason.strip()
    award.save(update_fields=["status", "cancellation_reason", "updated_at"])
    if published:
        notice_record_standalone(
            draft=NoticeDraft(notice_type=NoticeType.UK12, actor=actor, title=award.title,
                              fields={"Reason": award.cancellation_reason}),
            authority=award.authority, ocid=award.ocid, direct_award=award,
            release_fields=_release_fields(award, status="cancelled"))
    audit_record(actor=actor, action="direct_award.cancel", obj=award,
                 summary="Direct award terminated", changes={"reason": reason.strip()},
                 organisation_id=award.authority_id)
    return award
