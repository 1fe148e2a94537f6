"""OCDS releases: every lifecycle stage validates offline against OCDS 1.1.5, and only what
the law makes public is published, when it becomes public."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.models import Bid, Release, Tender
from commissioning.ocds import RELEASE_TAGS, packages, record_for, release_store
from commissioning.ocds.release import timestamp
from commissioning.ocds.standards import codelist
from tests.commissioning import factories as cf
from tests.commissioning import ocds_support as support
from tests.commissioning.ocds_support import no_network  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]
URI = "https://portal.example/ocds/releases/"


def package_of(*releases: Release) -> dict:
    return packages.release_package(releases=releases, uri=URI)


@pytest.fixture
def process():
    """A tender taken through every stage, with the release of each stage."""
    tender = support.open_tender()
    charity = support.provider("Riverside Care", company_number="07654321")
    mutual = support.provider("Care Mutual", legal_form="mutual", charity_number="",
                              fca_number="12345R")
    large = support.provider("Big Care plc", legal_form="large", size="large", is_vcse=False,
                             charity_number="", company_number="01234567")
    stages = {"tender": release_store(tender=tender, tags=["tender"])}
    winning = support.submit_bid(tender, charity, members=[mutual])
    support.submit_bid(tender, large)
    cf.BidFactory(tender=tender, organisation=support.provider("Never Sent"))  # a draft
    support.close_deadline(tender)
    stages["tenderUpdate"] = release_store(tender=tender, tags=["tenderUpdate"])
    award = support.publish_award(tender, winning)
    stages["award"] = release_store(tender=tender, tags=["award"])
    contract = support.enter_contract(award)
    stages["contract"] = release_store(tender=tender, tags=["contract"])
    contract.details_published_at = timezone.now()
    contract.save()
    stages["contractUpdate"] = release_store(tender=tender, tags=["contractUpdate"])
    contract.terminated_at, contract.termination_reason = timezone.now(), "Service ended early."
    contract.save()
    stages["contractTermination"] = release_store(tender=tender, tags=["contractTermination"])
    return tender, stages


def test_every_stage_of_a_process_is_a_valid_release_package(process):
    tender, stages = process
    for tag, release in stages.items():
        assert release.tags == [tag] and release.payload["tag"] == [tag]
        support.assert_valid_release_package(package_of(release))
    support.assert_valid_release_package(package_of(*stages.values()))


def test_a_planned_procurement_and_a_cancellation_are_valid_releases():
    project = cf.ProjectFactory(is_public=True)
    draft = cf.DraftTenderFactory(authority=project.authority, project=project)
    planning = release_store(tender=draft, tags=["planning"])
    assert planning.payload["tender"]["status"] == "planning"
    assert "documents" not in planning.payload["tender"]

    cancelled = support.open_tender()
    support.submit_bid(cancelled, support.provider("Late Bidder"))
    Tender.objects.filter(pk=cancelled.pk).update(
        status=Tender.Status.CANCELLED, cancellation_reason="The need has changed.")
    release = release_store(tender=cancelled, tags=["tenderCancellation"])
    assert release.payload["tender"]["status"] == "cancelled"
    assert release.payload["tender"]["statusDetails"] == "The need has changed."
    support.assert_valid_release_package(package_of(planning, release))


def test_a_process_nobody_bid_for_ends_unsuccessful():
    tender = support.open_tender()
    support.close_deadline(tender, status=Tender.Status.CANCELLED)
    release = release_store(tender=tender, tags=["tenderCancellation"])
    assert release.payload["tender"]["status"] == "unsuccessful"


def test_the_record_compiles_the_latest_state(process):
    tender, stages = process
    record = record_for(tender.ocid)
    support.assert_valid_record_package(packages.record_package(
        records=[record], latest=stages["contractTermination"].date, uri=URI))
    assert [link["tag"] for link in record["releases"]] == [[tag] for tag in stages]
    assert record["releases"][0]["url"].endswith(f"#{stages['tender'].release_id}")
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"]
    assert compiled["tender"]["status"] == "complete"
    assert compiled["contracts"][0]["status"] == "terminated"
    assert compiled["awards"][0]["status"] == "active"


def test_drafts_are_never_released_unless_planned_in_a_public_project():
    private = cf.DraftTenderFactory(project=cf.ProjectFactory(is_public=False))
    assert release_store(tender=private, tags=["planning"]) is None
    public = cf.DraftTenderFactory(project=cf.ProjectFactory(is_public=True))
    assert release_store(tender=public, tags=["tender"]) is None
    assert not Release.objects.exists()


def test_bidders_stay_sealed_until_the_deadline():
    tender = support.open_tender()
    support.submit_bid(tender, support.provider("Early Bird"))
    before = release_store(tender=tender, tags=["tenderUpdate"]).payload
    assert "bids" not in before
    assert "tenderers" not in before["tender"] and "numberOfTenderers" not in before["tender"]
    assert [party["roles"] for party in before["parties"]] == [["buyer", "procuringEntity"]]


def test_after_the_deadline_bids_are_counted_by_sme_and_vcse_and_members_are_tenderers(process):
    payload = process[1]["tenderUpdate"].payload
    statistics = {item["measure"]: item["value"] for item in payload["bids"]["statistics"]}
    assert statistics == {"bids": 2, "smeBids": 1, "finalStageBids": 2, "smeFinalStageBids": 1,
                          "vcseFinalStageBids": 1}
    assert payload["tender"]["numberOfTenderers"] == 2
    assert {t["name"] for t in payload["tender"]["tenderers"]} == {
        "Riverside Care", "Care Mutual", "Big Care plc"}  # not the draft bid's organisation


def test_no_bid_content_is_ever_published(process):
    for release in process[1].values():
        text = json.dumps(release.payload)
        assert support.SECRET not in text and support.BID_PRICE not in text
    award = process[1]["award"].payload["awards"][0]
    assert award["value"] == {"amount": 390000, "currency": "GBP"}


def test_an_award_is_public_only_once_its_notice_is_published():
    tender = support.open_tender()
    bid = support.submit_bid(tender, support.provider("Hopeful"))
    support.close_deadline(tender)
    award = support.publish_award(tender, bid, notice_published_at=None, status="approved")
    assert "awards" not in release_store(tender=tender, tags=["tenderUpdate"]).payload
    award.notice_published_at = timezone.now()
    award.save()
    published = release_store(tender=tender, tags=["award"]).payload["awards"][0]
    assert published["status"] == "pending"  # in standstill, not yet in force
    assert published["standstillPeriod"]["endDate"].startswith(
        award.standstill_ends_on.isoformat())


def test_parties_carry_identifiers_roles_and_uk_details(process):
    parties = {p["name"]: p for p in process[1]["contract"].payload["parties"]}
    charity = parties["Riverside Care"]
    assert charity["identifier"]["scheme"] == "GB-CHC"
    assert charity["additionalIdentifiers"] == [
        {"scheme": "GB-COH", "id": "07654321", "legalName": "Riverside Care"}]
    assert charity["roles"] == ["tenderer", "supplier", "payee"]
    assert charity["details"] == {"scale": "sme", "vcse": True,
                                  "publicServiceMissionOrganization": False}
    assert parties["Care Mutual"]["details"]["publicServiceMissionOrganization"] is True
    assert parties["Care Mutual"]["roles"] == ["tenderer", "supplier"]
    assert parties["Big Care plc"]["details"]["scale"] == "large"
    assert parties["Big Care plc"]["roles"] == ["tenderer"]
    buyer = process[1]["contract"].payload["buyer"]
    assert parties[buyer["name"]]["roles"] == ["buyer", "procuringEntity"]


def test_the_tender_section_maps_procedure_value_cpv_criteria_and_documents(process, settings):
    tender, stages = process
    section = stages["tender"].payload["tender"]
    assert section["procurementMethod"] == "open"
    assert section["procurementMethodDetails"] == "Open procedure (above threshold)"
    assert section["mainProcurementCategory"] == "services"
    assert section["value"] == {"amount": 400000, "currency": "GBP", "amountGross": 480000}
    assert section["items"][0]["classification"] == {"scheme": "CPV", "id": "85310000-5"}
    assert section["awardCriteriaDetails"] == "Quality: 60%; Price: 30%; Social value: 10%"
    assert section["submissionMethod"] == ["electronicSubmission"]
    assert section["tenderPeriod"]["startDate"] == timestamp(tender.published_at)
    later = stages["tenderUpdate"].payload["tender"]  # after the deadline was brought forward
    assert later["tenderPeriod"]["endDate"] == timestamp(tender.deadline)
    assert section["enquiryPeriod"] == {"endDate": timestamp(tender.questions_deadline)}
    (document,) = section["documents"]
    assert document["documentType"] == "biddingDocuments"
    assert document["format"] == "application/pdf"
    assert document["url"] == (f"{settings.PORTAL_BASE_URL}/tenders/{tender.pk}/documents/"
                               f"{tender.documents.get().pk}/")
    assert stages["tender"].payload["planning"]["budget"]["amount"]["amount"] == 500000


def test_a_withdrawn_document_stays_listed_without_its_link():
    tender = support.open_tender()
    tender.documents.update(withdrawn_at=timezone.now())
    (document,) = release_store(tender=tender, tags=["tenderUpdate"]).payload["tender"][
        "documents"]
    assert "url" not in document and document["description"].startswith("Withdrawn")


def test_flexible_procedures_are_selective_and_pence_are_kept():
    tender = support.open_tender(procedure=Tender.Procedure.COMPETITIVE_FLEXIBLE,
                                 contract_type=Tender.ContractType.WORKS,
                                 estimated_value_ex_vat=Decimal("1234.56"))
    section = release_store(tender=tender, tags=["tender"]).payload["tender"]
    assert (section["procurementMethod"], section["mainProcurementCategory"]) == (
        "selective", "works")
    assert section["value"]["amount"] == 1234.56


def test_releases_are_never_rewritten_and_ids_are_unique(process):
    tender, stages = process
    first = Release.objects.get(pk=stages["tender"].pk)
    assert first.payload["tender"]["status"] == "active" and "awards" not in first.payload
    ids = [release.release_id for release in stages.values()]
    assert len(set(ids)) == len(ids)
    assert ids[0] == f"{tender.ocid}-tender-1"
    assert all(release.ocid == tender.ocid for release in stages.values())


def test_the_first_release_gives_the_tender_its_ocid(settings):
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    tender = support.open_tender()
    Tender.objects.filter(pk=tender.pk).update(ocid="")
    tender.refresh_from_db()
    release = release_store(tender=tender, tags=["tender"])
    tender.refresh_from_db()
    assert tender.ocid == release.ocid == f"ocds-abc123-{tender.pk}"


def test_tags_must_come_from_the_release_tag_codelist():
    assert codelist("releaseTag.csv") - {"compiled"} == RELEASE_TAGS
    tender = support.open_tender()
    for tags in ([], ["compiled"], ["notice"]):
        with pytest.raises(ValueError):
            release_store(tender=tender, tags=tags)


def test_withdrawn_bids_do_not_count():
    tender = support.open_tender()
    bid = support.submit_bid(tender, support.provider("Withdrawn Ltd"))
    Bid.objects.filter(pk=bid.pk).update(status=Bid.Status.WITHDRAWN)
    support.close_deadline(tender)
    payload = release_store(tender=tender, tags=["tenderUpdate"]).payload
    assert "bids" not in payload and "tenderers" not in payload["tender"]


def test_lots_carry_their_own_values_statistics_and_awards():
    tender = support.open_tender()
    north = cf.LotFactory(tender=tender, number=1, title="North")
    south = cf.LotFactory(tender=tender, number=2, title="South")
    winner = support.submit_bid(tender, support.provider("North Care"), lot=north)
    support.submit_bid(tender, support.provider("South Care"), lot=south)
    support.submit_bid(tender, support.provider("Both Care"), lot=south)
    support.close_deadline(tender)
    support.publish_award(tender, winner, lot=north, value="90000.50")
    release = release_store(tender=tender, tags=["award"])
    support.assert_valid_release_package(package_of(release))
    payload = release.payload
    assert [(lot["id"], lot["title"], lot["value"]["amount"]) for lot in payload["tender"]["lots"]
            ] == [("1", "North", 100000), ("2", "South", 100000)]
    per_lot = {(item.get("relatedLot"), item["measure"]): item["value"]
               for item in payload["bids"]["statistics"]}
    assert (per_lot[(None, "bids")], per_lot[("1", "bids")], per_lot[("2", "bids")]) == (3, 1, 2)
    (award,) = payload["awards"]
    assert award["relatedLots"] == ["1"] and award["title"].endswith(": North")
    assert award["value"]["amount"] == 90000.5
