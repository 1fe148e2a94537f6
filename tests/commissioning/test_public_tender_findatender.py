"""Public pages as Find a Tender shows them: the award, criteria, contact, dates and location
on a tender page; sort, location, a summary of filters and links that carry them on the list;
saved searches emailed as a daily digest, each tender once."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.models import AwardCriterion, SavedSearch, Tender, TenderAlert
from commissioning.services.awards import award_approve, award_notice_publish, award_propose
from commissioning.services.searches import tender_alerts_send
from core.models import Notification, OutboxMessage
from organisations.models import Role
from tests import factories
from tests.commissioning import evaluation_support as support
from tests.commissioning import factories as cf
from tests.conftest import clear_cache

pytestmark = pytest.mark.django_db
LIST = reverse("commissioning:tender_list")
RESULT_TITLE = re.compile(
    r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="[^"]*">([^<]*)</a>')


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [html.unescape(t) for t in RESULT_TITLE.findall(response.content.decode())]


def detail(client, tender) -> str:
    response = client.get(reverse("commissioning:tender_detail", args=[tender.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# -- the tender page ---------------------------------------------------------------------------


def test_a_tender_page_shows_criteria_contact_dates_and_location(client):
    tender = cf.TenderFactory(
        delivery_region=Tender.Region.NORTH_EAST, delivery_location="Riverside borough",
        contract_starts_on=datetime.date(2027, 4, 1), contract_ends_on=datetime.date(2030, 3, 31),
        contact_name="Adult social care commissioning", contact_email="care@riverside.example")
    quality = AwardCriterion.objects.create(tender=tender, kind="quality", name="Quality",
                                            weight=Decimal("60"))
    AwardCriterion.objects.create(tender=tender, parent=quality, kind="quality",
                                  name="Staffing plan", weight=Decimal("25"))
    AwardCriterion.objects.create(tender=tender, kind="price", name="Price", weight=Decimal("30"),
                                  order=1)
    AwardCriterion.objects.create(tender=tender, kind="pass_fail", name="Insurance", order=2)
    page = detail(client, tender)
    for text in ("Riverside borough, North East (England)", "1 April 2027 to 31 March 2030",
                 "Adult social care commissioning, care@riverside.example",
                 tender.authority.postcode):
        assert text in page
    table = page.split('id="award-criteria"', 1)[1].split("</table>", 1)[0]
    cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split())
             for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    assert cells == ["Quality", "Quality", "60%", "Staffing plan (sub-criterion)", "Quality",
                     "25%", "Price", "Price", "30%", "Insurance", "Pass or fail",
                     "Pass or fail"]


@pytest.fixture
def awarded(authority, commissioner):
    ready = support.evaluated_tender(authority, commissioner)
    award = award_propose(tender=ready["tender"], actor=commissioner)
    return ready, award


def test_an_award_is_public_only_once_its_notice_is_published(client, awarded, commissioner):
    ready, award = awarded
    award_approve(award=award, actor=ready["approver"])
    assert "Hillside Support" not in detail(client, ready["tender"])  # approved, not notified
    award_notice_publish(award=award, actor=commissioner)
    award.refresh_from_db()
    page = detail(client, ready["tender"])
    awarded_part = page.split('id="award"', 1)[1].split("</dl>", 1)[0]
    assert "Hillside Support" in awarded_part and "£100,000" in awarded_part
    assert timezone.localtime(award.notice_published_at).strftime("%-d %B %Y") in awarded_part


# -- the list ----------------------------------------------------------------------------------


def test_the_list_sorts_by_closing_date_and_value(client):
    now = timezone.now()
    cf.TenderFactory(title="Late", deadline=now + datetime.timedelta(days=40),
                     estimated_value_inc_vat=Decimal("50000"))
    cf.TenderFactory(title="Soon", deadline=now + datetime.timedelta(days=5),
                     estimated_value_inc_vat=Decimal("900000"))
    cf.TenderFactory(title="Middle", deadline=now + datetime.timedelta(days=20),
                     estimated_value_inc_vat=Decimal("200000"))
    assert titles(client.get(LIST, {"sort": "closing"})) == ["Soon", "Middle", "Late"]
    assert titles(client.get(LIST, {"sort": "value_high"})) == ["Soon", "Middle", "Late"]
    assert titles(client.get(LIST, {"sort": "value_low"})) == ["Late", "Middle", "Soon"]
    assert client.get(LIST, {"sort": "sideways"}).status_code == 200  # junk is no error


def test_the_location_filter_includes_contracts_anywhere_in_the_uk(client):
    cf.TenderFactory(title="Tyneside", delivery_region=Tender.Region.NORTH_EAST)
    cf.TenderFactory(title="National", delivery_region=Tender.Region.UK)
    cf.TenderFactory(title="Cardiff", delivery_region=Tender.Region.WALES)
    assert sorted(titles(client.get(LIST, {"region": "TLC"}))) == ["National", "Tyneside"]
    assert titles(client.get(LIST, {"region": "UK"})) == ["National"]


def test_the_list_summarises_its_filters_and_its_links_carry_them(client):
    cf.TenderFactory(title="Tyneside", delivery_region=Tender.Region.NORTH_EAST)
    page = html.unescape(client.get(LIST, {"region": "TLC", "q": "home"}).content.decode())
    summary = page.split('id="applied-filters"', 1)[1].split("</div>", 1)[0]
    assert "Where the contract is delivered: <strong>North East (England)</strong>" in summary
    assert "Search: <strong>home</strong>" in summary
    assert 'href="?q=home"' in summary  # removing the region keeps the search
    follow = page.split('id="list-follow"', 1)[1].split("</ul>", 1)[0]
    assert f'{reverse("commissioning:tender_feed")}?region=TLC&amp;q=home' in follow or \
        f'{reverse("commissioning:tender_feed")}?region=TLC&q=home' in follow
    assert f'{reverse("commissioning:tender_alert_create")}?region=TLC' in follow


def test_the_feed_follows_the_filters(client):
    cf.TenderFactory(title="Tyneside care", delivery_region=Tender.Region.NORTH_EAST)
    cf.TenderFactory(title="Cardiff care", delivery_region=Tender.Region.WALES)
    feed = client.get(reverse("commissioning:tender_feed"), {"region": "TLL"}).content.decode()
    assert "Cardiff care" in feed and "Tyneside care" not in feed
    junk = client.get(reverse("commissioning:tender_feed"), {"closing_from_day": "99"})
    assert junk.status_code == 200 and "Cardiff care" not in junk.content.decode()


def test_sorted_and_filtered_list_keeps_its_queries_constant(client):
    def count_queries() -> int:
        clear_cache()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST, {"region": "TLC", "sort": "closing"}).status_code == 200
        return len(queries)

    cf.TenderCpvFactory(tender=cf.TenderFactory(delivery_region="TLC"))
    one = count_queries()
    for _ in range(20):
        cf.TenderCpvFactory(tender=cf.TenderFactory(authority=factories.AuthorityFactory(),
                                                    delivery_region="TLC"))
    assert count_queries() == one


def test_the_cached_list_follows_a_change_of_location(client):
    tender = cf.TenderFactory(title="Moving", delivery_region=Tender.Region.WALES)
    assert titles(client.get(LIST, {"region": "TLC"})) == []
    tender.delivery_region = Tender.Region.NORTH_EAST
    tender.save()
    assert titles(client.get(LIST, {"region": "TLC"})) == ["Moving"]


# -- saved searches and the daily digest -------------------------------------------------------


@pytest.fixture
def supplier(provider):
    return factories.member(provider, Role.BID_WRITER)


def test_a_supplier_saves_the_current_search(client, supplier):
    client.force_login(supplier)
    url = reverse("commissioning:tender_alert_create") + "?region=TLC&q=care&page=3"
    page = html.unescape(client.get(url).content.decode())
    assert "Where the contract is delivered: <strong>North East (England)</strong>" in page
    response = client.post(url, {"name": "Care in the North East"})
    assert response.url == reverse("commissioning:tender_alerts")
    search = SavedSearch.objects.get(user=supplier)
    assert search.query == "q=care&region=TLC"  # canonical, without the page
    assert "Care in the North East" in client.get(response.url).content.decode()
    again = client.post(url, {"name": "Twice"})
    assert "already saved a search with these filters" in again.content.decode()


def test_who_may_save_searches(client, citizen, commissioner, supplier):
    """Only suppliers save searches; others signed in are told who alerts are for (the tender
    list, the same page for everyone, offers the link to all), and their POST saves nothing."""
    url = reverse("commissioning:tender_alert_create")
    expected = {"anonymous": (302, False), "citizen": (200, True),
                "commissioning": (200, True), "supplier": (200, False)}
    seen = {}
    for who, user in {"anonymous": AnonymousUser(), "citizen": citizen,
                      "commissioning": commissioner, "supplier": supplier}.items():
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        response = client.get(url)
        seen[who] = (response.status_code,
                     "Email alerts are for suppliers" in response.content.decode())
        if who in ("citizen", "commissioning"):
            client.post(url, {"name": "Not mine to save"})
    assert seen == expected
    assert not SavedSearch.objects.filter(name="Not mine to save").exists()


def test_junk_filters_are_refused_with_400(client, supplier):
    client.force_login(supplier)
    url = reverse("commissioning:tender_alert_create") + "?closing_from_day=99&region=XX"
    assert client.get(url).status_code == 400
    assert client.post(url, {"name": "Junk"}).status_code == 400
    assert not SavedSearch.objects.exists()


def test_only_the_owner_can_delete_a_search(client, supplier, provider):
    search = SavedSearch.objects.create(user=supplier, name="Mine", query="region=TLC")
    other = factories.member(provider, Role.BID_WRITER)
    client.force_login(other)
    url = reverse("commissioning:tender_alert_delete", args=[search.pk])
    assert client.post(url).status_code == 404
    client.force_login(supplier)
    assert client.post(url).status_code == 302 and not SavedSearch.objects.exists()


def test_the_daily_digest_sends_each_new_matching_tender_once(supplier):
    now = timezone.now()
    old = cf.TenderFactory(title="Before the search", delivery_region="TLC",
                           published_at=now - datetime.timedelta(days=3))
    search = SavedSearch.objects.create(user=supplier, name="North East", query="region=TLC")
    SavedSearch.objects.filter(pk=search.pk).update(created_at=now - datetime.timedelta(days=2))
    new = cf.TenderFactory(title="Tyneside home care", delivery_region="TLC",
                           published_at=now - datetime.timedelta(hours=5))
    cf.TenderFactory(title="Cardiff", delivery_region="TLL",
                     published_at=now - datetime.timedelta(hours=5))
    before = OutboxMessage.objects.count()
    assert tender_alerts_send(now=now) == 1
    [notification] = Notification.objects.filter(recipient=supplier)
    assert "Tyneside home care" in notification.body and "Cardiff" not in notification.body
    assert old.title not in notification.body
    assert notification.subject == "1 new tender matches your saved searches"
    assert OutboxMessage.objects.count() == before + 1  # the email goes through the outbox
    assert list(TenderAlert.objects.values_list("tender_id", flat=True)) == [new.pk]
    assert tender_alerts_send(now=now + datetime.timedelta(days=1)) == 0  # each tender once
    assert Notification.objects.filter(recipient=supplier).count() == 1
