"""Decisions: frozen configuration, secrecy by construction, no early results, paper ballots,
quorum at close, the recount export and the API other apps call."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import models as django_models

from accounts.models import User
from citizens.models import Ballot, Decision, VoterRollEntry
from citizens.selectors.decisions import (
    decision_result,
    export_document,
    result_for_user,
    turnout,
)
from citizens.services import decisions as services
from citizens.tally.run import tally
from core.models import AuditEntry, Notification
from tests.citizens.conftest import move_to, second_officer


def make(panel, actor, method="irv", options=None, **data):
    options = options or [{"label": label, "easy_read_summary": f"{label} in short",
                           "reference": f"ref-{label}"} for label in ("Alpha", "Beta", "Gamma")]
    base = {"title": f"{method} decision", "question": "Which?", "method": method,
            "quorum_percent": 50, "threshold_percent": 50}
    base.update(data)
    return services.decision_create(actor=actor, panel=panel, data=base, options=options)


@pytest.fixture
def voting_panel(panel, officer, members):
    return move_to(panel, officer, "start_learning", "start_voting")


def ids(decision):
    return [str(pk) for pk in decision.options.values_list("pk", flat=True)]


def test_open_freezes_configuration_and_draws_up_the_roll(voting_panel, officer, members):
    decision = services.decision_open(actor=officer, decision=make(voting_panel, officer))
    assert decision.config["method"] == "irv"
    assert [o["label"] for o in decision.config["options"]] == ["Alpha", "Beta", "Gamma"]
    assert sorted(decision.config["tie_break"]["order"]) == sorted(ids(decision))
    assert len(decision.config_hash) == 64
    assert decision.roll.count() == 4
    # later edits to the row do not change the frozen count
    decision.options.update(label="Changed")
    assert decision.config["options"][0]["label"] == "Alpha"
    with pytest.raises(ValidationError):
        services.decision_open(actor=officer, decision=decision)


def test_votes_are_secret_by_construction(voting_panel, officer, members):
    decision = services.decision_open(actor=officer, decision=make(voting_panel, officer))
    first = ids(decision)
    for n, voter in enumerate(members[:3]):
        services.ballot_cast(actor=voter, decision=decision,
                             content={"ranking": first[n:] + first[:n]})
    # 1. No field of a ballot points at a person, the roll or a time.
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "decision", "token", "content", "channel", "named"}
    for field in fields.values():
        related = getattr(field, "related_model", None)
        assert related not in (User, VoterRollEntry)
        assert not isinstance(field, django_models.DateField | django_models.DateTimeField)
    # 2. The roll has no link to a ballot and only the day someone voted.
    roll_fields = {f.name for f in VoterRollEntry._meta.get_fields()}
    assert roll_fields == {"id", "decision", "user", "has_voted", "channel", "voted_on"}
    # 3. Ballot keys are random UUIDs, so their order is not the order of voting.
    assert all(b.pk.version == 4 for b in Ballot.objects.all())
    assert not decision.named_votes.exists()
    # 4. Neither the audit log nor a notification carries a receipt or a choice.
    receipts = set(Ballot.objects.values_list("token", flat=True))
    logged = json.dumps(list(AuditEntry.objects.values("summary", "changes")))
    notices = json.dumps(list(Notification.objects.values("subject", "body")))
    assert not any(r in logged or r in notices for r in receipts)


def test_each_voter_votes_once_and_only_the_roll_votes(voting_panel, officer, member,
                                                       observer, facilitator):
    decision = services.decision_open(actor=officer, decision=make(voting_panel, officer))
    services.ballot_cast(actor=member, decision=decision, content={"ranking": ids(decision)})
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=member, decision=decision, content={"ranking": ids(decision)})
    for outsider in (observer, facilitator, officer):
        with pytest.raises(PermissionDenied):
            services.ballot_cast(actor=outsider, decision=decision,
                                 content={"ranking": ids(decision)})


def test_ballots_are_validated_against_the_frozen_configuration(voting_panel, officer, member):
    decision = services.decision_open(actor=officer, decision=make(
        voting_panel, officer, method="approval", min_choices=1, max_choices=2))
    for bad in ({"approved": []}, {"approved": ids(decision)}, {"approved": ["999"]},
                {"ranking": ids(decision)}):
        with pytest.raises(ValidationError):
            services.ballot_cast(actor=member, decision=decision, content=bad)
    services.ballot_cast(actor=member, decision=decision, content={"approved": ids(decision)[:2]})


def test_results_do_not_leak_before_close(voting_panel, officer, members, facilitator):
    decision = services.decision_open(actor=officer, decision=make(voting_panel, officer))
    services.ballot_cast(actor=members[0], decision=decision, content={"ranking": ids(decision)})
    for person in (*members, facilitator, officer):
        assert result_for_user(decision=decision, user=person) is None
    assert decision_result(decision_id=decision.pk) is None
    with pytest.raises(PermissionDenied):
        export_document(decision=decision)
    assert turnout(decision=decision).voted == 1  # turnout is known, the choices are not
    labels = ("Alpha", "Beta", "Gamma")
    for notice in Notification.objects.all():
        assert not any(label in notice.body for label in labels)


def test_live_results_only_inside_the_panel_when_configured(voting_panel, officer, members,
                                                            other_panel_member):
    decision = services.decision_open(actor=officer, decision=make(
        voting_panel, officer, results_visibility=Decision.Visibility.LIVE))
    services.ballot_cast(actor=members[0], decision=decision, content={"ranking": ids(decision)})
    assert result_for_user(decision=decision, user=members[1])["ballots"] == 1
    assert result_for_user(decision=decision, user=other_panel_member) is None


def close_with(panel, officer, members, method, contents, **data):
    decision = services.decision_open(actor=officer, decision=make(panel, officer,
                                                                   method=method, **data))
    option_ids = ids(decision)
    for voter, content in zip(members, contents, strict=False):
        services.ballot_cast(actor=voter, decision=decision, content=content(option_ids))
    return services.decision_close(actor=officer, decision=decision)


def test_quorum_is_applied_at_close(voting_panel, officer, members):
    decision = close_with(voting_panel, officer, members, "irv",
                          [lambda o: {"ranking": o}], quorum_percent=50)
    assert decision.outcome == "not_quorate" and decision.result["winners"] == []
    assert decision.result["voted"] == 1 and decision.result["eligible"] == 4


def test_irv_decision_declares_a_winner_and_exports_a_recount(voting_panel, officer, members,
                                                              tmp_path):
    contents = [lambda o: {"ranking": [o[0], o[1]]}, lambda o: {"ranking": [o[1]]},
                lambda o: {"ranking": [o[2], o[1]]}, lambda o: {"ranking": [o[1], o[0]]}]
    decision = close_with(voting_panel, officer, members, "irv", contents)
    beta = str(decision.options.get(label="Beta").pk)
    assert decision.outcome == "decided" and decision.result["winners"] == [beta]
    document = export_document(decision=decision)
    assert document["configuration_sha256"] == decision.config_hash
    assert len(document["ballots"]) == 4
    assert all(set(b) == {"receipt", "channel", "content"} for b in document["ballots"])
    recount = tally(document["configuration"], [b["content"] for b in document["ballots"]])
    assert recount == document["result"]["detail"]
    out = tmp_path / "decision.json"
    call_command("export_decision", str(decision.pk), "--output", str(out))
    assert json.loads(out.read_text())["result"]["winners"] == [beta]
    assert decision_result(decision_id=decision.pk)["winners"] == [
        {"reference": "ref-Beta", "label": "Beta", "cost": None}]


def test_consent_decision_with_a_block(voting_panel, officer, members):
    options = [{"label": "Adopt the draft specification", "easy_read_summary": "Say yes?"}]
    choices = ["agree", "agree", "agree", "block"]
    decision = close_with(voting_panel, officer, members, "consent",
                          [lambda o, c=c: {"choice": c} for c in choices], options=options)
    assert decision.outcome == "blocked"
    assert decision.result["detail"]["counts"] == {"agree": 3, "abstain": 0, "disagree": 0,
                                                   "block": 1}


def test_budget_decision_for_a_grant_round_reads_back_by_reference(voting_panel, officer,
                                                                   members):
    options = [{"label": name, "easy_read_summary": "…", "reference": f"application:{n}",
                "cost": Decimal(cost)} for n, (name, cost) in enumerate(
        [("Youth club", "40000"), ("Food bank van", "30000"), ("Park benches", "10000"),
         ("Digital skills", "25000")])]
    approvals = [[0, 2], [0, 1], [1, 3], [0]]
    decision = close_with(
        voting_panel, officer, members, "budget",
        [lambda o, a=a: {"approved": [o[i] for i in a]} for a in approvals],
        options=options, budget=Decimal("70000"))
    result = decision_result(decision_id=decision.pk)
    assert [w["reference"] for w in result["winners"]] == ["application:0", "application:1"]


def test_score_decision_for_delegated_tender_questions(voting_panel, officer, members):
    options = [{"label": "Bid A, question 3", "easy_read_summary": "They will run a club.",
                "reference": "answer:11"},
               {"label": "Bid B, question 3", "easy_read_summary": "They will run a cafe.",
                "reference": "answer:12"}]
    decision = services.decision_create(
        actor=officer, panel=voting_panel, options=options,
        criteria=[{"label": "Meets young people's needs", "weight": 2},
                  {"label": "Easy to reach", "weight": 1}],
        data={"title": "Score Q3", "question": "Score each answer", "method": "score",
              "score_max": 5, "quorum_percent": 50, "threshold_percent": 0})
    decision = services.decision_open(actor=officer, decision=decision)
    crit = [str(c) for c in decision.criteria.values_list("pk", flat=True)]
    opts = ids(decision)
    for voter, (a, b) in zip(members, [(5, 2), (4, 3), (3, 3)], strict=False):
        services.ballot_cast(actor=voter, decision=decision, content={"scores": {
            opts[0]: {crit[0]: a, crit[1]: a}, opts[1]: {crit[0]: b, crit[1]: b}}})
    services.decision_close(actor=officer, decision=decision)
    assert decision_result(decision_id=decision.pk)["scores"] == {"answer:11": "4",
                                                                  "answer:12": "2.6667"}


def test_a_caller_takes_back_its_draft_decision_but_never_an_open_vote(voting_panel, officer,
                                                                      facilitator):
    draft = make(voting_panel, officer, reference="tender-questions-1-1")
    services.decision_withdraw(actor=officer, decision_id=draft.pk, reason="Asked in error.")
    assert not Decision.objects.filter(pk=draft.pk).exists()
    entry = AuditEntry.objects.get(action="citizens.decision_withdraw")
    assert entry.changes == {"reason": "Asked in error.", "reference": "tender-questions-1-1"}
    assert Notification.objects.filter(recipient=facilitator, subject__contains="no longer asked"
                                       ).exists()
    voting = services.decision_open(actor=officer, decision=make(voting_panel, officer))
    with pytest.raises(ValidationError, match="cannot be taken back"):
        services.decision_withdraw(actor=officer, decision_id=voting.pk, reason="Too late.")
    assert Decision.objects.get(pk=voting.pk).status == Decision.Status.OPEN


def test_stv_decision(voting_panel, officer, members):
    # Alpha is elected with 3 of 4 first preferences; its surplus of 1 passes on at 1/3 a vote
    # per ballot (Beta 2/3, Gamma 1/3, plus Gamma's own first preference). Beta, now fewest, is
    # excluded and Gamma takes the second seat. No tie, so no tie-break order decides it.
    contents = [lambda o: {"ranking": [o[0], o[1]]}, lambda o: {"ranking": [o[0], o[1]]},
                lambda o: {"ranking": [o[0], o[2]]}, lambda o: {"ranking": [o[2]]}]
    decision = close_with(voting_panel, officer, members, "stv", contents, seats=2)
    alpha, gamma = (str(decision.options.get(label=x).pk) for x in ("Alpha", "Gamma"))
    assert decision.result["detail"]["quota"] == 2  # floor(4 / 3) + 1
    assert decision.result["winners"] == [alpha, gamma]


def test_paper_ballots_are_keyed_twice_and_reconciled(voting_panel, officer, members):
    other_officer = second_officer(voting_panel)
    decision = services.decision_open(actor=officer, decision=make(voting_panel, officer))
    o = ids(decision)
    services.paper_voters_mark(actor=officer, decision=decision,
                               user_ids=[members[0].pk, members[1].pk])
    services.paper_entry_add(actor=officer, decision=decision, paper_number=1,
                             content={"ranking": [o[0]]})
    with pytest.raises(ValidationError):  # the same officer cannot key the paper twice
        services.paper_entry_add(actor=officer, decision=decision, paper_number=1,
                                 content={"ranking": [o[0]]})
    services.paper_entry_add(actor=other_officer, decision=decision, paper_number=1,
                             content={"ranking": [o[0]]})
    services.paper_entry_add(actor=officer, decision=decision, paper_number=2,
                             content={"ranking": [o[1]]})
    services.paper_entry_add(actor=other_officer, decision=decision, paper_number=2,
                             content={"ranking": [o[2]]})
    with pytest.raises(ValidationError) as error:
        services.paper_reconcile(actor=officer, decision=decision)
    assert "Paper 2 was keyed differently" in error.value.messages[0]
    with pytest.raises(ValidationError):  # closing with unreconciled papers is refused
        services.decision_close(actor=officer, decision=decision)
    decision.paper_entries.filter(paper_number=2, entered_by=other_officer).update(
        content={"ranking": [o[1]]})
    assert services.paper_reconcile(actor=officer, decision=decision) == 2
    with pytest.raises(ValidationError):  # marked paper voters cannot also vote online
        services.ballot_cast(actor=members[0], decision=decision, content={"ranking": o})
    closed = services.decision_close(actor=officer, decision=decision)
    assert closed.result["ballots"] == 2 and closed.result["voted"] == 2
    assert closed.ballots.filter(channel="paper").count() == 2


def test_named_vote_is_explicit_and_published_only_after_close(voting_panel, officer, members):
    from citizens.selectors.decisions import named_votes

    decision = services.decision_open(actor=officer, decision=make(voting_panel, officer,
                                                                   secret=False))
    services.ballot_cast(actor=members[0], decision=decision, content={"ranking": ids(decision)})
    assert not named_votes(decision=decision).exists()
    decision = services.decision_close(actor=officer, decision=decision)
    assert [v.user for v in named_votes(decision=decision)] == [members[0]]
    assert export_document(decision=decision)["ballots"][0]["voter"] == members[0].full_name


def test_voting_needs_the_voting_phase(panel, officer, members):
    move_to(panel, officer, "start_learning")
    decision = make(panel, officer)
    with pytest.raises(ValidationError) as error:
        services.decision_open(actor=officer, decision=decision)
    assert "learning phase" in error.value.messages[0]


def test_official_response_and_implementation(voting_panel, officer, members, member):
    decision = close_with(voting_panel, officer, members, "irv",
                          [lambda o: {"ranking": o}] * 4)
    with pytest.raises(PermissionDenied):
        services.response_publish(actor=member, decision=decision, stance="accepted", text="x")
    response = services.response_publish(actor=officer, decision=decision, stance="accepted",
                                         text="We will fund Alpha from April.")
    services.implementation_update_add(actor=officer, response=response, status="in_progress",
                                       note="Contract being drafted.")
    with pytest.raises(ValidationError):
        services.response_publish(actor=officer, decision=decision, stance="partly", text="y")
    assert response.updates.count() == 1


def test_due_decisions_close_automatically(voting_panel, officer, members):
    import datetime

    from django.utils import timezone

    decision = services.decision_open(actor=officer, decision=make(
        voting_panel, officer, closes_at=timezone.now() + datetime.timedelta(hours=1)))
    assert services.close_due_decisions() == 0
    later = timezone.now() + datetime.timedelta(hours=2)
    assert services.close_due_decisions(now=later) == 1
    decision.refresh_from_db()
    assert decision.is_closed


def test_a_superuser_gets_no_shortcut_to_results_or_ballots(voting_panel, officer, members):
    from tests import factories

    admin = factories.PlatformAdminFactory(is_superuser=True)
    decision = services.decision_open(actor=officer, decision=make(
        voting_panel, officer, results_visibility=Decision.Visibility.AFTER_CLOSE))
    services.ballot_cast(actor=members[0], decision=decision, content={"ranking": ids(decision)})
    assert result_for_user(decision=decision, user=admin) is None
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=admin, decision=decision, content={"ranking": ids(decision)})
