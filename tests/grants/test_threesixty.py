"""360Giving: the export validates offline against 1.4.3 with formats; broken files fail;
the data-quality checks catch what they should; the public file and the command."""

import copy
import csv
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from grants.models import Award
from grants.services import awards as awards_service
from grants.threesixty import package, quality
from tests.grants.test_payments import live_award  # noqa: F401  (fixture)
from tests.grants.threesixty_support import assert_valid_package, package_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(live_award):  # noqa: F811
    return list(package.grants())[0]


def test_a_live_grant_is_valid_360giving(grant, live_award, no_network):  # noqa: F811
    assert_valid_package({"version": "1.4", "grants": [grant]})
    assert grant["id"] == f"360G-portal-{live_award.reference}"
    assert grant["fromOpenCall"] == "No"
    assert grant["recipientOrganization"][0]["id"].startswith("GB-CHC-")
    assert grant["fundingOrganization"][0]["id"].startswith("GB-LAE-")
    assert grant["amountAwarded"] == 30000 and grant["amountDisbursed"] == 0
    assert grant["beneficiaryLocation"][0]["countryCode"] == "GB"
    assert "T" in grant["dateModified"]
    assert quality.grant_problems(grant) == []


@pytest.mark.parametrize(("change", "expected"), [
    ({"currency": "GBX"}, "currency"),
    ({"amountAwarded": "25,000"}, "amountAwarded"),
    ({"awardDate": "01/10/2026"}, "awardDate"),
    ({"dateModified": "2026-10-01"}, "dateModified"),
    ({"fromOpenCall": "yes"}, "fromOpenCall"),
])
def test_files_that_must_fail(grant, change, expected, no_network):
    broken = {**copy.deepcopy(grant), **change}
    errors = package_errors({"grants": [broken]})
    assert errors and any(expected in e for e in errors), errors


def test_a_funder_without_a_name_and_an_empty_package_fail(grant, no_network):
    broken = copy.deepcopy(grant)
    del broken["fundingOrganization"][0]["name"]
    assert package_errors({"grants": [broken]})
    assert package_errors({"grants": []})


def test_the_quality_checks_catch_what_they_should(grant):
    bad = {**copy.deepcopy(grant), "amountAwarded": 0, "description": grant["title"],
           "awardDate": "2099-01-01", "dateModified": "", "dataSource": ""}
    bad["recipientOrganization"][0].update(id="360G-portal-ORG-1", companyNumber="123")
    problems = " ".join(quality.grant_problems(bad))
    for phrase in ("zero", "360G identifier", "company number 123", "same as the description",
                   "not plausible", "Last Modified", "Data Source"):
        assert phrase in problems
    other = copy.deepcopy(grant)
    other["fundingOrganization"][0]["id"] = "GB-LAE-ZZZ"
    assert "several identifiers" in " ".join(quality.package_problems([grant, other]))
    odd = copy.deepcopy(grant)
    odd["recipientOrganization"][0]["id"] = "XX-ABC-1"
    assert "unrecognised prefix" in " ".join(quality.grant_problems(odd))


def test_offers_not_accepted_are_not_published(grant, live_award, programme, manager):  # noqa: F811
    Award.objects.filter(pk=live_award.pk).update(status="offered")
    assert list(package.grants()) == []


def test_the_public_file_streams_valid_json(client, grant, no_network):
    response = client.get(reverse("grants:open_data"))
    data = json.loads(b"".join(response.streaming_content))
    assert_valid_package(data)
    assert [g["id"] for g in data["grants"]] == [grant["id"]]


def test_the_command_writes_json_and_csv_and_marks_published(tmp_path, grant, live_award):  # noqa: F811
    out = tmp_path / "grants.json"
    call_command("export_360giving", output=str(out), stdout=StringIO())
    assert_valid_package(json.loads(out.read_text()))
    live_award.refresh_from_db()
    assert live_award.published_at is not None
    flat = tmp_path / "grants.csv"
    call_command("export_360giving", output=str(flat), csv=True, stdout=StringIO())
    lines = flat.read_text().splitlines()
    assert lines[0].startswith("Identifier,Title,Description,Currency")
    assert grant["id"] in lines[1]


def test_the_command_fails_on_quality_problems(tmp_path, live_award):  # noqa: F811
    Award.objects.filter(pk=live_award.pk).update(awarded_on="2099-01-01")
    with pytest.raises(CommandError, match="data quality"):
        call_command("export_360giving", output=str(tmp_path / "x.json"), stdout=StringIO(),
                     stderr=StringIO())


