"""The pool: quotas, public registration, CSV import from a mailout, retention and purge."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import CitizenProfile
from citizens import crypto
from citizens.models import Panel, PoolEntry, Quota, SensitiveAnswers
from citizens.rules import can
from core.audit import audit_record
from core.outbox import enqueue
from core.postcodes import normalise_postcode, validate_postcode

CONSENT_VERSION = "2026-12"
YOUNG_AGE_BANDS = [("12-13", "12 to 13"), ("14-15", "14 to 15"), ("16-18", "16 to 18")]
AGE_FEATURE = "age_band"
IMPORT_COLUMNS = ["full_name", "email", "phone", "address_line_1", "postcode", "age_band",
                  "consent_selection", "consent_contact", "consent_statistics"]
UNCONFIRMED_RETENTION = timedelta(days=365)


def age_bands(panel: Panel) -> list[tuple[str, str]]:
    return YOUNG_AGE_BANDS if panel.is_young else list(CitizenProfile.AgeBand.choices)


@dataclass(frozen=True)
class Feature:
    key: str
    label: str
    values: list[tuple[str, str]]


def features_of(panel: Panel, quotas=None) -> list[Feature]:
    """The panel's stratification features, in order, from its quota rows."""
    grouped: dict[str, Feature] = {}
    for quota in quotas if quotas is not None else panel.quotas.all():
        feature = grouped.setdefault(quota.feature, Feature(quota.feature, quota.feature_label, []))
        feature.values.append((quota.value, quota.value_label))
    return list(grouped.values())


@transaction.atomic
def quotas_replace(*, actor, panel: Panel, rows: list[dict[str, Any]]) -> list[Quota]:
    """Set every quota row of the panel at once (only before the pool is frozen)."""
    if not can(actor, "citizens.manage_panel", panel):
        raise PermissionDenied("You cannot change this panel's quotas.")
    if panel.selection_runs.exists():
        raise ValidationError("The pool has been frozen: quotas can no longer change. Start a "
                              "replacement draw instead.")
    if panel.pool_entries.exists():
        raise ValidationError("People have registered against these features: the features "
                              "and values cannot change now.")
    problems = []
    for i, row in enumerate(rows, start=1):
        if row["minimum"] > row["maximum"]:
            problems.append(f"Row {i}: the minimum is more than the maximum.")
        if row["maximum"] > panel.size:
            problems.append(f"Row {i}: the maximum is more than the panel's {panel.size} seats.")
    keys = [(r["feature"], r["value"]) for r in rows]
    if len(keys) != len(set(keys)):
        problems.append("Each value of a feature can appear once only.")
    bands = {value for value, _ in age_bands(panel)}
    for feature, value in keys:
        if feature == AGE_FEATURE and value not in bands:
            problems.append(f"“{value}” is not one of the age bands {', '.join(sorted(bands))}.")
    if problems:
        raise ValidationError(problems)
    panel.quotas.all().delete()
    quotas = Quota.objects.bulk_create([Quota(panel=panel, order=i, **row)
                                        for i, row in enumerate(rows)])
    audit_record(actor=actor, action="citizens.quotas_replace", obj=panel,
                 summary=f"{len(quotas)} quota rows set", organisation_id=panel.authority_id,
                 changes={"quotas": rows})
    return quotas


def _validate_person(panel: Panel, person: dict[str, Any], features: list[Feature]) -> dict:
    errors: dict[str, str] = {}
    for key in ("full_name", "email", "address_line_1", "postcode", "age_band"):
        if not str(person.get(key) or "").strip():
            errors[key] = f"Enter the {key.replace('_', ' ').replace('line 1', 'first line')}."
    try:
        validate_email(person.get("email") or "")
    except ValidationError:
        errors.setdefault("email", "Enter an email address like name@example.org.")
    try:
        validate_postcode(person.get("postcode") or "")
    except ValidationError as error:
        errors.setdefault("postcode", error.messages[0])
    if person.get("age_band") and person["age_band"] not in dict(age_bands(panel)):
        errors["age_band"] = "Choose an age band this panel recruits."
    for feature in features:
        if feature.key == AGE_FEATURE:
            continue
        if person.get(feature.key) not in dict(feature.values):
            errors[feature.key] = f"Choose an answer for {feature.label.lower()}."
    return errors


def _answers(person: dict[str, Any], features: list[Feature]) -> dict[str, str]:
    return {f.key: person["age_band"] if f.key == AGE_FEATURE else person[f.key]
            for f in features}


def _build_entry(panel: Panel, person: dict[str, Any], source: str, now) -> PoolEntry:
    return PoolEntry(
        panel=panel, user=person.get("user"), full_name=person["full_name"].strip(),
        email=person["email"].strip().lower(), phone=(person.get("phone") or "").strip(),
        postcode=normalise_postcode(person["postcode"]), age_band=person["age_band"],
        household_key=crypto.household_key(address_line=person["address_line_1"],
                                           postcode=person["postcode"]),
        source=source, consent_selection_at=now, consent_contact_at=now,
        consent_statistics_at=now if person.get("consent_statistics") else None,
        consent_version=CONSENT_VERSION)


