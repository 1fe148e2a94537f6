"""Citizen panels in Chromium, axe on every page: register interest, be drawn, confirm,
attend and claim, vote with each method, see results; the facilitator runs the draw and
opens and closes votes."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from citizens.models import PanelMembership, PanelRole, SelectionRun
from citizens.services import decisions, panels, recruitment, selection, sessions
from tests import factories
from tests.browser.test_journeys import expect_error_summary, sign_in
from tests.citizens.conftest import panel_data

pytestmark = pytest.mark.django_db(transaction=True)

QUOTAS = [("gender", "Gender", "woman", "Woman", 2, 2), ("gender", "Gender", "man", "Man", 2, 2)]


def _panel(**overrides):
    authority = factories.AuthorityFactory(name="Northby Council")
    commissioner = factories.with_totp(factories.member(authority, "commissioner"))
    panel = panels.panel_create(actor=commissioner, authority=authority,
                                data=panel_data(size=4, **overrides))
    facilitator = factories.UserFactory(full_name="Fiona Facilitator")
    panels.membership_appoint(actor=commissioner, panel=panel, user=facilitator,
                              role=PanelRole.FACILITATOR)
    recruitment.quotas_replace(actor=commissioner, panel=panel, rows=[
        {"feature": f, "feature_label": fl, "value": v, "value_label": vl, "minimum": lo,
         "maximum": hi} for f, fl, v, vl, lo, hi in QUOTAS])
    panels.panel_set_registration(actor=commissioner, panel=panel, open_=True)
    return panel, commissioner, facilitator


def _volunteer(panel, n, **extra):
    return recruitment.pool_register(panel=panel, person={
        "full_name": f"Volunteer {n}", "email": f"volunteer{n}@example.org",
        "address_line_1": f"{n} Park Road", "postcode": "LS6 2AB",
        "age_band": "14-15" if panel.is_young else "35-44",
        "gender": "woman" if n % 2 else "man", "consent_selection": True,
        "consent_contact": True, **extra}).entry


def test_a_resident_registers_interest(page, check_accessibility):
    panel, _, _ = _panel()
    check = check_accessibility
    page.goto("/panels/")
    check(page)
    page.get_by_role("link", name=panel.title).click()
    check(page)
    page.get_by_role("button", name="Volunteer for the pool").click()
    check(page)
    page.get_by_role("button", name="Join the pool").click()
    expect_error_summary(page)
    check(page)
    page.get_by_label("Full name").fill("Rosa Martin")
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_label("First line of your address").fill("12 Mill Lane")
    page.get_by_label("Postcode").fill("ls6 2ab")
    page.get_by_label("35 to 44").check()
    page.get_by_label("Woman").check()
    page.get_by_label(re.compile("^Use my answers")).check()
    page.get_by_label(re.compile("^Contact me")).check()
    page.get_by_role("button", name="Join the pool").click()
    page.get_by_role("heading", name="You are in the pool").wait_for()
    check(page)
    assert panel.pool_entries.get().email == "rosa@example.org"
    page.goto(f"/panels/{panel.pk}/fairness/")
    check(page)


def test_the_facilitator_draws_the_panel_and_a_member_confirms(page, check_accessibility):
    panel, _, facilitator = _panel()
    for n in range(1, 9):
        _volunteer(panel, n)
    check = check_accessibility
    sign_in(page, check, facilitator.email)
    page.goto(f"/panels/{panel.pk}/manage/")
    check(page)
    page.get_by_role("link", name="Features and quotas").click()
    check(page)
    page.goto(f"/panels/{panel.pk}/manage/import/")
    check(page)
    page.goto(f"/panels/{panel.pk}/manage/")
    page.get_by_role("button", name="Freeze the pool for a draw").click()
    page.get_by_role("heading", name="Initial selection").wait_for()
    check(page)
    page.get_by_label("Number from the public draw").fill("4242")
    page.get_by_label(re.compile("How it was drawn")).fill("Two dice, witnessed by the chair")
    page.get_by_role("button", name="Run the draw").click()
    page.get_by_text("Refresh to see progress").wait_for()
    check(page)
    run = SelectionRun.objects.get(panel=panel)
    selection.selection_execute(run_id=run.pk)  # what the worker does
    page.get_by_role("link", name="Refresh to see progress").click()
    page.get_by_text("The algorithm that ran was").wait_for()
    assert "maximin" in page.content()
    check(page)
    page.get_by_role("link", name="Public fairness report").click()
    check(page)
    assert "Targets against what was achieved" in page.content()

    invitation = PanelMembership.objects.filter(panel=panel, status="invited").first()
    resident = factories.CitizenFactory(full_name="Rosa Martin")
    page.context.clear_cookies()
    sign_in(page, check, resident.email)
    page.goto(f"/panels/invitation/{invitation.invitation_token}/")
    check(page)
    page.get_by_label("Yes, I accept my place").check()
    page.get_by_role("button", name="Send my answer").click()
    page.get_by_role("heading", name="Your place is confirmed").wait_for()
    check(page)
    page.get_by_role("link", name="Go to the panel space").click()
    check(page)


def _voting_panel():
    panel, commissioner, facilitator = _panel()
    members = [factories.CitizenFactory(full_name=f"Member {n}") for n in range(3)]
    for person in members:
        PanelMembership.objects.create(panel=panel, user=person, role=PanelRole.MEMBER,
                                       email=person.email)
    panels.panel_move(actor=facilitator, panel=panel, name="start_learning")
    panels.panel_move(actor=facilitator, panel=panel, name="start_voting")
    return panel, commissioner, facilitator, members


OPTIONS = [{"label": label, "easy_read_summary": f"{label}, said simply.",
            "cost": Decimal(cost)} for label, cost in (("Youth club", "40000"),
                                                       ("Food van", "30000"),
                                                       ("Park benches", "10000"))]
BALLOTS = {
    "consent": lambda p: p.get_by_label("Agree", exact=True).check(),
    "approval": lambda p: p.get_by_label("Youth club (£40,000)").check(),
    "budget": lambda p: p.get_by_label("Food van (£30,000)").check(),
    "irv": lambda p: p.get_by_label("Food van").select_option("1"),
    "stv": lambda p: p.get_by_label("Park benches").select_option("1"),
}


def test_members_vote_with_each_method_and_see_results(page, check_accessibility):
    panel, commissioner, facilitator, members = _voting_panel()
    made = {}
    for method in ("consent", "approval", "irv", "stv", "score", "budget"):
        data = {"title": f"The {method} decision", "question": "What should we do?",
                "method": method, "quorum_percent": 30, "threshold_percent": 0,
                "seats": 2 if method == "stv" else 1, "budget": Decimal("50000")}
        options = OPTIONS[:1] if method == "consent" else OPTIONS
        made[method] = decisions.decision_create(
            actor=facilitator, panel=panel, data=data, options=options,
            criteria=[{"label": "Meets needs", "weight": 2}] if method == "score" else None)
    check = check_accessibility
    sign_in(page, check, facilitator.email)
    page.goto(f"/panels/decisions/{made['consent'].pk}/console/")
    check(page)
    for decision in made.values():
        page.goto(f"/panels/decisions/{decision.pk}/console/")
        page.get_by_role("button", name="Open voting").click()
        page.get_by_text("have voted").wait_for()
    check(page)

    page.context.clear_cookies()
    sign_in(page, check, members[0].email)
    page.goto(f"/panels/{panel.pk}/space/")
    check(page)
    for method, decision in made.items():
        page.goto(f"/panels/decisions/{decision.pk}/vote/")
        check(page)
        if method == "score":
            for option in decision.options.all():
                page.get_by_role("group", name=re.compile(option.label)).get_by_label(
                    "4", exact=True).check()
        else:
            BALLOTS[method](page)
        page.get_by_role("button", name="Cast my vote").click()
        page.get_by_role("heading", name="Your vote is counted").wait_for()
        check(page)
        # no result shows while voting is open
        assert page.goto(f"/panels/decisions/{decision.pk}/results/").status == 403

    page.context.clear_cookies()
    sign_in(page, check, facilitator.email)
    for decision in made.values():
        page.goto(f"/panels/decisions/{decision.pk}/console/")
        page.get_by_role("button", name="Close voting and declare the result").click()
        page.get_by_role("heading", name="The rules of this vote").wait_for()
    check(page)
    page.context.clear_cookies()
    for decision in made.values():
        page.goto(f"/panels/decisions/{decision.pk}/results/")
        page.get_by_role("heading", name=decision.title).wait_for()
        check(page)
    assert "Not quorate" not in page.content()


def test_sessions_attendance_claims_threads_and_paper_ballots(page, check_accessibility):
    panel, commissioner, facilitator, members = _voting_panel()
    meeting = sessions.session_create(actor=facilitator, panel=panel, data={
        "title": "First session", "starts_at": timezone.now() - datetime.timedelta(hours=3),
        "ends_at": timezone.now() - datetime.timedelta(hours=1), "mode": "in_person",
        "location": "County Hall", "online_link": "", "agenda": "Welcome"})
    check = check_accessibility
    sign_in(page, check, facilitator.email)
    page.goto(f"/panels/{panel.pk}/sessions/{meeting.pk}/")
    check(page)
    for group in page.get_by_role("group").all():
        group.get_by_label("Attended").check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance is recorded.").wait_for()
    check(page)
    page.goto(f"/panels/{panel.pk}/sessions/new/")
    check(page)
    page.goto(f"/panels/{panel.pk}/materials/new/")
    check(page)
    page.goto(f"/panels/{panel.pk}/manage/decisions/new/")
    check(page)
    decision = decisions.decision_open(actor=facilitator, decision=decisions.decision_create(
        actor=facilitator, panel=panel, options=OPTIONS[:1], data={
            "title": "Paper consent", "question": "?", "method": "consent"}))
    page.goto(f"/panels/{panel.pk}/moderation/")
    check(page)

    page.context.clear_cookies()
    sign_in(page, check, members[0].email)
    page.goto("/dashboard/")
    page.get_by_role("heading", name="Citizens' panels").wait_for()
    check(page)
    page.goto(f"/panels/{panel.pk}/sessions/{meeting.pk}/")
    page.get_by_role("link", name=re.compile("Claim expenses")).click()
    check(page)
    page.get_by_label("Honorarium for taking part").check()
    page.get_by_label("Amount (£)").fill("50")
    page.get_by_label("Name on the account").fill("Member Zero")
    page.get_by_label("Sort code").fill("30-94-57")
    page.get_by_label("Account number").fill("12345678")
    page.get_by_role("button", name="Send the claim").click()
    page.get_by_role("heading", name="Expenses and honoraria").wait_for()
    check(page)
    page.goto(f"/panels/{panel.pk}/threads/new/")
    check(page)
    page.get_by_label("Title").fill("Reaching villages")
    page.get_by_label("Your message").fill("How do people in villages get there?")
    page.get_by_role("button", name="Post").click()
    page.get_by_role("heading", name="Reaching villages").wait_for()
    check(page)

    page.context.clear_cookies()
    sign_in(page, check, commissioner.email, secret=_totp(commissioner))
    page.goto(f"/panels/{panel.pk}/claims/")
    check(page)
    page.goto(f"/panels/decisions/{decision.pk}/paper/")
    check(page)
    page.goto("/panels/manage/")
    check(page)
    page.get_by_role("button", name="Create a panel").click()
    check(page)
    decisions.decision_close(actor=facilitator, decision=decision)
    page.goto(f"/panels/decisions/{decision.pk}/respond/")
    check(page)
    page.get_by_label("Accepted in part").check()
    page.get_by_label("Response").fill("We will go to market with changes.")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("We will go to market with changes.").wait_for()
    assert "Not quorate" in page.content()
    check(page)


def _totp(user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    Authenticator.objects.filter(user=user).delete()
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    return secret


def test_a_guardian_consents_for_a_young_commissioner(page, check_accessibility):
    panel, commissioner, facilitator = _panel(is_young=True)
    membership = PanelMembership.objects.create(
        panel=panel, role=PanelRole.YOUNG_MEMBER, status=PanelMembership.Status.AWAITING_GUARDIAN,
        user=factories.UserFactory(), guardian_token="t0ken-for-test",
        guardian_email="parent@example.org")
    page.goto("/panels/guardian/t0ken-for-test/")
    check_accessibility(page)
    page.get_by_label("Your full name").fill("Pat Parent")
    page.get_by_label("I agree to them taking part").check()
    page.get_by_role("button", name="Send my answer").click()
    page.get_by_role("heading", name=re.compile("they can now take part")).wait_for()
    check_accessibility(page)
    membership.refresh_from_db()
    assert membership.status != PanelMembership.Status.AWAITING_GUARDIAN
    assert membership.guardian_name == "Pat Parent"
    # The link is spent: it cannot be used a second time.
    assert membership.guardian_token == ""
