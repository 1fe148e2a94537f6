"""Mutuals pages: who may see and change what, the register's privacy, filters, open data."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.sample_files import simple_pdf
from mutuals import services
from mutuals.models import MutualProfile, Recognition
from organisations.models import Role
from tests import factories
from tests.mutuals import support

pytestmark = pytest.mark.django_db

# Private evidence that must never reach a public page or file.
SECRET_STATEMENT = "Our chair is a council officer on secondment"
SECRET_REASONS = "REFUSAL-REASON-MARKER"


@pytest.fixture
def world(mutual_org, mutual_admin, mutual_writer, officer):
    support.profile(mutual_org, staff_ballot_support_percent=73)
    requested = services.recognition_request(actor=mutual_admin, organisation=mutual_org,
                                             definition_key="s33", statement=SECRET_STATEMENT)
    other = factories.OrganisationFactory(name="Other Trust")
    return {
        "mutual_admin": mutual_admin, "mutual_writer": mutual_writer, "officer": officer,
        "other_admin": factories.member(other, Role.PROVIDER_ADMIN),
        "commissioner": factories.with_totp(factories.member(factories.AuthorityFactory(),
                                                             Role.COMMISSIONER)),
        "anonymous": None, "organisation": mutual_org, "request": requested,
    }


def _pages(world):
    org, request = world["organisation"].pk, world["request"].pk
    return {
        "evidence": f"/mutuals/organisations/{org}/",
        "evidence_edit": f"/mutuals/organisations/{org}/evidence/",
        "recognition_request": f"/mutuals/organisations/{org}/recognition/",
        "contract_add": f"/mutuals/organisations/{org}/reserved-contracts/add/",
        "recognition": f"/mutuals/recognitions/{request}/",
        "review": f"/mutuals/recognitions/{request}/review/",
        "queue": "/mutuals/review/",
        "new_version": "/mutuals/definitions/s33/new/",
    }


ALLOWED = {
    "mutual_admin": {"evidence", "evidence_edit", "recognition_request", "contract_add",
                     "recognition"},
    "mutual_writer": {"evidence"},
    "officer": {"evidence", "recognition", "review", "queue", "new_version"},
    "other_admin": set(),
    "commissioner": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_permission_matrix(client, world, role):
    user = world[role]
    if user is not None:
        client.force_login(user)
    for name, url in _pages(world).items():
        status = client.get(url).status_code
        if name in ALLOWED[role]:
            assert status == 200, (role, name, status)
        elif user is None:
            assert status == 302 and name, (role, name, status)  # to sign in
        else:
            assert status == 403, (role, name, status)


def test_nobody_else_can_post_a_decision(client, world):
    client.force_login(world["other_admin"])
    response = client.post(_pages(world)["review"], {"decision": "recognise"})
    assert response.status_code == 403
    world["request"].refresh_from_db()
    assert world["request"].status == Recognition.Status.REQUESTED


def test_unknown_objects_answer_404(client, world):
    client.force_login(world["officer"])
    for url in ("/mutuals/organisations/999999/", "/mutuals/recognitions/999999/",
                "/mutuals/register/999999/", "/mutuals/definitions/nonsense/new/"):
        assert client.get(url).status_code == 404, url


def test_an_officer_recognises_through_the_review_page(client, world):
    client.force_login(world["officer"])
    page = client.get(_pages(world)["review"]).content.decode()
    assert "Under the management and control of its employees" in page
    assert SECRET_STATEMENT in page
    response = client.post(_pages(world)["review"], {"decision": "recognise", "reasons": ""})
    assert response.status_code == 302
    world["request"].refresh_from_db()
    assert world["request"].status == Recognition.Status.RECOGNISED


def test_refusing_without_reasons_shows_the_error_and_keeps_the_request(client, world):
    client.force_login(world["officer"])
    response = client.post(_pages(world)["review"], {"decision": "refuse", "reasons": ""})
    assert response.status_code == 200
    assert "Give the reasons for refusing" in response.content.decode()
    world["request"].refresh_from_db()
    assert world["request"].status == Recognition.Status.REQUESTED


def test_the_register_shows_only_current_recognitions_and_never_private_evidence(client, world):
    services.recognition_decide(actor=world["officer"], recognition=world["request"],
                                recognise=True, reasons="")
    refused_org = factories.OrganisationFactory(name="Refused Co-op")
    support.profile(refused_org)
    refused = services.recognition_request(actor=factories.member(refused_org,
                                                                  Role.PROVIDER_ADMIN),
                                           organisation=refused_org, definition_key="s33")
    services.recognition_decide(actor=world["officer"], recognition=refused, recognise=False,
                                reasons=SECRET_REASONS)
    lapsed = factories.OrganisationFactory(name="Lapsed Mutual")
    support.profile(lapsed)
    import datetime
    support.recognise(lapsed, on=datetime.date(2020, 1, 1))

    pages = [client.get("/mutuals/register/").content.decode(),
             client.get(f"/mutuals/register/{world['organisation'].pk}/").content.decode(),
             client.get("/mutuals/register.json").content.decode(),
             b"".join(client.get("/mutuals/register.csv").streaming_content).decode()]
    for text in pages:
        for secret in (SECRET_STATEMENT, SECRET_REASONS, "73", "4 of 7", "Refused Co-op",
                       "Lapsed Mutual"):
            assert secret not in text, secret
    assert "Northby Care Mutual" in pages[0]
    assert client.get(f"/mutuals/register/{refused_org.pk}/").status_code == 404
    data = json.loads(pages[2])
    [entry] = data["mutuals"]
    assert entry["recognitions"][0]["definition"] == "s33"
    rows = list(csv.DictReader(io.StringIO(pages[3])))
    assert [r["name"] for r in rows] == ["Northby Care Mutual"]


@pytest.fixture
def register_of(db):
    def build(count):
        for n in range(count):
            support.mutual(name=f"Mutual {n:02d}", region="london" if n % 2 else "north_west",
                           services=((f"8531{n % 10}000-5", "Care"),))
    return build


def test_register_filters(client, register_of):
    register_of(4)
    community = support.mutual(name="Community Leisure", origin="community_led",
                               parent_body_name="", spun_out_on=None, sector="leisure",
                               services=(("92600000-7", "Sport"),))
    support.recognise(community, key="programme")

    def names(query):
        page = client.get("/mutuals/register/", query).content.decode()
        return {n for n in ["Mutual 00", "Mutual 01", "Mutual 02", "Mutual 03",
                            "Community Leisure"] if n in page}

    assert names({"region": "london"}) == {"Mutual 01", "Mutual 03"}
    assert names({"origin": "community_led"}) == {"Community Leisure"}
    assert names({"sector": "leisure"}) == {"Community Leisure"}
    assert names({"service": "926"}) == {"Community Leisure"}
    assert names({"definition": "programme"}) == {"Community Leisure"}
    assert names({"q": "leisure"}) == {"Community Leisure"}
    assert client.get("/mutuals/register/", {"region": "atlantis"}).status_code == 200


def test_the_register_costs_the_same_queries_for_2_or_25_mutuals(client, register_of):
    register_of(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/mutuals/register/").status_code == 200
    register_of(23)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/mutuals/register/")
    assert page.status_code == 200
    assert "25 mutuals" in page.content.decode()
    assert len(many) == len(few)


def test_a_mutual_records_its_evidence_with_services_and_rules(client, mutual_org, mutual_admin):
    client.force_login(mutual_admin)
    form = {
        "sector": "adult_social_care", "region": "yorkshire",
        "public_summary": "Day services run by staff.", "delivers_public_services": "on",
        "reservable_income_percent": "85", "profit_use": "not_for_profit", "board_seats": "6",
        "employee_board_seats": "4", "employee_ownership_percent": "100", "origin": "spun_out",
        "parent_body_name": "Northby Council", "spun_out_on_day": "1",
        "spun_out_on_month": "4", "spun_out_on_year": "2017", "staff_count": "80",
        "services_text": "85312000-9 Day care\n85311000-2 Residential care",
        "governing_rules_file": SimpleUploadedFile("rules.pdf", simple_pdf("Rules"),
                                                   content_type="application/pdf"),
    }
    response = client.post(f"/mutuals/organisations/{mutual_org.pk}/evidence/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = MutualProfile.objects.get(organisation=mutual_org)
    assert [s.cpv_code for s in profile.services.all()] == ["85311000-2", "85312000-9"]
    assert profile.governing_rules.original_name == "rules.pdf"
    download = client.get(f"/mutuals/organisations/{mutual_org.pk}/evidence/rules/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(("change", "message"), [
    ({"employee_board_seats": "9"}, "cannot be more than the board seats"),
    ({"services_text": "Day care"}, "does not start with a CPV code"),
    ({"services_text": ""}, "Enter services you deliver"),
    ({"spun_out_on_year": ""}, "must include a year"),
    ({"reservable_income_percent": "120"}, "less than or equal to 100"),
])
def test_bad_evidence_is_explained_and_nothing_is_saved(client, mutual_org, mutual_admin,
                                                        change, message):
    client.force_login(mutual_admin)
    form = {"sector": "adult_social_care", "region": "yorkshire", "public_summary": "S",
            "reservable_income_percent": "85", "profit_use": "not_for_profit",
            "board_seats": "6", "employee_board_seats": "4", "employee_ownership_percent": "0",
            "origin": "spun_out", "parent_body_name": "Northby Council",
            "spun_out_on_day": "1", "spun_out_on_month": "4", "spun_out_on_year": "2017",
            "staff_count": "80", "services_text": "85312000-9 Day care", **change}
    response = client.post(f"/mutuals/organisations/{mutual_org.pk}/evidence/", form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MutualProfile.objects.filter(organisation=mutual_org).exists()


def test_the_definitions_page_shows_every_version_with_its_reasons(client):
    page = client.get("/mutuals/definitions/").content.decode()
    assert "Employees&#x27; share of board seats (%)" in page
    assert "legislation.gov.uk/ukpga/2023/54/section/33" in page
