"""A citizens' panel allocates a round's budget: the shortlist goes out as a budget vote through
the citizens app's services, and the declared allocation comes back as the round's panel
decisions, each carrying the panel's recommendation and approved by a second manager."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from citizens.models import DecisionOption, PanelMembership, PanelRole
from citizens.services import decisions as citizen_decisions
from citizens.services.panels import panel_create, panel_move
from core.models import AuditEntry
from grants.models import Round
from grants.selectors.participatory import vote_status
from grants.services import applications as apps
from grants.services import assessment
from grants.services.participatory import budget_vote_apply, budget_vote_request
from grants.services.programmes import round_move
from tests import factories
from tests.grants import support

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def at_panel(round_, manager, amounts):
    applications = []
    for amount in amounts:
        org, user = support.applicant()
        application = apps.application_start(actor=user, round_=round_, organisation=org)
        support.fill(application, user, amount=Decimal(amount))
        apps.application_submit(actor=user, application=application)
        apps.application_screen(actor=manager, application=application, eligible=True)
        applications.append(application)
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(opens_at=now - 60 * DAY, closes_at=now - 20 * DAY)
    round_.refresh_from_db()
    round_move(actor=manager, round_=round_, name="start_assessment")
    round_move(actor=manager, round_=round_, name="to_panel")
    round_.refresh_from_db()
    return applications


@pytest.fixture
def citizens_panel(authority, manager):
    """A panel of the same authority, the grant manager appointed as its officer."""
    staff = factories.with_totp(factories.member(authority, "commissioner"))
    panel = panel_create(actor=staff, authority=authority, data={
        "title": "Neighbourhood budget panel", "purpose": "Share the community pot.",
        "remit": "Allocate grants.", "feeds_decision": "Community grants", "size": 4,
        "term_start": datetime.date(2027, 1, 1), "term_end": datetime.date(2027, 6, 30),
        "is_young": False, "retention_days": 90, "session_quorum": 0,
        "honorarium_per_session": Decimal("0"), "expenses_cap_per_session": Decimal("0")})
    PanelMembership.objects.create(panel=panel, user=manager, role=PanelRole.OFFICER,
                                   status=PanelMembership.Status.ACTIVE, email=manager.email)
    voters = [factories.CitizenFactory() for _ in range(3)]
    for voter in voters:
        PanelMembership.objects.create(panel=panel, user=voter, role=PanelRole.MEMBER,
                                       status=PanelMembership.Status.ACTIVE, email=voter.email)
    for name in ("start_learning", "start_voting"):
        panel_move(actor=staff, panel=panel, name=name, reason="test")
    panel.refresh_from_db()
    manager.__dict__.pop("_citizens_panel_roles", None)
    return panel, staff, voters


def test_the_panels_allocation_becomes_the_rounds_decisions(open_round, manager, second_manager,
                                                           citizens_panel):
    panel, staff, voters = citizens_panel
    first, second, third = at_panel(open_round, manager, ["20000", "30000", "25000"])
    decision_id = budget_vote_request(actor=manager, round_=open_round, panel=panel,
                                      budget=Decimal("50000"))
    options = {o.reference: o for o in DecisionOption.objects.filter(decision_id=decision_id)}
    # The panel sees a label, a plain summary and the cost: never the application itself.
    assert len(options) == 3
    assert all(o.reference.startswith("grant-application-") for o in options.values())
    assert {o.cost for o in options.values()} == {Decimal("20000"), Decimal("30000"),
                                                  Decimal("25000")}
    assert all("asks for £" in o.easy_read_summary for o in options.values())
    with pytest.raises(ValidationError, match="already deciding"):
        budget_vote_request(actor=manager, round_=open_round, panel=panel)
    with pytest.raises(ValidationError, match="not declared"):
        budget_vote_apply(actor=manager, round_=open_round)

    decision = citizen_decisions.decision_open(
        actor=staff, decision=citizen_decisions.Decision.objects.get(pk=decision_id))
    pk_of = {o.reference: str(o.pk) for o in options.values()}
    ref = {a.pk: f"grant-application-{a.pk}" for a in (first, second, third)}
    # Everyone approves the first; two of three the second; one the third.
    approvals = [[ref[first.pk], ref[second.pk]], [ref[first.pk], ref[second.pk]],
                 [ref[first.pk], ref[third.pk]]]
    for voter, chosen in zip(voters, approvals, strict=True):
        citizen_decisions.ballot_cast(actor=voter, decision=decision,
                                      content={"approved": [pk_of[r] for r in chosen]})
    citizen_decisions.decision_close(actor=staff, decision=decision)
    status = vote_status(round_=open_round)
    assert status["status"] == "closed"
    assert [w["reference"] for w in status["result"]["winners"]] == [ref[first.pk],
                                                                     ref[second.pk]]

    recorded = {d.application_id: d for d in budget_vote_apply(actor=manager,
                                                               round_=open_round)}
    assert recorded[first.pk].outcome == "fund" and recorded[first.pk].amount == Decimal("20000")
    assert recorded[second.pk].outcome == "fund" and recorded[second.pk].amount == Decimal(
        "30000")
    assert recorded[third.pk].outcome == "reject" and recorded[third.pk].amount is None
    assert recorded[first.pk].external_recommendation["decision_id"] == decision_id
    assert "Neighbourhood budget panel" in recorded[third.pk].external_recommendation["source"]
    assert AuditEntry.objects.filter(action="grant_round.citizens_vote_applied").count() == 1
    # Four eyes still hold: the manager who recorded them cannot approve them.
    with pytest.raises(ValidationError):
        assessment.decision_approve(actor=manager, decision=recorded[first.pk])
    assessment.decision_approve(actor=second_manager, decision=recorded[first.pk])
    first.refresh_from_db()
    assert first.status == "successful"


def test_only_a_manager_who_runs_the_panel_can_put_the_budget_to_it(
        open_round, manager, other_staff, citizens_panel, authority):
    panel, staff, voters = citizens_panel
    at_panel(open_round, manager, ["20000", "30000"])
    with pytest.raises(PermissionDenied):
        budget_vote_request(actor=other_staff, round_=open_round, panel=panel)
    outsider = factories.with_totp(factories.member(authority, "grant_manager"))
    with pytest.raises(PermissionDenied):  # a grant manager who is not the panel's officer
        budget_vote_request(actor=outsider, round_=open_round, panel=panel)
    with pytest.raises(ValidationError, match="at most"):
        budget_vote_request(actor=manager, round_=open_round, panel=panel,
                            budget=open_round.budget * 2)


def test_a_round_not_at_panel_cannot_be_put_to_citizens(open_round, manager, citizens_panel):
    panel, _, _ = citizens_panel
    with pytest.raises(ValidationError, match="Send the round to panel"):
        budget_vote_request(actor=manager, round_=open_round, panel=panel)


def test_the_request_page_lists_the_panels_and_sends_the_shortlist(client, open_round, manager,
                                                                   citizens_panel):
    panel, _, _ = citizens_panel
    at_panel(open_round, manager, ["20000", "30000"])
    client.force_login(manager)
    url = reverse("grants:citizens_vote_request", args=[open_round.pk])
    page = client.get(url)
    assert page.status_code == 200 and panel.title in page.content.decode()
    assert client.post(url, {"panel": "junk"}).status_code == 400
    done = client.post(url, {"panel": panel.pk, "budget": ""})
    assert done.status_code == 302
    assert vote_status(round_=open_round)["panel_id"] == panel.pk
    pack = client.get(reverse("grants:panel_pack", args=[open_round.pk]) + "?stage=full")
    assert "Neighbourhood budget panel" in pack.content.decode()
