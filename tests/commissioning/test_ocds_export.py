"""``manage.py export_ocds``: valid packages of everything public; non-zero exit on failure."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from commissioning.ocds import release_store
from tests.commissioning import factories as cf
from tests.commissioning import ocds_support as support
from tests.commissioning.ocds_support import no_network  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]


@pytest.fixture
def two_processes():
    first, second = support.open_tender(), support.open_tender()
    release_store(tender=first, tags=["tender"])
    release_store(tender=second, tags=["tender"])
    release_store(tender=first, tags=["tenderUpdate"])
    hidden = cf.DraftTenderFactory(project=cf.ProjectFactory(is_public=False))
    release_store(tender=hidden, tags=["planning"])  # stores nothing
    return first, second


def test_exports_every_public_release_as_a_valid_package(two_processes, tmp_path):
    output = tmp_path / "releases.json"
    call_command("export_ocds", "--output", str(output))
    package = json.loads(output.read_text(encoding="utf-8"))
    support.assert_valid_release_package(package)
    assert len(package["releases"]) == 3
    assert package["uri"].endswith("/ocds/releases/")


def test_exports_records_with_compiled_releases(two_processes, tmp_path):
    output = tmp_path / "records.json"
    call_command("export_ocds", "--output", str(output), "--records")
    package = json.loads(output.read_text(encoding="utf-8"))
    support.assert_valid_record_package(package)
    first, second = two_processes
    assert {record["ocid"]: len(record["releases"]) for record in package["records"]} == {
        first.ocid: 2, second.ocid: 1}


def test_nothing_to_export_is_a_failure_and_writes_no_file(tmp_path):
    output = tmp_path / "releases.json"
    with pytest.raises(CommandError, match="Nothing to export"):
        call_command("export_ocds", "--output", str(output))
    assert not output.exists()


def test_an_unwritable_destination_is_a_failure(two_processes, tmp_path):
    with pytest.raises(CommandError, match="Could not write"):
        call_command("export_ocds", "--output", str(tmp_path / "missing" / "releases.json"))
    assert list(tmp_path.iterdir()) == []
