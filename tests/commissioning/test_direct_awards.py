"""Direct awards: s.41 with a Schedule 5 ground or s.43 after an unsuccessful competition; the
transparency notice (UK5) first, its standstill of 8 working days, then the award (UK6)."""

import datetime
import json
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.models import Award, Contract, DirectAward, Notice, Tender
from commissioning.services import contract_management as management
from commissioning.services import contracts
from commissioning.services import direct_awards as services
from organisations.models import Role
from tests import factories
from tests.commissioning.ocds_support import no_network  # noqa: F401  (fixture)
from tests.commissioning.test_notices import assert_valid, notice_documents

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]

# Tuesday 22 December 2026: 8 working days beginning that day skip Christmas and Boxing Day
# (observed on 28 December) and New Year's Day, ending on Tuesday 5 January 2027.
NOTICE_DAY = datetime.datetime(2026, 12, 22, 10, tzinfo=datetime.UTC)
LAST_DAY = datetime.date(2027, 1, 5)


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def on(day: datetime.date):
    return at(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC))


def data(provider, **fields):
    return {"reference": "DA-1", "title": "Crisis beds", "description": "Crisis beds.",
            "supplier": provider, "basis": "s41", "ground": "urgency",
            "justification": "A provider closed without notice.", "switched_from": None,
            "value_ex_vat": Decimal("150000"), "starts_on": datetime.date(2027, 2, 1),
            "ends_on": datetime.date(2028, 1, 31), **fields}


@pytest.fixture
def draft(authority, commissioner, provider):
    return services.direct_award_create(actor=commissioner, authority=authority,
                                        data=data(provider))


def test_a_section_41_award_needs_a_schedule_5_ground_and_a_justification(
        authority, commissioner, provider):
    with pytest.raises(ValidationError) as error:
        services.direct_award_create(actor=commissioner, authority=authority,
                                     data=data(provider, ground="", justification=" "))
    assert set(error.value.error_dict) == {"ground", "justification"}


def test_a_section_43_switch_needs_one_of_our_terminated_competitions(
        authority, commissioner, provider, published_tender):
    with pytest.raises(ValidationError) as error:
        services.direct_award_create(actor=commissioner, authority=authority, data=data(
            provider, basis="s43", switched_from=published_tender))
    assert "switched_from" in error.value.error_dict
    published_tender.status = "cancelled"
    published_tender.save()
    award = services.direct_award_create(actor=commissioner, authority=authority, data=data(
        provider, basis="s43", switched_from=published_tender))
    assert award.ground == "" and award.switched_from == published_tender


def test_only_the_authoritys_commissioners_start_a_direct_award(authority, other_commissioner,
                                                                provider):
    with pytest.raises(PermissionDenied):
        services.direct_award_create(actor=other_commissioner, authority=authority,
                                     data=data(provider))


def test_transparency_notice_then_8_working_days_then_the_award(client, draft, commissioner):
    with pytest.raises(ValidationError, match="transparency notice"):
        services.direct_award_award(actor=commissioner, award=draft)
    with at(NOTICE_DAY):
        award = services.direct_award_transparency_publish(actor=commissioner, award=draft)
    assert award.standstill_ends_on == LAST_DAY and award.status == "standstill"
    with on(LAST_DAY), pytest.raises(ValidationError, match="from 6 January 2027"):
        services.direct_award_award(actor=commissioner, award=award)
    with on(LAST_DAY + datetime.timedelta(days=1)):
        award = services.direct_award_award(actor=commissioner, award=award)
    assert award.status == "awarded"
    uk5, uk6 = Notice.objects.filter(direct_award=award).order_by("published_at")
    assert (uk5.notice_type, uk6.notice_type) == ("UK5", "UK6") and uk5.ocid == uk6.ocid
    for notice in (uk5, uk6):
        package = json.loads(client.get(reverse("commissioning:notice_release",
                                                args=[notice.pk])).content)
        assert_valid(package)
        release = package["releases"][0]
        assert release["tender"]["procurementMethod"] == "direct"
        assert "Schedule 5" in release["tender"]["procurementMethodRationale"]
    award_release = json.loads(client.get(reverse("commissioning:notice_release",
                                                  args=[uk6.pk])).content)["releases"][0]
    assert award_release["awards"][0]["documents"] == notice_documents(award_release, "UK6")
    assert award_release["awards"][0]["standstillPeriod"]["endDate"].startswith("2027-01-05")


