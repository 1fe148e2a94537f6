"""Compile an OCID's releases into the current state, following the OCDS 1.1 merge rules.

The rules (https://standard.open-contracting.org/1.1/en/schema/merging/), as applied here:

- releases are merged oldest first (by ``date``), so the latest value of a field wins;
- ``id``, ``date`` and ``tag`` of a release are not merged (``omitWhenMerged``);
- objects merge field by field; a ``null`` removes the field;
- arrays of objects that all have an ``id`` merge item by item, matched on ``id`` (identical
  merge); other arrays, and the ``wholeListMerge`` fields (``additionalIdentifiers`` and
  ``additionalClassifications``), are replaced as a whole.

This is a small subset of ``ocdsmerge`` that is enough for our releases (we never rely on
array positions or versioned releases), and needs no schema download.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

OMIT_WHEN_MERGED = frozenset({"id", "date", "tag"})
WHOLE_LIST_MERGE = frozenset({"additionalIdentifiers", "additionalClassifications"})


def compile_releases(releases: list[dict]) -> dict:
    """The compiled release of one OCID's releases (at least one)."""
    if not releases:
        raise ValueError("A compiled release needs at least one release.")
    ordered = sorted(releases, key=lambda release: datetime.fromisoformat(release["date"]))
    compiled: dict = {}
    for release in ordered:
        body = {key: value for key, value in release.items() if key not in OMIT_WHEN_MERGED}
        compiled = _merge_object(compiled, body)
    latest = ordered[-1]
    return {
        "ocid": latest["ocid"],
        "id": f"{latest['ocid']}-{latest['date']}",
        "date": latest["date"],
        "tag": ["compiled"],
        **{key: value for key, value in compiled.items() if key != "ocid"},
    }


def _merge_object(old: dict, new: dict) -> dict:
    merged = dict(old)
    for key, value in new.items():
        if value is None:
            merged.pop(key, None)
        elif key in WHOLE_LIST_MERGE:
            merged[key] = _strip_nulls(value)
        else:
            merged[key] = _merge_value(merged.get(key), value)
    return merged


def _merge_value(old: Any, new: Any) -> Any:
    if isinstance(new, dict):
        return _merge_object(old if isinstance(old, dict) else {}, new)
    if isinstance(new, list) and _identified(new):
        return _merge_by_id(old if isinstance(old, list) and _identified(old) else [], new)
    return _strip_nulls(new)


def _identified(items: list) -> bool:
    return bool(items) and all(isinstance(item, dict) and "id" in item for item in items)


def _merge_by_id(old: list[dict], new: list[dict]) -> list[dict]:
    merged: dict[str, dict] = {str(item["id"]): item for item in old}
    for item in new:
        key = str(item["id"])
        merged[key] = _merge_object(merged.get(key, {}), item)
    return list(merged.values())


def _strip_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _strip_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_strip_nulls(item) for item in value]
    return value
