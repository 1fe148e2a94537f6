"""The shared layout in Chromium: navigation on one line at 1280px, phase banner, footer."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from tests import factories
from tests.browser.test_journeys import SECRET, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_widest_navigation_fits_one_line_at_1280px(page, check_accessibility):
    admin = factories.PlatformAdminFactory(email="ops@example.org")
    TOTP.activate(admin, SECRET)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, check_accessibility, admin.email, secret=SECRET)
    page.wait_for_url(re.compile("/dashboard/"))
    items = page.locator(".govuk-service-navigation__item")
    assert items.count() >= 9  # a platform admin sees the most sections
    tops = {round(box["y"]) for box in
            (items.nth(i).bounding_box() for i in range(items.count()))}
    labels = items.all_inner_texts()
    assert len(tops) == 1, f"navigation wraps onto {len(tops)} lines at 1280px: {labels}"
    assert page.locator(".govuk-phase-banner").is_visible()
    check_accessibility(page)


def test_open_data_is_found_from_the_footer_and_its_page_is_accessible(page,
                                                                        check_accessibility):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Open data").click()
    page.wait_for_url(re.compile("/ocds/$"))
    page.get_by_role("heading", name="Open contracting data", level=1).wait_for()
    check_accessibility(page)
    page.locator("main a[href='/ocds/releases/']").first.click()
    page.wait_for_url(re.compile("/ocds/releases/$"))
    assert page.url.endswith("/ocds/releases/")
