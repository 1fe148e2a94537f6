"""The public tender list updates in place as filters change, and works the same without
JavaScript. Every state is checked with axe (WCAG 2.2 A/AA) and for CSP violations."""

import pytest

from tests import factories
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tenders():
    council = factories.AuthorityFactory(name="Eastby Council")
    cf.TenderFactory(authority=council, title="Community meals", suitable_for_vcse=True)
    cf.TenderFactory(authority=council, title="Bridge inspection", suitable_for_vcse=False,
                     suitable_for_sme=False)
    return council


def watch_csp(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text else None)
    return problems


def result_titles(page) -> list[str]:
    return page.locator(".app-result-list h3").all_inner_texts()


def test_filters_update_the_list_in_place(page, check_accessibility, tenders):
    csp = watch_csp(page)
    page.goto("/tenders/")
    page.get_by_role("heading", name="2 tenders").wait_for()
    page.wait_for_function("() => window.htmx !== undefined")
    check_accessibility(page)
    page.evaluate("() => { window.notReloaded = true; }")

    page.get_by_label("Voluntary, community and social enterprises").check()
    page.get_by_role("heading", name="1 tender", exact=True).wait_for()
    assert result_titles(page) == ["Community meals"]
    assert page.evaluate("() => window.notReloaded") is True  # swapped, not a new page
    assert "suitable=vcse" in page.url  # the address can be shared and bookmarked
    assert page.locator("#app-live-status").inner_text() == "1 tender"
    check_accessibility(page)

    page.get_by_label("Search").fill("bridge")
    page.get_by_label("Search").press("Enter")
    page.get_by_role("heading", name="No tenders found").wait_for()
    assert page.evaluate("() => window.notReloaded") is True
    check_accessibility(page)

    page.go_back()
    page.get_by_role("heading", name="1 tender", exact=True).wait_for()
    assert csp == []


def test_without_javascript_the_form_submits_as_a_page(browser, live_server, page,
                                                      check_accessibility, tenders):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    plain = context.new_page()
    plain.set_default_timeout(10_000)
    try:
        plain.goto("/tenders/")
        plain.get_by_label("Voluntary, community and social enterprises").check()
        assert sorted(result_titles(plain)) == ["Bridge inspection", "Community meals"]
        plain.get_by_role("button", name="Apply filters").click()
        plain.get_by_role("heading", name="1 tender", exact=True).wait_for()
        assert result_titles(plain) == ["Community meals"]
        assert "suitable=vcse" in plain.url
        address = plain.url
    finally:
        context.close()
    # axe needs JavaScript: check the same server-rendered page in a browser that has it.
    page.goto(address)
    page.get_by_role("heading", name="1 tender", exact=True).wait_for()
    check_accessibility(page)
