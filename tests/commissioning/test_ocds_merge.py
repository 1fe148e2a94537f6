"""The compiled release follows the OCDS merge rules."""

from __future__ import annotations

import pytest

from commissioning.ocds.merge import compile_releases


def release(date: str, **fields) -> dict:
    return {"ocid": "ocds-zz9zz9-1", "id": f"r-{date}", "date": date, "tag": ["tender"],
            "initiationType": "tender", **fields}


def test_the_latest_value_wins_and_release_metadata_is_not_merged():
    compiled = compile_releases([
        release("2026-01-02T00:00:00Z", tender={"id": "T", "status": "complete"}),
        release("2026-01-01T00:00:00Z", tender={"id": "T", "status": "active", "title": "A"}),
    ])
    assert compiled["tender"] == {"id": "T", "status": "complete", "title": "A"}
    assert compiled["tag"] == ["compiled"]
    assert compiled["date"] == "2026-01-02T00:00:00Z"
    assert compiled["id"] == "ocds-zz9zz9-1-2026-01-02T00:00:00Z"


def test_releases_are_ordered_by_instant_not_by_text():
    compiled = compile_releases([
        release("2026-01-01T10:00:00.500000Z", tender={"id": "T", "status": "complete"}),
        release("2026-01-01T10:00:00Z", tender={"id": "T", "status": "active"}),
    ])
    assert compiled["tender"]["status"] == "complete"


def test_arrays_of_objects_merge_by_id_and_null_removes_a_field():
    compiled = compile_releases([
        release("2026-01-01T00:00:00Z", awards=[{"id": "1", "status": "pending", "title": "x"}]),
        release("2026-01-02T00:00:00Z", awards=[{"id": "1", "status": "active", "title": None},
                                                {"id": "2", "status": "pending"}]),
    ])
    assert compiled["awards"] == [{"id": "1", "status": "active"},
                                  {"id": "2", "status": "pending"}]


def test_lists_of_values_and_whole_list_fields_are_replaced():
    compiled = compile_releases([
        release("2026-01-01T00:00:00Z", parties=[
            {"id": "P", "roles": ["tenderer"], "additionalIdentifiers": [
                {"scheme": "GB-COH", "id": "1"}, {"scheme": "GB-CHC", "id": "2"}]}]),
        release("2026-01-02T00:00:00Z", parties=[
            {"id": "P", "roles": ["supplier"], "additionalIdentifiers": [
                {"scheme": "GB-COH", "id": "1"}]}]),
    ])
    assert compiled["parties"] == [{"id": "P", "roles": ["supplier"], "additionalIdentifiers": [
        {"scheme": "GB-COH", "id": "1"}]}]


def test_at_least_one_release_is_needed():
    with pytest.raises(ValueError):
        compile_releases([])
