"""Writes for mutual evidence, recognition decisions and definition versions.

Every service is keyword-only, runs in a transaction, validates with messages a person can act
on, writes the audit entry and tells the people concerned after commit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.documents import DocumentPolicy, document_store
from core.notifications import notify
from mutuals import definitions as rules_of
from mutuals.models import (
    DeclaredReservedContract,
    Definition,
    MutualProfile,
    MutualService,
    Recognition,
    SocialValueProfileEntry,
)
from mutuals.selectors import definition_current, programme_officers, today
from organisations.models import Organisation
from organisations.selectors import admins_of

RULES_POLICY = DocumentPolicy(kinds=frozenset({"pdf", "docx", "odt"}))
PROFILE_FIELDS = (
    "sector", "region", "public_summary", "delivers_public_services",
    "reservable_income_percent", "profit_use", "board_seats", "employee_board_seats",
    "employee_ownership_percent", "has_employee_council", "stakeholder_participation",
    "origin", "parent_body", "parent_body_name", "spun_out_on", "staff_count",
    "staff_ballot_support_percent", "staff_ballot_turnout_percent",
)


def recognition_years() -> int:
    return getattr(settings, "MUTUAL_RECOGNITION_YEARS", 1)


def _check(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _same_day_next_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# -- evidence ---------------------------------------------------------------------------------

@transaction.atomic
def profile_save(*, actor, organisation: Organisation, data: dict[str, Any],
                 services: list[tuple[str, str]], governing_rules=None) -> MutualProfile:
    """Create or update the organisation's mutual evidence (services replaced as a whole)."""
    _check(actor, "mutuals.change_evidence", organisation)
    profile = MutualProfile.objects.filter(organisation=organisation).first()
    before = rules_of.evidence_of(profile) if profile else {}
    profile = profile or MutualProfile(organisation=organisation)
    for field in PROFILE_FIELDS:
        if field in data:
            value = data[field]
            setattr(profile, field, value.strip() if isinstance(value, str) else value)
    _validate_profile(profile)
    if governing_rules is not None:
        profile.governing_rules = document_store(uploaded_file=governing_rules, actor=actor,
                                                 policy=RULES_POLICY)
    profile.save()
    profile.services.all().delete()
    MutualService.objects.bulk_create(
        [MutualService(profile=profile, cpv_code=code, description=text)
         for code, text in services])
    audit_record(actor=actor, action="mutual.evidence_save", obj=profile,
                 summary=f"Mutual evidence recorded for {organisation.name}",
                 changes={"before": before, "after": rules_of.evidence_of(profile)},
                 organisation_id=organisation.pk)
    return profile


def _validate_profile(profile: MutualProfile) -> None:
    errors: dict[str, str] = {}
    if profile.employee_board_seats > profile.board_seats:
        errors["employee_board_seats"] = ("Board seats held by employees cannot be more than "
                                          "the board seats in all.")
    if profile.origin == MutualProfile.Origin.SPUN_OUT:
        if not profile.parent_body_id and not profile.parent_body_name.strip():
            errors["parent_body_name"] = "Enter the public body it spun out of."
        if profile.spun_out_on is None:
            errors["spun_out_on"] = "Enter the date it left the public sector."
        elif profile.spun_out_on > today():
            errors["spun_out_on"] = "The date it left the public sector must be in the past."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def declared_contract_add(*, actor, organisation: Organisation,
                          data: dict[str, Any]) -> DeclaredReservedContract:
    """Record a contract reserved for mutuals that the organisation entered elsewhere."""
    _check(actor, "mutuals.change_evidence", organisation)
    if data["entered_on"] > today():
        raise ValidationError({"entered_on": "The date must be today or in the past."})
    authority = data.get("authority")
    contract = DeclaredReservedContract.objects.create(
        organisation=organisation, authority=authority,
        authority_name=authority.name if authority else data["authority_name"].strip(),
        cpv_code=data["cpv_code"], title=data["title"].strip(),
        entered_on=data["entered_on"], basis=data["basis"], declared_by=actor)
    audit_record(actor=actor, action="mutual.reserved_contract_declare", obj=contract,
                 summary=f"{organisation.name} declared a reserved contract: {contract.title}",
                 organisation_id=organisation.pk)
    return contract


