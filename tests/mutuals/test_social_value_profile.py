"""A mutual's own social value profile: on the catalogue, shown to evaluators beside a bid,
never a contract commitment."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.services.evaluation import conflict_declare
from mutuals import services
from mutuals.models import SocialValueProfileEntry
from organisations.models import Role
from socialvalue.models import Measure
from socialvalue.services import load_social_value_model
from tests import factories
from tests.commissioning import evaluation_support as support
from tests.mutuals import support as mutual_support

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(db):
    load_social_value_model()
    return Measure.objects.order_by("code").first()


def test_a_mutual_records_what_its_model_delivers(mutual_org, mutual_admin, measure):
    with pytest.raises(ValidationError, match="Record your mutual evidence"):
        services.social_value_entry_save(actor=mutual_admin, organisation=mutual_org,
                                         measure=measure, annual_quantity=Decimal("12"),
                                         description="Apprenticeships")
    mutual_support.profile(mutual_org)
    services.social_value_entry_save(actor=mutual_admin, organisation=mutual_org,
                                     measure=measure, annual_quantity=Decimal("12"),
                                     description="Twelve apprenticeships a year")
    services.social_value_entry_save(actor=mutual_admin, organisation=mutual_org,
                                     measure=measure, annual_quantity=Decimal("14"),
                                     description="Fourteen now")
    [entry] = SocialValueProfileEntry.objects.all()
    assert entry.annual_quantity == Decimal("14")
    stranger = factories.member(factories.OrganisationFactory(), Role.PROVIDER_ADMIN)
    with pytest.raises(PermissionDenied):
        services.social_value_entry_remove(actor=stranger, entry=entry)


def test_the_pages_add_and_remove_a_measure(client, mutual_org, mutual_admin, measure):
    mutual_support.profile(mutual_org)
    client.force_login(mutual_admin)
    url = f"/mutuals/organisations/{mutual_org.pk}/social-value/add/"
    assert "Enter how much each year" in client.post(url, {"measure": measure.pk}).content.decode()
    response = client.post(url, {"measure": measure.pk, "annual_quantity": "3",
                                 "description": "Volunteering days"})
    assert response.status_code == 302
    entry = SocialValueProfileEntry.objects.get()
    assert client.post(f"/mutuals/social-value/{entry.pk}/remove/").status_code == 302
    assert not SocialValueProfileEntry.objects.exists()


def test_evaluators_see_the_profile_beside_the_bid_and_it_is_not_a_commitment(
        client, authority, commissioner, measure):
    from commissioning.services.evaluation import evaluator_add

    tender = support.closed_tender(authority, commissioner)
    support.standard_criteria(tender)
    evaluator = support.staff(authority, Role.EVALUATOR)
    evaluator_add(tender=tender, actor=commissioner, user=evaluator)
    bid = support.sealed_bid(tender, name="Riverside Care")
    support.open_and_start(tender, commissioner, support.staff(authority, Role.AUTHORITY_ADMIN))
    mutual_support.profile(bid.organisation)
    services.social_value_entry_save(
        actor=factories.member(bid.organisation, Role.PROVIDER_ADMIN),
        organisation=bid.organisation, measure=measure, annual_quantity=Decimal("40"),
        description="PROFILE-MARKER: volunteers from the community")
    conflict_declare(tender=tender, actor=evaluator, has_conflict=False, organisations=[],
                     details="")
    client.force_login(evaluator)
    page = client.get(reverse("commissioning:bid_evaluate", args=[bid.pk])).content.decode()
    assert "PROFILE-MARKER" in page
    assert "never scored as additional social value" in page
    bid.refresh_from_db()
    if bid.social_value_commitments_id:
        assert not bid.social_value_commitments.commitments.filter(measure=measure).exists()
