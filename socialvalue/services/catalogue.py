"""Importing catalogues: the national Social Value Model and authorities' own frameworks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from core.audit import audit_record
from organisations.models import Organisation
from socialvalue.catalogue import ParsedCatalogue, RowError, parse_catalogue
from socialvalue.models import Framework, Measure, Outcome, ProxyValue, Theme

NATIONAL_FILE = Path(__file__).resolve().parent.parent / "data" / "social_value_model.csv"
MEASURE_DETAILS = ("name", "unit", "counting_rules", "evidence_required", "double_count_group",
                   "first_year_only", "local_only")


@dataclass
class ImportReport:
    framework: Framework | None = None
    errors: list[RowError] = field(default_factory=list)
    created: dict[str, int] = field(
        default_factory=lambda: {"themes": 0, "outcomes": 0, "measures": 0, "proxy_values": 0})

    @property
    def ok(self) -> bool:
        return not self.errors


class CatalogueRejected(Exception):
    """Raised inside the transaction so that nothing of a bad file is kept."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def catalogue_import(*, actor: Any, authority: Organisation | None, text: str) -> ImportReport:
    """Import one framework from CSV text: all of it, or (with any problem) none of it.

    ``authority`` None imports a national framework (platform use only). Proxy values that
    differ from a measure's latest version are added as a new version, never overwritten.
    """
    if authority is not None and not authority.is_authority:
        raise ValidationError("Only a public authority can import a social value framework.")
    parsed = parse_catalogue(text)
    if parsed.errors:
        return ImportReport(errors=parsed.errors)
    try:
        return _apply(actor, authority, parsed)
    except CatalogueRejected as rejected:
        return ImportReport(errors=rejected.errors)


@transaction.atomic
def _apply(actor: Any, authority: Organisation | None, parsed: ParsedCatalogue) -> ImportReport:
    info = parsed.framework
    framework, _ = Framework.objects.get_or_create(
        authority=authority, name=info["framework_name"], version=info["framework_version"],
        defaults={"licence": info["framework_licence"],
                  "source_url": info["framework_source_url"]})
    report = ImportReport(framework=framework)
    errors: list[RowError] = []
    for row in parsed.rows:
        errors += _apply_row(framework, row, report)
    if errors:
        raise CatalogueRejected(errors)
    audit_record(
        actor=actor, action="socialvalue.catalogue_imported", obj=framework,
        organisation_id=authority.pk if authority else None,
        summary=f"Imported {framework}", changes=report.created)
    return report


def _apply_row(framework: Framework, row: dict, report: ImportReport) -> list[RowError]:
    theme, created = Theme.objects.get_or_create(
        framework=framework, code=row["theme_code"], defaults={"name": row["theme_name"]})
    report.created["themes"] += created
    if theme.name != row["theme_name"]:
        return [RowError(row["row"], "theme_name", f"Theme {theme.code} is already called "
                         f"“{theme.name}” in this framework version")]
    outcome, created = Outcome.objects.get_or_create(
        theme=theme, code=row["outcome_code"], defaults={"name": row["outcome_name"]})
    report.created["outcomes"] += created
    if outcome.name != row["outcome_name"]:
        return [RowError(row["row"], "outcome_name", f"Outcome {outcome.code} is already called"
                         f" “{outcome.name}” in this framework version")]
    details = {"name": row["measure_name"], **{k: row[k] for k in MEASURE_DETAILS[1:]}}
    measure, created = Measure.objects.get_or_create(
        outcome=outcome, code=row["measure_code"], defaults=details)
    report.created["measures"] += created
    changed = [k for k in MEASURE_DETAILS if getattr(measure, k) != details[k]]
    if changed:
        return [RowError(row["row"], f"measure_{changed[0]}" if changed[0] == "name"
                         else changed[0], f"Measure {measure.code} already exists in this "
                         "framework version with different details: import the changes as a "
                         "new framework version")]
    if row["proxy"]:
        report.created["proxy_values"] += _add_proxy(measure, row["proxy"])
    return []


def _add_proxy(measure: Measure, proxy: dict) -> bool:
    latest = measure.proxy_values.order_by("-version").first()
    if latest and all(getattr(latest, k) == v for k, v in proxy.items()):
        return False
    version = (measure.proxy_values.aggregate(v=Max("version"))["v"] or 0) + 1
    ProxyValue.objects.create(measure=measure, version=version, **proxy)
    return True


def load_social_value_model(*, actor: Any = None) -> ImportReport:
    """Load the national Social Value Model shipped with the portal (safe to run again)."""
    report = catalogue_import(actor=actor, authority=None,
                              text=NATIONAL_FILE.read_text(encoding="utf-8"))
    if not report.ok:
        raise ValidationError([f"Row {e.row}, {e.column}: {e.message}" for e in report.errors])
    return report
