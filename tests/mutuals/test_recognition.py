"""Recognition: requested from evidence, decided under a definition version, lapsing yearly."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEntry, Notification
from mutuals import services
from mutuals.models import Definition, Recognition
from mutuals.selectors import definition_current, recognised_under
from organisations.models import Role
from tests import factories
from tests.mutuals import support


@pytest.fixture
def requested(mutual_org, mutual_admin):
    support.profile(mutual_org)
    return services.recognition_request(actor=mutual_admin, organisation=mutual_org,
                                        definition_key="s33", statement="We are staff-run.")


def test_a_request_needs_evidence_first(mutual_org, mutual_admin):
    with pytest.raises(ValidationError, match="Record your organisation's mutual evidence"):
        services.recognition_request(actor=mutual_admin, organisation=mutual_org,
                                     definition_key="s33")


def test_a_bid_writer_cannot_ask_for_recognition(mutual_org, mutual_writer):
    support.profile(mutual_org)
    with pytest.raises(PermissionDenied):
        services.recognition_request(actor=mutual_writer, organisation=mutual_org,
                                     definition_key="s33")


def test_one_open_request_per_definition(requested, mutual_org, mutual_admin):
    with pytest.raises(ValidationError, match="already asked"):
        services.recognition_request(actor=mutual_admin, organisation=mutual_org,
                                     definition_key="s33")


def test_programme_officers_are_told_of_a_request(officer, requested):
    assert Notification.objects.filter(recipient=officer, subject__contains="Northby").exists()


def test_recognition_records_the_version_the_facts_and_each_limb(requested, officer,
                                                                 mutual_admin):
    decided = services.recognition_decide(actor=officer, recognition=requested, recognise=True,
                                          reasons="")
    assert decided.status == Recognition.Status.RECOGNISED
    assert decided.definition == definition_current(key="s33")
    assert decided.evidence["employee_board_percent"] == "57.14"
    assert [limb["passed"] for limb in decided.limb_results] == [True, True, True]
    today = decided.valid_from
    assert decided.valid_until == today.replace(year=today.year + 1)
    assert AuditEntry.objects.filter(action="mutual.recognition_recognised",
                                     object_id=str(decided.pk)).exists()
    assert Notification.objects.filter(recipient=mutual_admin,
                                       subject="Mutual recognition recognised").exists()


def test_a_failing_limb_blocks_recognition_and_says_which(mutual_org, mutual_admin, officer):
    support.profile(mutual_org, employee_board_seats=3, board_seats=6)  # exactly half
    request = services.recognition_request(actor=mutual_admin, organisation=mutual_org,
                                           definition_key="s33")
    with pytest.raises(ValidationError) as caught:
        services.recognition_decide(actor=officer, recognition=request, recognise=True,
                                    reasons="")
    assert "management and control of its employees" in " ".join(caught.value.messages)
    request.refresh_from_db()
    assert request.status == Recognition.Status.REQUESTED


def test_refusal_needs_reasons_and_tells_the_organisation(requested, officer, mutual_admin):
    with pytest.raises(ValidationError, match="reasons"):
        services.recognition_decide(actor=officer, recognition=requested, recognise=False,
                                    reasons=" ")
    services.recognition_decide(actor=officer, recognition=requested, recognise=False,
                                reasons="The board minutes show the council appoints 4 seats.")
    told = Notification.objects.get(recipient=mutual_admin, subject="Mutual recognition refused")
    assert "council appoints" in told.body


def test_an_officer_who_belongs_to_the_organisation_cannot_decide(requested, mutual_org):
    insider = factories.with_totp(factories.member(factories.AuthorityFactory(),
                                                   Role.PROGRAMME_OFFICER))
    factories.MembershipFactory(user=insider, organisation=mutual_org, role=Role.BID_WRITER)
    with pytest.raises(PermissionDenied):
        services.recognition_decide(actor=insider, recognition=requested, recognise=True,
                                    reasons="")


def test_a_new_definition_version_never_rewrites_an_earlier_decision(requested, officer,
                                                                     mutual_org, mutual_admin):
    first = services.recognition_decide(actor=officer, recognition=requested, recognise=True,
                                        reasons="")
    stricter = services.definition_version_create(
        actor=officer, key="s33",
        thresholds={"min_reservable_percent": 50, "min_employee_board_percent": 75},
        rationale="Control read as three quarters of the board.", source="Policy review",
        effective_from=first.valid_from)
    first.refresh_from_db()
    assert first.definition.version == 1 and first.is_current_on(first.valid_from)
    assert stricter.version == 2
    again = services.recognition_request(actor=mutual_admin, organisation=mutual_org,
                                         definition_key="s33")
    with pytest.raises(ValidationError, match="more than 75"):
        services.recognition_decide(actor=officer, recognition=again, recognise=True,
                                    reasons="")
    assert Definition.objects.get(key="s33", version=1).thresholds[
        "min_employee_board_percent"] == 50


def test_a_new_version_must_keep_the_same_thresholds_and_explain_them(officer):
    with pytest.raises(ValidationError, match="same thresholds"):
        services.definition_version_create(actor=officer, key="s33", thresholds={"x": 1},
                                           rationale="Why", source="",
                                           effective_from=datetime.date(2027, 1, 1))
    with pytest.raises(ValidationError):
        services.definition_version_create(
            actor=officer, key="s33",
            thresholds={"min_reservable_percent": 50, "min_employee_board_percent": 50},
            rationale=" ", source="", effective_from=datetime.date(2027, 1, 1))


def test_only_programme_officers_create_versions(mutual_admin):
    with pytest.raises(PermissionDenied):
        services.definition_version_create(
            actor=mutual_admin, key="s33",
            thresholds={"min_reservable_percent": 0, "min_employee_board_percent": 0},
            rationale="Easier", source="", effective_from=datetime.date(2027, 1, 1))


def test_recognition_lapses_after_a_year_unless_reconfirmed(mutual_org):
    day = datetime.date(2026, 3, 1)
    recognition = support.recognise(mutual_org, key="s33", on=day)
    assert recognised_under(organisation_id=mutual_org.pk, key="s33", on=day) == recognition
    last = datetime.date(2027, 3, 1)
    assert recognised_under(organisation_id=mutual_org.pk, key="s33", on=last) == recognition
    assert recognised_under(organisation_id=mutual_org.pk, key="s33",
                            on=last + datetime.timedelta(days=1)) is None
    assert recognised_under(organisation_id=mutual_org.pk, key="programme", on=day) is None


def test_a_request_can_be_withdrawn_while_awaiting_review(requested, mutual_admin, officer):
    services.recognition_withdraw(actor=mutual_admin, recognition=requested)
    assert requested.status == Recognition.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.recognition_decide(actor=officer, recognition=requested, recognise=True,
                                    reasons="")