def test_the_export_reads_a_constant_number_of_queries(live_award, programme, manager):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            list(package.stream_package())
        return len(captured)

    before = queries()
    round_ = live_award.round
    for _ in range(3):
        from tests.grants import support

        org, user = support.applicant()
        award = awards_service.grant_direct_award(
            actor=manager, round=round_, organisation=org, amount=live_award.amount_awarded,
            justification="Sole provider", title="Another", description="Another grant",
            planned_start=live_award.planned_start, planned_end=live_award.planned_end,
            justifications={"mr8_measures": "Later"})
        awards_service.agreement_accept(actor=user, award=award, name="N", position="P")
    assert queries() == before
    assert len(list(package.grants())) == 4


@pytest.fixture
def pooled_grant(live_award, programme, manager, other_authority):  # noqa: F811
    """The programme (£1,000,000) pools £250,000 from another authority."""
    from grants.services.programmes import contribution_add

    contribution_add(actor=manager, programme=programme, funder=other_authority,
                     amount=Decimal("250000"), committed_on=live_award.awarded_on)
    return list(package.grants())[0]


def test_a_pooled_grant_names_every_funder_with_its_share(pooled_grant, programme,
                                                           other_authority, no_network):
    assert_valid_package({"version": "1.4", "grants": [pooled_grant]})
    funders = pooled_grant["fundingOrganization"]
    assert [f["name"] for f in funders] == [programme.authority.name, other_authority.name]
    assert all(f["id"].startswith("GB-LAE-") for f in funders)
    shares = {s["provider"]: s["value"] for s in pooled_grant["commitmentTransaction"]}
    # £30,000 split 750,000 : 250,000
    assert shares == {funders[0]["id"]: 22500, funders[1]["id"]: 7500}
    assert quality.grant_problems(pooled_grant) == []
    assert quality.package_problems([pooled_grant]) == []


def test_shares_add_up_to_the_award_to_the_penny():
    from grants.threesixty.grant import split

    parts = split(Decimal("100.00"), [Decimal("1"), Decimal("1"), Decimal("1")])
    assert parts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(parts) == Decimal("100.00")


def test_the_flat_file_names_every_funder_of_a_pooled_grant(pooled_grant, tmp_path,
                                                            other_authority):
    out = tmp_path / "grants.csv"
    call_command("export_360giving", output=str(out), csv=True, stdout=StringIO())
    header, line = list(csv.reader(out.read_text().splitlines()))[:2]
    row = dict(zip(header, line, strict=True))
    funders = pooled_grant["fundingOrganization"]
    # Numbered as the 360Giving tools number a list, the managing authority first.
    assert [title for title in header if title.startswith("Funding Org:")] == [
        "Funding Org:0:Identifier", "Funding Org:0:Name",
        "Funding Org:1:Identifier", "Funding Org:1:Name"]
    assert (row["Funding Org:0:Identifier"], row["Funding Org:1:Identifier"]) == (
        funders[0]["id"], funders[1]["id"])
    assert row["Funding Org:1:Name"] == other_authority.name


def test_an_unpooled_grant_has_one_funder_and_no_shares(grant):
    assert len(grant["fundingOrganization"]) == 1
    assert "commitmentTransaction" not in grant


def test_pooled_shares_that_are_wrong_fail(pooled_grant, no_network):
    wrong_sum = copy.deepcopy(pooled_grant)
    wrong_sum["commitmentTransaction"][1]["value"] = 7000
    assert "add up to" in " ".join(quality.grant_problems(wrong_sum))
    stranger = copy.deepcopy(pooled_grant)
    stranger["commitmentTransaction"][1]["provider"] = "GB-LAE-ZZZ"
    assert "not one of the grant's funders" in " ".join(quality.grant_problems(stranger))
    as_text = copy.deepcopy(pooled_grant)
    as_text["commitmentTransaction"][0]["value"] = "22,500"
    errors = package_errors({"grants": [as_text]})
    assert errors and any("commitmentTransaction" in e for e in errors), errors


def test_the_pooled_export_reads_a_constant_number_of_queries(pooled_grant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        list(package.grants())
    assert len(captured) <= 3  # the awards batch, their contributions, the empty next batch