@transaction.atomic
def declared_contract_remove(*, actor, contract: DeclaredReservedContract) -> None:
    _check(actor, "mutuals.change_evidence", contract.organisation)
    audit_record(actor=actor, action="mutual.reserved_contract_remove", obj=contract,
                 summary=f"Declared reserved contract removed: {contract.title}",
                 organisation_id=contract.organisation_id)
    contract.delete()


# -- recognition ------------------------------------------------------------------------------

@transaction.atomic
def recognition_request(*, actor, organisation: Organisation, definition_key: str,
                        statement: str = "") -> Recognition:
    """Ask a programme officer to recognise the organisation under a definition."""
    _check(actor, "mutuals.request_recognition", organisation)
    if not MutualProfile.objects.filter(organisation=organisation).exists():
        raise ValidationError("Record your organisation's mutual evidence before asking to be "
                              "recognised.")
    if Recognition.objects.filter(organisation=organisation, definition_key=definition_key,
                                  status=Recognition.Status.REQUESTED).exists():
        raise ValidationError("You have already asked to be recognised under this "
                              "definition; a programme officer will review it.")
    recognition = Recognition.objects.create(
        organisation=organisation, definition_key=definition_key, requested_by=actor,
        requested_at=timezone.now(), statement=statement.strip())
    label = recognition.get_definition_key_display()
    audit_record(actor=actor, action="mutual.recognition_request", obj=recognition,
                 summary=f"{organisation.name} asked to be recognised: {label}",
                 organisation_id=organisation.pk)
    notify(recipients=programme_officers(), subject=f"Recognition requested: {organisation.name}",
           body=f"{organisation.name} asked to be recognised as a {label.lower()}.",
           url=reverse("mutuals:recognition_review", args=[recognition.pk]))
    return recognition


@transaction.atomic
def recognition_withdraw(*, actor, recognition: Recognition) -> Recognition:
    _check(actor, "mutuals.withdraw_recognition", recognition)
    if recognition.status != Recognition.Status.REQUESTED:
        raise ValidationError("Only a request still awaiting review can be withdrawn.")
    recognition.status = Recognition.Status.WITHDRAWN
    recognition.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="mutual.recognition_withdraw", obj=recognition,
                 summary=f"Recognition request withdrawn by {recognition.organisation.name}",
                 organisation_id=recognition.organisation_id)
    return recognition


def recognition_assess(*, recognition: Recognition) -> tuple[Definition, dict, list]:
    """The definition in force, the evidence now and each limb's result: what a decision uses."""
    profile = (MutualProfile.objects.prefetch_related("services")
               .select_related("parent_body").get(organisation=recognition.organisation))
    definition = definition_current(key=recognition.definition_key)
    evidence = rules_of.evidence_of(profile)
    return definition, evidence, rules_of.evaluate(definition.key, evidence,
                                                   definition.thresholds)


@transaction.atomic
def recognition_decide(*, actor, recognition: Recognition, recognise: bool,
                       reasons: str) -> Recognition:
    """Recognise the organisation under the definition in force, or refuse with reasons.

    The decision keeps the definition version, the evidence and every limb's result, so a
    later version never changes it. Recognition needs every limb to pass; it lasts until the
    same day next year unless re-confirmed by a new decision.
    """
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    _check(actor, "mutuals.decide_recognition", recognition)
    if recognition.status != Recognition.Status.REQUESTED:
        raise ValidationError("This request has already been decided.")
    definition, evidence, results = recognition_assess(recognition=recognition)
    failed = [r for r in results if not r.passed]
    if recognise and failed:
        raise ValidationError([f"{r.label}: {r.reason}" for r in failed])
    if not recognise and not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for refusing, so the organisation "
                                          "knows what to change."})
    day = today()
    recognition.status = (Recognition.Status.RECOGNISED if recognise
                          else Recognition.Status.REFUSED)
    recognition.definition, recognition.evidence = definition, evidence
    recognition.limb_results = [r.as_dict() for r in results]
    recognition.decided_by, recognition.decided_at = actor, timezone.now()
    recognition.reasons = reasons.strip()
    if recognise:
        recognition.valid_from = day
        recognition.valid_until = _same_day_next_years(day, recognition_years())
    recognition.save()
    verb = "recognised" if recognise else "refused"
    audit_record(actor=actor, action=f"mutual.recognition_{verb}", obj=recognition,
                 summary=f"{recognition.organisation.name} {verb}: {definition}",
                 changes={"definition": definition.pk, "limbs": recognition.limb_results,
                          "reasons": recognition.reasons},
                 organisation_id=recognition.organisation_id)
    _tell_organisation(recognition, verb)
    return recognition


