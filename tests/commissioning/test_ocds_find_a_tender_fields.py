"""The Find a Tender fields of a tender notice in its OCDS release: authority type, contract
period and maximum term, delivery place, lot limit, contact, suitability, threshold, special
regime and procedure, and a staged procedure as its notice describes it; every release
validated offline against OCDS 1.1.5 (the schema in /work/shared/standards, ocds_support)."""

import datetime
import json

import pytest
from django.urls import reverse

from commissioning.models import Notice, Release, Tender
from commissioning.services.tenders import tender_publish
from organisations.models import Organisation
from tests.commissioning import factories as cf
from tests.commissioning import stages_support as support
from tests.commissioning.ocds_support import no_network  # noqa: F401  (fixture)
from tests.commissioning.test_notices import assert_valid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]


def tender_notice_release(client, tender: Tender) -> dict:
    notice = Notice.objects.get(tender=tender, notice_type="UK4")
    package = json.loads(client.get(reverse("commissioning:notice_release",
                                            args=[notice.pk])).content)
    assert_valid(package)
    return package["releases"][0]


def buyer_of(release: dict) -> dict:
    return next(p for p in release["parties"] if "buyer" in p["roles"])


def test_the_tender_notice_fields_are_where_find_a_tender_puts_them(client, authority,
                                                                     commissioner):
    authority.authority_type = Organisation.AuthorityType.CENTRAL
    authority.save()
    draft = cf.publishable_tender(
        authority=authority, created_by=commissioner, suitable_for_sme=True,
        suitable_for_vcse=True, contract_starts_on=datetime.date(2027, 4, 1),
        contract_ends_on=datetime.date(2029, 3, 31), max_term_months=36,
        delivery_region=Tender.Region.LONDON, delivery_location="The borough of Riverside",
        max_lots_per_supplier=1, lot_limit_rule="Lots are awarded in order of value.",
        contact_name="Commissioning team",
        contact_email="commissioning@example.org")
    cf.LotFactory(tender=draft, number=1)
    cf.LotFactory(tender=draft, number=2)
    release = tender_notice_release(client, tender_publish(actor=commissioner, tender=draft))
    tender = release["tender"]
    assert tender["contractPeriod"] == {"startDate": "2027-03-31T23:00:00Z",
                                        "endDate": "2029-03-31T22:59:59Z",
                                        "durationInMonths": 36}
    assert tender["lotDetails"] == {"maximumLotsAwardedPerSupplier": 1}
    assert all(lot["suitability"] == {"sme": True, "vcse": True} for lot in tender["lots"])
    [item] = tender["items"]
    assert item["deliveryAddresses"] == [{"countryName": "United Kingdom", "region": "TLI"}]
    assert item["deliveryLocations"] == [{"description": "The borough of Riverside"}]
    assert isinstance(tender["aboveThreshold"], bool)
    assert tender["procurementMethod"] == "open"
    assert tender["procurementMethodDetails"].startswith("Open procedure (")
    buyer = buyer_of(release)
    assert buyer["details"]["classifications"] == [{
        "scheme": "UK_CA_TYPE", "id": "publicAuthorityCentralGovernment",
        "description": "Central government authority"}]
    assert buyer["contactPoint"]["name"] == "Commissioning team"
    assert buyer["contactPoint"]["email"] == "commissioning@example.org"


def test_light_touch_and_the_reservation_for_mutuals(client, authority, commissioner):
    draft = cf.publishable_tender(authority=authority, created_by=commissioner,
                                  procedure=Tender.Procedure.COMPETITIVE_FLEXIBLE,
                                  is_reserved_for_mutuals=True, max_term_months=36)
    Tender.objects.filter(pk=draft.pk).update(is_light_touch=True)
    draft.refresh_from_db()
    tender = tender_notice_release(client, tender_publish(actor=commissioner,
                                                          tender=draft))["tender"]
    assert tender["specialRegime"] == ["lightTouch"]
    assert tender["otherRequirements"] == {
        "reservedParticipation": ["publicServiceMissionOrganization"]}
    assert tender["procurementMethod"] == "selective"
    assert "light touch regime" in tender["procurementMethodDetails"]


@pytest.mark.parametrize("kind", [Organisation.AuthorityType.UTILITY, ""])
def test_an_authority_type_without_a_known_code_is_not_classified(client, authority,
                                                                  commissioner, kind):
    authority.authority_type = kind
    authority.save()
    draft = cf.publishable_tender(authority=authority, created_by=commissioner)
    release = tender_notice_release(client, tender_publish(actor=commissioner, tender=draft))
    assert "classifications" not in buyer_of(release).get("details", {})


def test_a_staged_procedure_is_described_as_its_notice_says(client, authority, commissioner):
    staged = support.designed(authority, commissioner)
    tender = tender_notice_release(client, staged.tender)["tender"]
    details = tender["submissionMethodDetails"]
    assert details.startswith(support.DESIGN["description"])
    assert "Negotiation may take place." in details
    assert support.DESIGN["refinement_terms"] in details and "s.24" in details
    assert tender["eligibilityCriteria"] == support.DESIGN["conditions_of_participation"]
    assert tender["selectionCriteria"] == {
        "criteria": [{"description": support.DESIGN["selection_criteria"]}]}
    assert tender["secondStage"] == {"minimumCandidates": 3, "maximumCandidates": 3}
    deadline = staged.participation.round.deadline
    assert tender["expressionOfInterestDeadline"] == deadline.astimezone(
        datetime.UTC).isoformat().replace("+00:00", "Z")
    # The rounds themselves are never released.
    assert not Release.objects.filter(tender=staged.participation.round).exists()