def test_terminating_after_the_transparency_notice_publishes_uk12(draft, commissioner):
    services.direct_award_transparency_publish(actor=commissioner, award=draft)
    with pytest.raises(ValidationError):
        services.direct_award_cancel(actor=commissioner, award=draft, reason="")
    award = services.direct_award_cancel(actor=commissioner, award=draft, reason="Not needed.")
    assert award.status == "cancelled"
    assert list(award.notices.values_list("notice_type", flat=True).order_by("id")) == [
        "UK5", "UK12"]


def test_terminating_a_draft_publishes_nothing(draft, commissioner):
    services.direct_award_cancel(actor=commissioner, award=draft, reason="Not needed.")
    assert not Notice.objects.exists()


PEOPLE = ["anonymous", "citizen", "provider", "commissioner", "contract_manager",
          "evaluator", "other_authority"]
T, F = True, False
# page -> person -> status code is 200 (True) or refused (False: login, 403 or 404)
PAGES = {
    "list": {"anonymous": F, "citizen": T, "provider": T, "commissioner": T,
             "contract_manager": T, "evaluator": T, "other_authority": T},
    "create": {"anonymous": F, "citizen": F, "provider": F, "commissioner": T,
               "contract_manager": F, "evaluator": F, "other_authority": T},
    "detail": {"anonymous": F, "citizen": F, "provider": F, "commissioner": T,
               "contract_manager": T, "evaluator": F, "other_authority": F},
    "cancel": {"anonymous": F, "citizen": F, "provider": F, "commissioner": T,
               "contract_manager": F, "evaluator": F, "other_authority": F},
}


@pytest.fixture
def people(authority, citizen, bid_writer, commissioner, other_commissioner):
    return {"anonymous": AnonymousUser(), "citizen": citizen, "provider": bid_writer,
            "commissioner": commissioner,
            "contract_manager": factories.with_totp(factories.member(
                authority, Role.CONTRACT_MANAGER)),
            "evaluator": factories.with_totp(factories.member(authority, Role.EVALUATOR)),
            "other_authority": other_commissioner}


@pytest.mark.parametrize("person", PEOPLE)
def test_permission_matrix_of_the_direct_award_pages(client, draft, people, person):
    urls = {"list": reverse("commissioning:direct_award_list"),
            "create": reverse("commissioning:direct_award_create"),
            "detail": reverse("commissioning:direct_award", args=[draft.pk]),
            "cancel": reverse("commissioning:direct_award_cancel", args=[draft.pk])}
    user = people[person]
    if user.is_authenticated:
        client.force_login(user)
    for page, url in urls.items():
        status = client.get(url).status_code
        assert (status == 200) is PAGES[page][person], (page, person, status)
        assert status < 500
    if person != "commissioner":
        response = client.post(reverse("commissioning:direct_award_publish", args=[draft.pk]))
        assert response.status_code in (302, 403, 404)
        draft.refresh_from_db()
        assert draft.status == "draft"


def test_a_commissioner_sees_only_their_authoritys_direct_awards_in_constant_queries(
        client, draft, commissioner, provider, other_commissioner,
        django_assert_max_num_queries):
    client.force_login(commissioner)
    url = reverse("commissioning:direct_award_list")
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for number in range(2, 14):
        services.direct_award_create(actor=commissioner, authority=draft.authority,
                                     data=data(provider, reference=f"DA-{number}"))
    other = other_commissioner.memberships.first().organisation
    services.direct_award_create(actor=other_commissioner, authority=other,
                                 data=data(provider, title="Someone else's"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"status": "draft"})
    assert "13 direct awards" in response.content.decode()
    assert "Someone else" not in response.content.decode()
    assert client.get(url, {"status": "nonsense", "page": "x"}).status_code == 200


def test_the_create_page_refuses_junk_with_messages(client, commissioner, provider):
    client.force_login(commissioner)
    response = client.post(reverse("commissioning:direct_award_create"), {
        "reference": "DA-9", "title": "x", "description": "x", "supplier": "999999",
        "basis": "s41", "ground": "nonsense", "justification": "", "value_ex_vat": "lots",
        "starts_on_day": "31", "starts_on_month": "2", "starts_on_year": "2027"})
    assert response.status_code == 200
    assert not DirectAward.objects.exists()
    assert "Choose a supplier from the list" in response.content.decode()


# -- From the award to a live contract ------------------------------------------------------

def awarded(draft, commissioner):
    with at(NOTICE_DAY):
        services.direct_award_transparency_publish(actor=commissioner, award=draft)
    with on(LAST_DAY + datetime.timedelta(days=1)):
        return services.direct_award_award(actor=commissioner, award=draft)


