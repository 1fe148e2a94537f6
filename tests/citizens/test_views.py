"""Pages and the permission matrix: who sees and does what, across every role and outsider."""

import pytest
from django.urls import reverse

from citizens.models import Ballot, Decision, ExpenseClaim
from citizens.services import decisions as decision_services
from citizens.services import sessions as session_services
from tests.citizens.conftest import move_to
from tests.citizens.test_decisions import ids, make

ROLES = ["member", "young_member", "facilitator", "officer", "observer", "other_panel_member",
         "citizen", "other_authority_staff", "anonymous"]


@pytest.fixture
def people(request, member, young_member, facilitator, officer, observer, other_panel_member,
           citizen, other_authority_staff):
    return {"member": member, "young_member": young_member, "facilitator": facilitator,
            "officer": officer, "observer": observer, "other_panel_member": other_panel_member,
            "citizen": citizen, "other_authority_staff": other_authority_staff,
            "anonymous": None}


def as_(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client


def status(client, person, url, method="get", data=None):
    response = getattr(as_(client, person), method)(url, data or {})
    if response.status_code == 302 and "/accounts/" in response["Location"]:
        return "login"
    return response.status_code


SPACE = {"member": 200, "young_member": 200, "facilitator": 200, "officer": 200,
         "observer": 200, "other_panel_member": 404, "citizen": 404,
         "other_authority_staff": 404, "anonymous": "login"}
MANAGE = {**SPACE, "member": 403, "young_member": 403, "observer": 403}


@pytest.mark.parametrize("role", ROLES)
def test_panel_space_and_management_matrix(client, people, panel, role):
    person = people[role]
    assert status(client, person, reverse("citizens:space", args=[panel.pk])) == SPACE[role]
    assert status(client, person, reverse("citizens:manage", args=[panel.pk])) == MANAGE[role]
    assert status(client, person, reverse("citizens:quotas", args=[panel.pk])) == MANAGE[role]
    # the public page is public
    assert status(client, person, reverse("citizens:panel_public", args=[panel.pk])) == 200


@pytest.mark.parametrize("role", ROLES)
def test_voting_matrix_and_no_early_results(client, people, panel, officer, members, role):
    move_to(panel, officer, "start_learning", "start_voting")
    decision = decision_services.decision_open(actor=officer, decision=make(panel, officer))
    person = people[role]
    url = reverse("citizens:vote", args=[decision.pk])
    ranking = {f"rank_{oid}": str(i + 1) for i, oid in enumerate(ids(decision))}
    before = Ballot.objects.count()
    status(client, person, url, "post", ranking)
    voted = Ballot.objects.count() - before
    assert voted == (1 if role in ("member", "young_member") else 0)
    # nobody, however placed, sees results before close
    assert status(client, person, reverse("citizens:results", args=[decision.pk])) in (
        403, 404, "login")
    assert status(client, person, reverse("citizens:export", args=[decision.pk])) in (
        403, 404, "login")
    console = status(client, person, reverse("citizens:console", args=[decision.pk]))
    assert console == MANAGE[role]


def test_vote_page_shows_the_receipt_once_and_blocks_a_second_vote(client, panel, officer,
                                                                   members, member):
    move_to(panel, officer, "start_learning", "start_voting")
    decision = decision_services.decision_open(actor=officer, decision=make(
        panel, officer, method="consent",
        options=[{"label": "Adopt", "easy_read_summary": "Yes?"}]))
    client.force_login(member)
    url = reverse("citizens:vote", args=[decision.pk])
    response = client.post(url, {"choice": "agree"}, follow=True)
    token = Ballot.objects.get(decision=decision).token
    assert token in response.content.decode()
    again = client.get(url).content.decode()
    assert token not in again and "You have voted" in again
    assert Ballot.objects.filter(decision=decision).count() == 1


def test_results_are_public_after_close_with_configuration(client, panel, officer, members):
    move_to(panel, officer, "start_learning", "start_voting")
    decision = decision_services.decision_open(actor=officer, decision=make(panel, officer))
    for voter in members:
        decision_services.ballot_cast(actor=voter, decision=decision,
                                      content={"ranking": ids(decision)})
    decision_services.decision_close(actor=officer, decision=decision)
    client.logout()
    page = client.get(reverse("citizens:results", args=[decision.pk])).content.decode()
    assert "Alpha" in page and "Configuration SHA-256" in page
    export = client.get(reverse("citizens:export", args=[decision.pk]))
    assert export.status_code == 200 and export.json()["result"]["winners"]


def test_claims_matrix_and_payment_csv(client, panel, officer, facilitator, member, members):
    import datetime

    from django.utils import timezone

    session = session_services.session_create(actor=facilitator, panel=panel, data={
        "title": "Session 1", "starts_at": timezone.now() + datetime.timedelta(days=1),
        "ends_at": timezone.now() + datetime.timedelta(days=1, hours=2), "mode": "online",
        "location": "", "online_link": "https://meet.example.org/a", "agenda": "Intro"})
    session_services.attendance_record(actor=facilitator, session=session, statuses={
        m.pk: "present" for m in panel.memberships.filter(role="member")})
    client.force_login(member)
    response = client.post(reverse("citizens:claim_new", args=[panel.pk, session.pk]), {
        "kind": "honorarium", "amount": "50.00", "account_name": "A Member",
        "sort_code": "30-94-57", "account_number": "12345678"})
    assert response.status_code == 302
    claim = ExpenseClaim.objects.get()
    assert b"12345678" not in bytes(claim.bank_details)
    # a member cannot approve; the officer can
    assert status(client, member, reverse("citizens:claim_decide", args=[panel.pk, claim.pk]),
                  "post", {"action": "approve"}) == 403
    status(client, officer, reverse("citizens:claim_decide", args=[panel.pk, claim.pk]), "post",
           {"action": "approve"})
    status(client, officer, reverse("citizens:payment_run_new", args=[panel.pk]), "post")
    run = panel.payment_runs.get()
    csv_text = as_(client, officer).get(
        reverse("citizens:payment_run_csv", args=[panel.pk, run.pk])).content.decode()
    assert "12345678" in csv_text and "50.00" in csv_text
    assert status(client, member, reverse("citizens:payment_run_csv",
                                          args=[panel.pk, run.pk])) == 403


def test_list_pages_query_count_is_constant(client, commissioner, authority):
    from citizens.services.panels import panel_create
    from tests.citizens.conftest import panel_data

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("citizens:panel_list"))
        return len(ctx.captured_queries)

    panel_create(actor=commissioner, authority=authority, data=panel_data())
    few = count()
    for n in range(12):
        panel_create(actor=commissioner, authority=authority, data=panel_data(title=f"P{n}"))
    assert count() == few