def _tell_organisation(recognition: Recognition, verb: str) -> None:
    definition = recognition.definition
    if verb == "recognised":
        body = (f"{recognition.organisation.name} is recognised under the "
                f"{definition.get_key_display().lower()} (version {definition.version}) until "
                f"{recognition.valid_until:%-d %B %Y}. Ask for re-confirmation before then.")
    else:
        body = (f"The request to recognise {recognition.organisation.name} under the "
                f"{definition.get_key_display().lower()} was refused.\n\n{recognition.reasons}")
    notify(recipients=admins_of(organisation=recognition.organisation),
           subject=f"Mutual recognition {verb}", body=body,
           url=reverse("mutuals:recognition_detail", args=[recognition.pk]))


# -- definitions ------------------------------------------------------------------------------

@transaction.atomic
def definition_version_create(*, actor, key: str, thresholds: dict[str, Any], rationale: str,
                              source: str, effective_from: datetime.date) -> Definition:
    """A new version of a definition; earlier versions and their decisions stay as they were."""
    _check(actor, "mutuals.change_definitions", None)
    current = Definition.objects.filter(key=key).order_by("-version").first()
    if current is not None and set(thresholds) != set(current.thresholds):
        raise ValidationError("A new version sets the same thresholds as the one before.")
    if current is not None and effective_from < current.effective_from:
        raise ValidationError({"effective_from": "A new version cannot take effect before the "
                                                 "version it replaces."})
    if not rationale.strip():
        raise ValidationError({"rationale": "Explain why these thresholds were chosen."})
    number = (Definition.objects.filter(key=key).aggregate(n=Max("version"))["n"] or 0) + 1
    definition = Definition.objects.create(
        key=key, version=number, thresholds=thresholds, rationale=rationale.strip(),
        source=source.strip(), effective_from=effective_from, created_by=actor)
    audit_record(actor=actor, action="mutual.definition_version", obj=definition,
                 summary=f"{definition} created",
                 changes={"thresholds": thresholds, "previous": current.pk if current else None})
    return definition


def definitions_install_first_versions() -> None:
    """Make sure version 1 of each definition exists (the data migration loads them too).

    Idempotent; the demo calls it because a database emptied by a flush has lost the rows the
    migration loaded.
    """
    from mutuals.definitions_data import FIRST_VERSIONS

    for spec in FIRST_VERSIONS:
        Definition.objects.get_or_create(
            key=spec["key"], version=spec["version"],
            defaults={k: v for k, v in spec.items() if k not in {"key", "version"}})


# -- social value profile ---------------------------------------------------------------------

@transaction.atomic
def social_value_entry_save(*, actor, organisation: Organisation, measure, annual_quantity,
                            description: str) -> SocialValueProfileEntry:
    """Add (or update) what the organisation's model delivers each year on one measure."""
    _check(actor, "mutuals.change_evidence", organisation)
    profile = MutualProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        raise ValidationError("Record your mutual evidence before your social value profile.")
    entry, _ = SocialValueProfileEntry.objects.update_or_create(
        profile=profile, measure=measure,
        defaults={"annual_quantity": annual_quantity, "description": description.strip()})
    audit_record(actor=actor, action="mutual.social_value_profile_save", obj=entry,
                 summary=f"{organisation.name}: {measure.name} {annual_quantity} a year",
                 organisation_id=organisation.pk)
    return entry


@transaction.atomic
def social_value_entry_remove(*, actor, entry: SocialValueProfileEntry) -> None:
    organisation = entry.profile.organisation
    _check(actor, "mutuals.change_evidence", organisation)
    audit_record(actor=actor, action="mutual.social_value_profile_remove", obj=entry,
                 summary=f"{organisation.name}: {entry.measure.name} removed",
                 organisation_id=organisation.pk)
    entry.delete()