@dataclass(frozen=True)
class Registration:
    entry: PoolEntry
    shares_household: bool


@transaction.atomic
def pool_register(*, panel: Panel, person: dict[str, Any]) -> Registration:
    """A member of the public volunteers for the pool (the public registration page)."""
    if not panel.registration_open or panel.phase != "recruitment":
        raise ValidationError("Registration for this panel is closed.")
    if panel.registration_closes_on and timezone.localdate() > panel.registration_closes_on:
        raise ValidationError("Registration for this panel closed on "
                              f"{panel.registration_closes_on:%-d %B %Y}.")
    if not (person.get("consent_selection") and person.get("consent_contact")):
        raise ValidationError({"consent_selection": "You need to agree to both uses of your "
                                                    "answers to join the pool."})
    features = features_of(panel)
    errors = _validate_person(panel, person, features)
    if errors:
        raise ValidationError(errors)
    if panel.pool_entries.filter(email=person["email"].strip().lower()).exists():
        raise ValidationError({"email": "This email address is already in the pool."})
    now = timezone.now()
    entry = _build_entry(panel, person, PoolEntry.Source.REGISTRATION, now)
    entry.save()
    SensitiveAnswers.objects.create(entry=entry, ciphertext=crypto.encrypt_json(
        _answers(person, features)), purge_after=(now + UNCONFIRMED_RETENTION).date())
    shares = panel.pool_entries.filter(household_key=entry.household_key).exclude(
        pk=entry.pk).exists()
    audit_record(actor=person.get("user"), action="citizens.pool_register", obj=entry,
                 summary=f"{entry.pseudonym} joined the pool", organisation_id=panel.authority_id)
    enqueue("citizens.send_registration_confirmation", entry.pk)
    return Registration(entry=entry, shares_household=shares)


def _yes(value: str) -> bool:
    return (value or "").strip().lower() in {"yes", "y", "true", "1"}


@transaction.atomic
def pool_import(*, actor, panel: Panel, csv_bytes: bytes) -> int:
    """Import a mailout's replies. Every bad row is reported; nothing is imported unless all
    rows are good."""
    if not can(actor, "citizens.manage_panel", panel):
        raise PermissionDenied("You cannot import into this panel's pool.")
    if panel.phase != "recruitment" or panel.selection_runs.exists():
        raise ValidationError("The pool is frozen: no more people can be added.")
    features = features_of(panel)
    try:
        text = csv_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("The file is not UTF-8 text: save it as “CSV UTF-8”.") from None
    reader = csv.DictReader(io.StringIO(text))
    wanted = IMPORT_COLUMNS + [f.key for f in features if f.key != AGE_FEATURE]
    missing = [c for c in wanted if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(f"The file has no column {', '.join(missing)}. The first row must "
                              f"name the columns: {', '.join(wanted)}.")
    existing = set(panel.pool_entries.values_list("email", flat=True))
    problems, people, seen = [], [], set()
    for number, row in enumerate(reader, start=2):
        errors = _validate_person(panel, row, features)
        email = (row.get("email") or "").strip().lower()
        if email in existing or email in seen:
            errors["email"] = f"{email} is already in the pool"
        if not (_yes(row["consent_selection"]) and _yes(row["consent_contact"])):
            errors["consent"] = "consent to selection and contact must both be “yes”"
        seen.add(email)
        if errors:
            problems.append(f"Row {number}: " + "; ".join(
                f"{field.replace('_', ' ')}: {message}" for field, message in errors.items()))
        else:
            people.append({**row, "consent_statistics": _yes(row["consent_statistics"])})
    if problems:
        raise ValidationError(problems)
    if not people:
        raise ValidationError("The file has no rows after the header.")
    now = timezone.now()
    entries = PoolEntry.objects.bulk_create(
        [_build_entry(panel, p, PoolEntry.Source.IMPORT, now) for p in people])
    SensitiveAnswers.objects.bulk_create([SensitiveAnswers(
        entry=entry, ciphertext=crypto.encrypt_json(_answers(p, features)),
        purge_after=(now + UNCONFIRMED_RETENTION).date())
        for entry, p in zip(entries, people, strict=True)])
    audit_record(actor=actor, action="citizens.pool_import", obj=panel,
                 summary=f"{len(entries)} people imported into the pool",
                 organisation_id=panel.authority_id)
    return len(entries)


@transaction.atomic
def sensitive_purge_due(*, today: date | None = None) -> int:
    """Erase the encrypted answers whose retention date has passed; return how many."""
    today = today or timezone.localdate()
    due = SensitiveAnswers.objects.filter(purge_after__lt=today, purged_at__isnull=True)
    count = due.update(ciphertext=b"", purged_at=timezone.now())
    if count:
        audit_record(actor=None, action="citizens.sensitive_purge",
                     summary=f"Sensitive pool answers of {count} people erased after retention")
    return count