def test_decision_draft_is_hidden_from_members(client, panel, officer, member):
    decision = make(panel, officer)
    assert decision.status == Decision.Status.DRAFT
    assert status(client, member, reverse("citizens:vote", args=[decision.pk])) == 404


def test_registration_is_rate_limited_per_address(client, panel, commissioner):
    from citizens.services import recruitment
    from citizens.services.panels import panel_set_registration
    from citizens.views.public import REGISTRATIONS_PER_HOUR
    from tests.citizens.test_recruitment_selection import QUOTAS

    recruitment.quotas_replace(actor=commissioner, panel=panel, rows=QUOTAS)
    panel_set_registration(actor=commissioner, panel=panel, open_=True)
    url = reverse("citizens:register", args=[panel.pk])
    codes = [client.post(url, {}).status_code for _ in range(REGISTRATIONS_PER_HOUR + 1)]
    assert codes[:-1] == [200] * REGISTRATIONS_PER_HOUR and codes[-1] == 429


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_claims_thread_and_moderation_pages_cost_the_same_whatever_the_rows(
        client, panel, officer, facilitator, members):
    import datetime

    from django.utils import timezone

    from citizens.models import Attendance, PanelSession, Post, Thread

    meeting = PanelSession.objects.create(
        panel=panel, title="S", starts_at=timezone.now(), mode="online", agenda="-",
        ends_at=timezone.now() + datetime.timedelta(hours=1))
    memberships = list(panel.memberships.filter(role="member"))
    thread = Thread.objects.create(panel=panel, title="T", started_by=members[0])

    def add(n):
        for i in range(n):
            membership = memberships[i % len(memberships)]
            Attendance.objects.get_or_create(session=meeting, membership=membership,
                                             defaults={"status": "present",
                                                       "recorded_by": officer})
            kind = "expenses" if ExpenseClaim.objects.filter(
                session=meeting, membership=membership).exists() else "honorarium"
            if not ExpenseClaim.objects.filter(session=meeting, membership=membership,
                                               kind=kind).exists():
                ExpenseClaim.objects.create(session=meeting, membership=membership, kind=kind,
                                            amount=1, bank_details=b"x",
                                            account_last_digits="1234")
            Post.objects.create(thread=thread, author=membership.user,
                                author_membership=membership, body="hello")
            Post.objects.create(thread=thread, author=membership.user, body="held",
                                author_membership=membership, status=Post.Status.PENDING)

    client.force_login(officer)
    urls = [reverse("citizens:claims", args=[panel.pk]),
            reverse("citizens:thread", args=[panel.pk, thread.pk]),
            reverse("citizens:moderation", args=[panel.pk])]
    add(2)
    _queries(client, urls[0])  # the first request of a session loads it and warms caches
    few = [_queries(client, url) for url in urls]
    add(8)
    assert [_queries(client, url) for url in urls] == few
