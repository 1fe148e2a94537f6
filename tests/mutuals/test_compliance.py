"""Mutuals compliance: recognition due for re-confirmation; reserved contracts whose supplier
is no longer recognised."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from compliance import services as compliance
from compliance.models import Finding
from mutuals import services
from tests import factories
from tests.commissioning import evaluation_support as commissioning
from tests.mutuals import support

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def run(check_id: str, day: datetime.date) -> list[Finding]:
    now = datetime.datetime.combine(day, datetime.time(9), tzinfo=LONDON)
    checked = compliance.check_run(check_id=check_id, now=now)
    assert checked.succeeded, checked.error
    return list(Finding.objects.filter(check_id=check_id, status=Finding.Status.OPEN))


def test_reconfirmation_is_flagged_30_days_before_recognition_lapses(mutual_org, mutual_admin):
    support.profile(mutual_org)
    recognition = support.recognise(mutual_org, on=datetime.date(2026, 3, 1))  # until 1 Mar 2027
    check = "mutuals.recognition_reconfirmation_due"
    assert run(check, datetime.date(2027, 1, 29)) == []
    [finding] = run(check, datetime.date(2027, 1, 30))
    assert finding.organisation_id == mutual_org.pk
    assert "lapses on 1 March 2027" in finding.message
    # Asking for re-confirmation resolves it; so would a newer recognition.
    services.recognition_request(actor=mutual_admin, organisation=mutual_org,
                                 definition_key="s33")
    assert run(check, datetime.date(2027, 2, 1)) == []
    assert recognition.pk == Finding.objects.get(check_id=check).object_id


def test_a_newer_recognition_means_nothing_is_due(mutual_org):
    support.profile(mutual_org)
    support.recognise(mutual_org, on=datetime.date(2026, 3, 1))
    support.recognise(mutual_org, on=datetime.date(2027, 2, 15))
    assert run("mutuals.recognition_reconfirmation_due", datetime.date(2027, 2, 16)) == []


def test_a_reserved_contract_whose_supplier_lapsed_is_flagged(authority):
    organisation = support.mutual(name="Lapsing Mutual", on=datetime.date(2026, 1, 10))
    contract = commissioning.past_contract(organisation, authority, datetime.date(2026, 2, 1))
    contract.ends_on = datetime.date(2029, 1, 31)
    contract.save()
    check = "commissioning.reserved_supplier_not_recognised"
    assert run(check, datetime.date(2026, 6, 1)) == []
    [finding] = run(check, datetime.date(2027, 1, 11))
    assert finding.organisation_id == authority.pk
    assert "Lapsing Mutual is no longer recognised" in finding.message
    unreserved = commissioning.past_contract(factories.OrganisationFactory(), authority,
                                             datetime.date(2026, 2, 1), reserved=False)
    assert unreserved.pk not in {f.object_id for f in run(check, datetime.date(2027, 1, 11))}
