"""New citizens and grants pages in Chromium with axe: change a draft decision, resend
invitations, add a session's materials; a grant manager puts the shortlist to a panel."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from citizens.models import PanelMembership, PanelRole
from citizens.services import decisions, sessions
from tests.browser.test_citizens import _voting_panel
from tests.browser.test_grants import login_as
from tests.grants.test_participatory_budget import at_panel

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_facilitator_changes_a_draft_resends_invitations_and_adds_materials(
        page, check_accessibility):
    panel, commissioner, facilitator, members = _voting_panel()
    PanelMembership.objects.create(
        panel=panel, role=PanelRole.MEMBER, status=PanelMembership.Status.INVITED,
        email="late@example.org", invitation_token="late-token",
        invited_at=timezone.now() - datetime.timedelta(days=3))
    draft = decisions.decision_create(actor=facilitator, panel=panel, data={
        "title": "Which service first?", "question": "Rank them", "method": "irv"},
        options=[{"label": "Youth club", "easy_read_summary": "A club."},
                 {"label": "Food van", "easy_read_summary": "A van."}])
    meeting = sessions.session_create(actor=facilitator, panel=panel, data={
        "title": "Learning session", "starts_at": timezone.now() + datetime.timedelta(days=2),
        "ends_at": timezone.now() + datetime.timedelta(days=2, hours=2), "mode": "in_person",
        "location": "County Hall", "online_link": "", "agenda": "Evidence"})
    check = check_accessibility
    page.set_default_timeout(60_000)  # the machine is shared: the first page can be slow
    page.goto("/accessibility/")
    login_as(page, facilitator)

    page.goto(f"/panels/decisions/{draft.pk}/console/")
    check(page)
    page.get_by_role("link", name="Change the draft").click()
    check(page)
    page.get_by_label("Title").fill("Which service comes first?")
    page.get_by_label("Options").fill("Youth club | A club.\nFood van | A van.\nBenches | Seats.")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("The draft is saved.").wait_for()
    check(page)
    assert page.get_by_text("Benches").count() == 1

    page.goto(f"/panels/{panel.pk}/manage/")
    page.get_by_role("button", name="Resend invitations").click()
    page.get_by_text("The invitation is sent again to 1 person").wait_for()
    check(page)

    page.goto(f"/panels/{panel.pk}/sessions/{meeting.pk}/")
    page.get_by_role("link", name="Add a material for this session").click()
    check(page)
    page.get_by_role("button", name="Add the material").click()
    page.locator(".govuk-error-summary").wait_for()
    check(page)
    page.get_by_label("Title").fill("Food bank figures")
    page.get_by_label("Summary", exact=True).fill("Who used the food bank last year.")
    page.get_by_role("button", name="Add the material").click()
    page.get_by_role("heading", name="Food bank figures").wait_for()
    check(page)


def test_a_grant_manager_puts_the_shortlist_to_a_citizens_panel(page, check_accessibility):
    from tests import factories
    from tests.grants import support

    panel, commissioner, facilitator, members = _voting_panel()
    manager = factories.with_totp(factories.member(panel.authority, "grant_manager"))
    PanelMembership.objects.create(panel=panel, user=manager, role=PanelRole.OFFICER,
                                   email=manager.email)
    round_ = support.published_round(support.programme(panel.authority, manager), manager)
    at_panel(round_, manager, [Decimal("20000"), Decimal("30000")])
    check = check_accessibility
    page.set_default_timeout(60_000)  # the machine is shared: the first page can be slow
    page.goto("/accessibility/")
    login_as(page, manager)
    page.goto(f"/grants/manage/rounds/{round_.pk}/panel/?stage=full")
    check(page)
    page.get_by_role("link", name="Ask a citizens' panel to allocate the budget").click()
    check(page)
    page.get_by_label("Budget the panel allocates").fill("999999999")
    page.get_by_role("button", name="Ask the panel").click()
    page.locator(".govuk-error-summary").wait_for()
    check(page)
    page.get_by_label("Budget the panel allocates").fill("")
    page.get_by_label(panel.title).check()
    page.get_by_role("button", name="Ask the panel").click()
    page.get_by_text("The shortlist is with the panel").wait_for()
    check(page)
    assert page.get_by_text(f"“{panel.title}” is deciding").count() == 1
