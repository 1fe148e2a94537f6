"""Reports in Chromium, each page checked with axe (WCAG 2.2 A/AA), and a CSV download."""

import re
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import SECRET, sign_in
from tests.commissioning import factories as cf
from tests.reports.conftest import award, bid, noon, tender

pytestmark = pytest.mark.django_db(transaction=True)


def test_authority_staff_read_filter_and_download_reports(page, check_accessibility, tmp_path):
    authority = factories.AuthorityFactory(name="Northby Council")
    person = factories.member(authority, Role.COMMISSIONER, email="kim@northby.example")
    TOTP.activate(person, SECRET)
    made = tender(authority, created=noon(5, 1), value="120000.00", reference="NB-1",
                  status="contracted", published_at=noon(5, 1), deadline=noon(5, 2))
    award(bid(made, factories.OrganisationFactory(name="Riverside Trust")), value="100000.00",
          notice=noon(6, 3))

    sign_in(page, check_accessibility, person.email, secret=SECRET)
    page.wait_for_url(re.compile("/dashboard/"))
    page.get_by_role("navigation").get_by_role("link", name="Reports").click()
    page.get_by_role("heading", level=1, name="Reports").wait_for()
    check_accessibility(page)
    for title in ("Pipeline", "Bids per tender", "Time to award"):
        page.locator("#main-content").get_by_role("link", name=title, exact=True).click()
        page.get_by_role("table").wait_for()
        check_accessibility(page)
        page.get_by_role("link", name="Reports", exact=True).first.click()

    page.get_by_role("link", name="SMEs, VCSEs and mutuals").click()
    assert page.get_by_role("table", name="Bids and awards by type of supplier").is_visible()
    page.locator("#id_start_0").fill("9")
    page.locator("#id_start_1").fill("1")
    page.locator("#id_start_2").fill("2026")
    page.locator("#id_end_0").fill("8")
    page.locator("#id_end_1").fill("1")
    page.locator("#id_end_2").fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    page.locator("#id_end_1").fill("12")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("table").wait_for()
    check_accessibility(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download this report as a CSV file")).click()
    saved = tmp_path / "report.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Authority,Supplier type,Bids")
    assert "Northby Council,VCSEs,1,100.0,1,100.0,100000.00,100.0" in lines


def test_platform_admins_choose_an_authority(page, check_accessibility):
    """A platform admin picks which authority a report is about, and sees that one's figures
    only; an authority with nothing to report says so."""
    admin = factories.PlatformAdminFactory(email="ops@example.org")
    TOTP.activate(admin, SECRET)
    southby = factories.AuthorityFactory(name="Southby Council")
    northby = factories.AuthorityFactory(name="Northby Council")
    factories.AuthorityFactory(name="Eastby Council")
    cf.TenderFactory(authority=southby, estimated_value_ex_vat=Decimal("77000.00"))
    cf.TenderFactory(authority=northby, estimated_value_ex_vat=Decimal("555000.00"))
    sign_in(page, check_accessibility, admin.email, secret=SECRET)
    page.wait_for_url(re.compile("/dashboard/"))

    page.goto("/reports/pipeline/")
    page.get_by_label("Authority").select_option(label="Southby Council")
    page.get_by_role("button", name="Apply filters").click()
    table = page.get_by_role("table", name="Tenders by status and procedure")
    table.wait_for()
    assert "£77,000.00" in table.inner_text()
    assert "£555,000.00" not in table.inner_text()
    assert page.get_by_label("Authority").input_value() == str(southby.pk)
    check_accessibility(page)

    page.get_by_label("Authority").select_option(label="Northby Council")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(f"authority={northby.pk}"))
    assert "£555,000.00" in table.inner_text()
    assert "£77,000.00" not in table.inner_text()

    page.get_by_label("Authority").select_option(label="Eastby Council")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("There is nothing to report").wait_for()
    assert page.get_by_role("table", name="Tenders by status and procedure").count() == 0
    check_accessibility(page)
