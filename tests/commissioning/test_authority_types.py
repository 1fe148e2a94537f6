"""Authority types: the threshold row, the notifiable value and the social value floor."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django.utils import timezone

from commissioning import thresholds
from commissioning.models import AuthorityProcurementSettings
from commissioning.services import criteria
from commissioning.services.tenders import publication_review
from organisations.models import Organisation
from tests import factories
from tests.commissioning import factories as cf

T = Organisation.AuthorityType
DAY_2026 = datetime.date(2026, 3, 1)


@pytest.mark.parametrize(("authority_type", "goods", "light_touch", "works"), [
    (T.CENTRAL, "135018", "663540", "5193000"),
    (T.NHS, "135018", "663540", "5193000"),
    (T.SUB_CENTRAL, "207720", "663540", "5193000"),
    (T.DEVOLVED_WELSH, "207720", "663540", "5193000"),
    (T.UTILITY, "415440", "884720", "5193000"),
    ("", "207720", "663540", "5193000"),  # none recorded: sub-central
])
def test_each_authority_type_uses_its_threshold_row(authority_type, goods, light_touch, works):
    def at(contract_type, is_light_touch):
        return thresholds.threshold_for(contract_type=contract_type, is_light_touch=is_light_touch,
                                        on=DAY_2026, authority_type=authority_type)

    assert at("services", False) == Decimal(goods)
    assert at("goods", False) == Decimal(goods)
    assert at("services", True) == Decimal(light_touch)
    assert at("works", False) == Decimal(works)


@pytest.mark.parametrize(("authority_type", "threshold"), [
    (T.CENTRAL, Decimal("135018")), (T.SUB_CENTRAL, Decimal("207720")),
    (T.UTILITY, Decimal("415440")),
])
def test_a_penny_below_the_threshold_is_below_and_the_threshold_itself_above(authority_type,
                                                                             threshold):
    def above(value):
        return thresholds.is_above_threshold(
            value_inc_vat=value, contract_type="services", is_light_touch=False, on=DAY_2026,
            authority_type=authority_type)[0]

    assert above(threshold)
    assert not above(threshold - Decimal("0.01"))


def test_utilities_rows_of_2024_are_the_older_amounts():
    assert thresholds.threshold_for(contract_type="services", is_light_touch=False,
                                    on=datetime.date(2025, 6, 1),
                                    authority_type=T.UTILITY) == Decimal("429809")


@pytest.mark.parametrize(("authority_type", "notifiable"), [
    (T.CENTRAL, Decimal("12000")), (T.NHS, Decimal("12000")),
    (T.SUB_CENTRAL, Decimal("30000")), (T.DEVOLVED_WELSH, Decimal("30000")),
    (T.UTILITY, Decimal("30000")),
])
def test_below_threshold_contracts_are_notifiable_from_the_value_for_the_type(authority_type,
                                                                              notifiable):
    assert thresholds.notifiable_value(authority_type=authority_type) == notifiable
    assert thresholds.is_notifiable(value_inc_vat=notifiable, authority_type=authority_type)
    assert not thresholds.is_notifiable(value_inc_vat=notifiable - Decimal("0.01"),
                                        authority_type=authority_type)


def _draft(authority_type: str, value_inc_vat: Decimal, **fields):
    authority = factories.AuthorityFactory(authority_type=authority_type)
    return cf.publishable_tender(authority=authority, estimated_value_ex_vat=value_inc_vat,
                                 estimated_value_inc_vat=value_inc_vat, **fields)


@pytest.mark.django_db
def test_publication_uses_the_authoritys_threshold_row():
    at = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))
    central = publication_review(_draft(T.CENTRAL, Decimal("150000")), at=at)
    council = publication_review(_draft(T.SUB_CENTRAL, Decimal("150000")), at=at)
    assert central.above_threshold and central.threshold == Decimal("135018")
    assert not council.above_threshold and council.threshold == Decimal("207720")


@pytest.mark.django_db
def test_publication_says_whether_a_below_threshold_contract_is_notifiable(client):
    at = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))
    procedure = {"procedure": "below_threshold"}
    central = publication_review(_draft(T.CENTRAL, Decimal("12000"), **procedure), at=at)
    council = publication_review(_draft(T.SUB_CENTRAL, Decimal("29999.99"), **procedure), at=at)
    assert central.notifiable and central.notifiable_value == Decimal("12000")
    assert not council.notifiable and council.notifiable_value == Decimal("30000")
    above = publication_review(_draft(T.CENTRAL, Decimal("500000")), at=at)
    assert above.notifiable is None  # above threshold: the question does not arise


@pytest.mark.django_db
def test_the_publish_page_names_the_type_and_the_notifiable_value(client):
    tender = _draft(T.CENTRAL, Decimal("20000"), procedure="below_threshold")
    commissioner = factories.with_totp(factories.member(tender.authority, "commissioner"))
    client.force_login(commissioner)
    html = client.get(reverse("commissioning:tender_publish", args=[tender.pk])).content.decode()
    assert "central government authority" in html
    assert 'data-notifiable="yes"' in html and "£12,000" in html


# -- social value floor ---------------------------------------------------------------------


@pytest.mark.django_db
def test_central_government_floor_is_fixed_at_ten_percent_whatever_was_stored():
    authority = factories.AuthorityFactory(authority_type=T.CENTRAL)
    AuthorityProcurementSettings.objects.create(authority=authority,
                                                min_social_value_weight=Decimal("5"))
    floor = criteria.social_value_floor(authority)
    assert floor.weight == Decimal("10") and floor.fixed and "PPN 002" in floor.reason


@pytest.mark.django_db
def test_central_government_cannot_change_its_floor(authority_admin, authority):
    Organisation.objects.filter(pk=authority.pk).update(authority_type=T.CENTRAL)
    authority.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        criteria.procurement_settings_update(authority=authority, actor=authority_admin,
                                             min_social_value_weight=Decimal("20"))
    assert "fixed" in str(excinfo.value)
    assert not AuthorityProcurementSettings.objects.filter(authority=authority).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("authority_type", [T.SUB_CENTRAL, T.NHS, T.DEVOLVED_WELSH, T.UTILITY])
def test_other_authorities_raise_their_floor_but_never_below_the_portal_minimum(
        authority_type, authority_admin, authority):
    Organisation.objects.filter(pk=authority.pk).update(authority_type=authority_type)
    authority.refresh_from_db()
    assert criteria.social_value_floor(authority).weight == Decimal("10")  # portal minimum
    with pytest.raises(ValidationError) as excinfo:
        criteria.procurement_settings_update(authority=authority, actor=authority_admin,
                                             min_social_value_weight=Decimal("9.99"))
    assert "portal's minimum" in str(excinfo.value)
    criteria.procurement_settings_update(authority=authority, actor=authority_admin,
                                         min_social_value_weight=Decimal("10"))
    criteria.procurement_settings_update(authority=authority, actor=authority_admin,
                                         min_social_value_weight=Decimal("15"))
    floor = criteria.social_value_floor(authority)
    assert floor.weight == Decimal("15") and not floor.fixed


@pytest.mark.django_db
def test_a_stored_floor_below_the_portal_minimum_is_overridden_and_said(authority):
    AuthorityProcurementSettings.objects.create(authority=authority,
                                                min_social_value_weight=Decimal("0"))
    floor = criteria.social_value_floor(authority)
    assert floor.weight == Decimal("10")
    assert "below it" in floor.reason


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["0", "-5", "abc", "101"])
def test_a_zero_or_invalid_portal_minimum_fails_loudly(settings, authority, bad):
    settings.PORTAL_MIN_SOCIAL_VALUE_WEIGHT = bad
    with pytest.raises(ImproperlyConfigured):
        criteria.social_value_floor(authority)


@pytest.mark.django_db
def test_a_higher_portal_minimum_lifts_central_government_too(settings):
    settings.PORTAL_MIN_SOCIAL_VALUE_WEIGHT = "12.5"
    central = factories.AuthorityFactory(authority_type=T.CENTRAL)
    assert criteria.social_value_floor(central).weight == Decimal("12.5")


@pytest.mark.django_db
def test_publication_blocks_a_central_tender_below_ten_percent():
    tender = _draft(T.CENTRAL, Decimal("500000"))
    tender.criteria.filter(kind="social_value").update(weight=Decimal("5"))
    tender.criteria.filter(kind="price").update(weight=Decimal("35"))
    problems = criteria.criteria_problems(tender)
    assert any("at least 10%" in p for p in problems)


@pytest.mark.django_db
def test_settings_page_shows_the_fixed_floor_and_ignores_a_post(client, authority_admin,
                                                                authority):
    Organisation.objects.filter(pk=authority.pk).update(authority_type=T.CENTRAL)
    client.force_login(authority_admin)
    url = reverse("commissioning:procurement_settings")
    html = client.get(url).content.decode()
    assert "the floor is fixed" in html and "PPN 002" in html
    assert 'name="min_social_value_weight"' not in html
    client.post(url, {"min_social_value_weight": "50"})
    assert not AuthorityProcurementSettings.objects.filter(authority=authority).exists()


@pytest.mark.django_db
def test_settings_page_refuses_a_floor_below_the_portal_minimum(client, authority_admin):
    client.force_login(authority_admin)
    response = client.post(reverse("commissioning:procurement_settings"),
                           {"min_social_value_weight": "5"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "the portal&#x27;s minimum" in html
