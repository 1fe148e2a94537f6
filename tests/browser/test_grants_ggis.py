"""The GGIS award file page in Chromium: filter by award date, the download links carry the
filter, a date range the wrong way round is explained next to the field; axe on each state."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.services import awards
from organisations.models import Role
from tests import factories
from tests.browser.test_grants import login_as
from tests.grants import support

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_chooses_award_dates_and_downloads_the_ggis_file(
        page, live_server, check_accessibility):
    authority = factories.AuthorityFactory(name="Northby Council")
    manager = factories.with_totp(factories.member(authority, Role.GRANT_MANAGER))
    programme = support.programme(authority, manager)
    direct = support.published_round(programme, manager, kind="direct")
    org, user = support.applicant()
    today = timezone.localdate()
    award = awards.grant_direct_award(
        actor=manager, round=direct, organisation=org, amount=Decimal("12000"),
        justification="Sole provider", title="Lunch club", description="Meals for older people",
        planned_start=today, planned_end=today + datetime.timedelta(days=300),
        justifications={"mr8_measures": "Later"})
    page.goto(live_server.url + "/")
    login_as(page, manager)
    page.goto(live_server.url + "/grants/manage/reports/")
    page.get_by_role("link", name="Awards for GGIS (the Government Grants Information System)"
                     ).click()
    page.get_by_role("heading", name="Awards for GGIS").wait_for()
    assert award.reference in page.content()
    check_accessibility(page)

    form = page.get_by_role("form", name="Choose the award dates")
    start = form.get_by_role("group", name="Awarded on or after")
    start.get_by_label("Day").fill(str(today.day))
    start.get_by_label("Month").fill(str(today.month))
    start.get_by_label("Year").fill(str(today.year))
    form.get_by_role("button", name="Apply filters").click()
    csv_link = page.get_by_role("link", name="CSV")
    href = csv_link.get_attribute("href")
    assert "format=csv" in href and f"awarded_from_year={today.year}" in href
    assert page.get_by_role("link", name="Excel (XLSX)").is_visible()
    check_accessibility(page)

    earlier = today - datetime.timedelta(days=1)
    end = form.get_by_role("group", name="Awarded on or before")
    end.get_by_label("Day").fill(str(earlier.day))
    end.get_by_label("Month").fill(str(earlier.month))
    end.get_by_label("Year").fill(str(earlier.year))
    form.get_by_role("button", name="Apply filters").click()
    page.get_by_text("must be the same as or after").first.wait_for()
    check_accessibility(page)