def test_the_award_makes_the_portals_award_and_contract(client, draft, commissioner, provider,
                                                       authority):
    award = awarded(draft, commissioner)
    made = Award.objects.get(tender=award.procurement)
    assert (made.supplier, made.authority, made.bid) == (provider, authority, None)
    assert made.value == Decimal("150000") and made.status == "contracted"
    assert made.tender_published_at == award.transparency_published_at
    assert made.notice_published_at == award.awarded_at
    contract = made.contract
    assert (contract.value, contract.starts_on, contract.ends_on) == (
        Decimal("150000"), datetime.date(2027, 2, 1), datetime.date(2028, 1, 31))
    # The procurement record is never a public tender, and shares the direct award's OCID.
    procurement = award.procurement
    assert procurement.published_at is None and procurement.procedure == "direct"
    assert procurement.ocid == award.ocid
    assert procurement not in Tender.objects.filter(published_at__isnull=False)
    uk6 = Notice.objects.get(direct_award=award, notice_type="UK6")
    assert uk6.award == made
    assert uk6.release["awards"][0]["id"] == str(made.pk)
    client.force_login(commissioner)
    page = client.get(reverse("commissioning:direct_award", args=[award.pk])).content.decode()
    assert reverse("commissioning:contract", args=[contract.pk]) in page
    listing = client.get(reverse("commissioning:contract_list")).content.decode()
    assert provider.name in listing and reverse("commissioning:contract",
                                                 args=[contract.pk]) in listing
    record = client.get(reverse("commissioning:contract", args=[contract.pk]))
    assert record.status_code == 200 and f"Contract with {provider.name}" in record.content.decode()
    # The authority's own tender list shows the procurement record, and its page opens.
    assert procurement.reference in client.get(
        reverse("commissioning:tender_admin_list")).content.decode()
    assert client.get(reverse("commissioning:tender_manage",
                              args=[procurement.pk])).status_code == 200
    assert client.get(reverse("commissioning:award", args=[made.pk])).status_code == 200
    public_page = reverse("commissioning:tender_detail", args=[procurement.pk])
    assert provider.name in client.get(public_page).content.decode()  # the authority's preview
    client.logout()
    assert client.get(public_page).status_code == 404  # never a public tender page


def test_a_direct_award_contract_is_managed_like_any_other(client, draft, commissioner):
    award = awarded(draft, commissioner)
    contract = Contract.objects.get(award__tender=award.procurement)
    with on(datetime.date(2027, 2, 10)):
        contracts.contract_kpi_add(contract=contract, actor=commissioner, name="Beds available",
                                   target="20 a night", is_most_material=True)
        contracts.contract_details_publish(contract=contract, actor=commissioner)
    with on(datetime.date(2027, 6, 1)):
        change = management.contract_change_propose(
            actor=commissioner, contract=contract, description="Ten more beds",
            value_delta=Decimal("30000"), new_ends_on=contract.ends_on)
        assert change.beyond_allowance  # +20% of £150,000
        with pytest.raises(ValidationError, match="UK10"):
            management.contract_change_make(actor=commissioner, change=change)
        management.contract_change_notice_publish(actor=commissioner, change=change)
        contract = management.contract_change_make(actor=commissioner, change=change)
        rating = management.kpi_rating_record(
            actor=commissioner, kpi=contract.kpis.get(), rating="good",
            period_start=datetime.date(2027, 2, 1), period_end=datetime.date(2027, 4, 30))
    assert contract.value == Decimal("180000") and rating.rating == "good"
    uk7, uk10 = (Notice.objects.get(contract=contract, notice_type=kind)
                 for kind in ("UK7", "UK10"))
    for notice in (uk7, uk10):
        assert notice.ocid == award.ocid  # one contracting process from UK5 to UK10
        package = json.loads(client.get(reverse("commissioning:notice_release",
                                                args=[notice.pk])).content)
        assert_valid(package)
        release = package["releases"][0]
        assert release["tender"]["procurementMethod"] == "direct"
        assert release["awards"][0]["suppliers"][0]["name"] == award.supplier.name
        assert release["contracts"][0]["awardID"] == release["awards"][0]["id"]
    assert uk10.release["contracts"][0]["amendments"][0]["rationale"] == "Ten more beds"
    client.force_login(commissioner)
    page = client.get(reverse("commissioning:direct_award", args=[award.pk])).content.decode()
    assert "UK7" in page and "UK10" in page
    performance = client.get(reverse("commissioning:contract_performance", args=[contract.pk]))
    assert performance.status_code == 200 and "Good" in performance.content.decode()
