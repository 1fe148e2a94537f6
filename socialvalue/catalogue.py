"""Reading a catalogue CSV: every row checked, every problem reported with row and column.

The columns are documented in ``socialvalue/data/README.md``. ``parse_catalogue`` never writes:
it returns the rows it understood and the problems it found; the import service writes only
when there are no problems at all.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from socialvalue.counting import to_decimal
from socialvalue.models import Measure

COLUMNS = (
    "framework_name", "framework_version", "framework_source_url", "framework_licence",
    "theme_code", "theme_name", "outcome_code", "outcome_name", "measure_code", "measure_name",
    "unit", "counting_rules", "evidence_required", "double_count_group", "first_year_only",
    "local_only", "proxy_value", "proxy_source", "proxy_price_base_year", "proxy_licence",
)
REQUIRED = (
    "framework_name", "framework_version", "framework_licence", "theme_code", "theme_name",
    "outcome_code", "outcome_name", "measure_code", "measure_name", "unit",
)
OPTIONAL_COLUMNS = {"framework_source_url", "counting_rules", "evidence_required",
                    "double_count_group", "first_year_only", "local_only", "proxy_value",
                    "proxy_source", "proxy_price_base_year", "proxy_licence"}
PROXY = ("proxy_value", "proxy_source", "proxy_price_base_year", "proxy_licence")
MAX_LENGTH = {
    "framework_name": 200, "framework_version": 40, "framework_licence": 200,
    "framework_source_url": 200, "theme_code": 20, "theme_name": 200, "outcome_code": 20,
    "outcome_name": 300, "measure_code": 20, "measure_name": 300, "double_count_group": 50,
    "proxy_source": 300, "proxy_licence": 200,
}
BOOLEANS = {"": False, "no": False, "n": False, "false": False, "0": False,
            "yes": True, "y": True, "true": True, "1": True}
UNITS = {value: value for value in Measure.Unit.values} | {
    str(label).lower(): value for value, label in Measure.Unit.choices}
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedCatalogue:
    framework: dict[str, str] = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_catalogue(text: str) -> ParsedCatalogue:
    """Read and check every row; ``errors`` is empty only when the whole file is usable."""
    parsed = ParsedCatalogue()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in COLUMNS if name not in header and name not in OPTIONAL_COLUMNS]
    if missing:
        parsed.errors.append(RowError(1, ", ".join(missing), "The first row must name these "
                                      "columns: " + ", ".join(missing)))
        return parsed
    reader.fieldnames = header
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            parsed.errors.append(RowError(number, "", f"A file may have at most {MAX_ROWS} rows"))
            break
        row = {name: (raw.get(name) or "").strip() for name in COLUMNS}
        if not any(row.values()):
            continue
        _check_row(number, row, parsed)
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(RowError(2, "", "The file has no measures"))
    return parsed


def _check_row(number: int, row: dict, parsed: ParsedCatalogue) -> None:
    errors: list[RowError] = []
    for name in REQUIRED:
        if not row[name]:
            errors.append(RowError(number, name, f"Enter {name.replace('_', ' ')}"))
    for name, limit in MAX_LENGTH.items():
        if len(row[name]) > limit:
            errors.append(RowError(number, name, f"Must be {limit} characters or fewer"))
    cleaned = dict(row)
    _check_unit(number, row, cleaned, errors)
    for name in ("first_year_only", "local_only"):
        if row[name].lower() not in BOOLEANS:
            errors.append(RowError(number, name, "Enter yes or no"))
        cleaned[name] = BOOLEANS.get(row[name].lower(), False)
    _check_proxy(number, row, cleaned, errors)
    _check_consistency(number, row, parsed, errors)
    if errors:
        parsed.errors += errors
    else:
        parsed.rows.append(cleaned | {"row": number})


def _check_unit(number, row, cleaned, errors) -> None:
    unit = UNITS.get(row["unit"].lower())
    if row["unit"] and unit is None:
        errors.append(RowError(number, "unit", "Unit must be one of " +
                               ", ".join(Measure.Unit.values)))
    cleaned["unit"] = unit


def _check_proxy(number, row, cleaned, errors) -> None:
    cleaned["proxy"] = None
    if not any(row[name] for name in PROXY):
        return
    for name in PROXY:
        if not row[name]:
            errors.append(RowError(number, name, f"Enter {name.replace('_', ' ')}: a proxy "
                                   "value needs its value, source, price-base year and licence"))
    value = to_decimal(row["proxy_value"].lstrip("£"))
    if row["proxy_value"] and (value is None or value < 0 or value != round(value, 2)
                               or value >= Decimal("1e12")):
        errors.append(RowError(number, "proxy_value", "Proxy value must be an amount in pounds "
                               "of 0 or more, like 1250.50"))
    year = row["proxy_price_base_year"]
    this_year = datetime.date.today().year
    if year and not (year.isdigit() and 1990 <= int(year) <= this_year + 1):
        errors.append(RowError(number, "proxy_price_base_year", "Price-base year must be a "
                               f"year from 1990 to {this_year + 1}"))
    if all(row[name] for name in PROXY) and value is not None and year.isdigit():
        cleaned["proxy"] = {"value": value, "source": row["proxy_source"],
                            "price_base_year": int(year), "licence": row["proxy_licence"]}


def _check_consistency(number, row, parsed: ParsedCatalogue, errors) -> None:
    framework = {k: row[k] for k in ("framework_name", "framework_version")}
    if not parsed.framework:
        parsed.framework = {**framework, "framework_licence": row["framework_licence"],
                            "framework_source_url": row["framework_source_url"]}
    elif any(parsed.framework[k] != v for k, v in framework.items()):
        errors.append(RowError(number, "framework_name", "A file holds one framework: every "
                               "row must have the same framework name and version"))
    seen = {(r["theme_code"], r["outcome_code"], r["measure_code"]) for r in parsed.rows}
    if (row["theme_code"], row["outcome_code"], row["measure_code"]) in seen:
        errors.append(RowError(number, "measure_code", f"Measure {row['measure_code']} appears "
                               "twice in this outcome"))
    for earlier in parsed.rows:
        if earlier["theme_code"] == row["theme_code"] and earlier["theme_name"] != row[
                "theme_name"]:
            errors.append(RowError(number, "theme_name", f"Theme {row['theme_code']} is named "
                                   f"“{earlier['theme_name']}” in row {earlier['row']}"))
            break
    for earlier in parsed.rows:
        same = (earlier["theme_code"], earlier["outcome_code"]) == (
            row["theme_code"], row["outcome_code"])
        if same and earlier["outcome_name"] != row["outcome_name"]:
            errors.append(RowError(number, "outcome_name", f"Outcome {row['outcome_code']} is "
                                   f"named “{earlier['outcome_name']}” in row {earlier['row']}"))
            break
