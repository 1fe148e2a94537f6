"""A commissioner delegates an evaluation question to a citizens' panel and a panel member
declares, reads the answers as Bid A and Bid B (with the commissioner's easy-read summaries) and
scores them: in Chromium, checked by axe."""

import datetime
import re
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from citizens.models import Decision, PanelMembership, PanelRole
from citizens.services import decisions
from citizens.services.panels import panel_create, panel_move
from commissioning.models import CitizensDelegation
from core.models import AuditEntry
from organisations.models import Role
from tests import factories
from tests.browser.test_journeys import expect_error_summary, sign_in
from tests.commissioning import evaluation_support as support
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXD"


def test_a_commissioner_delegates_a_question_and_a_member_scores_it(page,
                                                                   check_accessibility):
    authority = factories.AuthorityFactory(name="Northshire County Council")
    commissioner = factories.member(authority, Role.COMMISSIONER, email="asha@example.org",
                                    full_name="Asha Commissioner")
    TOTP.activate(commissioner, SECRET)
    approver = factories.with_totp(factories.member(authority, Role.AUTHORITY_ADMIN))
    tender = support.closed_tender(authority, commissioner, title="Home support service")
    criteria = support.standard_criteria(tender)
    cf.TenderQuestionFactory(tender=tender, number=2, criterion=criteria["social_value"],
                             text="How will you employ local people?")
    support.sealed_bid(tender, price="90000.00", name="Riverside Care")
    support.sealed_bid(tender, price="100000.00", name="Hillside Support")
    from commissioning.services.evaluation import evaluator_add

    evaluator_add(tender=tender, actor=commissioner,
                  user=support.staff(authority, Role.EVALUATOR), is_moderator=True)
    support.open_and_start(tender, commissioner, approver)
    support.declare(commissioner, tender)
    panel = panel_create(actor=approver, authority=authority, data={
        "title": "Care services panel", "purpose": "Help choose care providers.",
        "remit": "Score delegated tender questions.", "feeds_decision": "Home care",
        "size": 4, "term_start": datetime.date(2027, 1, 1),
        "term_end": datetime.date(2027, 6, 30), "is_young": False, "retention_days": 90,
        "session_quorum": 0, "honorarium_per_session": Decimal("0"),
        "expenses_cap_per_session": Decimal("0")})
    members = [factories.CitizenFactory(full_name=f"Member {n}") for n in range(2)]
    for member in members:
        PanelMembership.objects.create(panel=panel, user=member, role=PanelRole.MEMBER,
                                       status=PanelMembership.Status.ACTIVE, email=member.email)
    for name in ("start_learning", "start_deliberation"):
        panel_move(actor=approver, panel=panel, name=name, reason="test")

    check = check_accessibility
    page.set_default_timeout(60_000)  # the machine is shared: the first page can be slow
    sign_in(page, check, commissioner.email, secret=SECRET)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto(f"/tenders/{tender.pk}/evaluation/")
    check(page)
    page.get_by_role("button", name="Delegate to the panel").click()
    expect_error_summary(page)
    check(page)
    page.get_by_label(re.compile("Question 2: How will you employ local people")).check()
    page.get_by_label("Citizens' panel").select_option(label="Care services panel")
    page.get_by_role("button", name="Delegate to the panel").click()
    page.get_by_text("The questions are with the citizens' panel").wait_for()
    check(page)
    assert page.get_by_text("With the citizens' panel Care services panel").count() == 1
    # Easy-read summaries of the answers, written before the vote opens.
    page.get_by_role("link", name=re.compile("Write easy-read summaries")).click()
    page.get_by_role("heading", name=re.compile("Easy-read summaries for")).wait_for()
    check(page)
    page.get_by_label(re.compile("Bid A, question 2: easy-read summary")).fill(
        "They will employ 12 local people.")
    page.get_by_role("button", name="Save summaries").click()
    page.get_by_text("Summaries saved: 1 of 2 answers have one.").wait_for()
    check(page)
    # Taking the question back asks why first (not done here).
    page.get_by_role("link", name=re.compile("Take the question back")).click()
    page.get_by_role("heading", name=re.compile("Take question 2 back")).wait_for()
    check(page)
    page.get_by_role("button", name="Take the question back").click()
    expect_error_summary(page)
    check(page)
    assert CitizensDelegation.objects.get().status == CitizensDelegation.Status.WITH_PANEL

    delegation = CitizensDelegation.objects.get()
    decision = decisions.decision_open(actor=approver,
                                       decision=Decision.objects.get(pk=delegation.decision_id))
    page.context.clear_cookies()
    sign_in(page, check, members[0].email)
    page.goto(f"/panels/decisions/{decision.pk}/vote/")
    check(page)
    page.get_by_role("link", name="Read what you are deciding on").click()
    page.get_by_role("heading", name=re.compile("Answers to score")).wait_for()
    check(page)
    page.get_by_role("button", name="Make declaration").click()
    expect_error_summary(page)
    check(page)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Make declaration").click()
    page.get_by_role("heading", name="Bid A").wait_for()
    check(page)
    content = page.content()
    assert "Our answer to question 2" in content and "Our answer to question 1" not in content
    assert "Riverside" not in content and "Hillside" not in content
    assert "They will employ 12 local people." in content and "In short" in content
    assert AuditEntry.objects.filter(action="bid.content_viewed",
                                     actor_id=members[0].pk).count() == 2
    page.get_by_role("link", name="give your scores on the vote page").click()
    for option in decision.options.all():
        page.get_by_role("group", name=re.compile(option.label)).get_by_label(
            "7", exact=True).check()
    page.get_by_role("button", name="Cast my vote").click()
    page.get_by_role("heading", name="Your vote is counted").wait_for()
    check(page)
