"""Evaluation questions delegated to a citizens' panel: the panel scores the answers as Bid A,
Bid B… through a score decision, and its result becomes the moderated score for those
questions; the evaluators are not asked to score them (ADR 0030)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from citizens.models import Decision, PanelMembership, PanelRole
from citizens.services import decisions as citizen_decisions
from citizens.services.panels import panel_create, panel_move
from commissioning.models import CitizensDelegation, ModeratedScore
from commissioning.selectors.citizens_delegation import delegated_answers
from commissioning.selectors.evaluation import evaluator_criteria, ranking
from commissioning.services.citizens_delegation import delegation_create, member_declare
from commissioning.services.evaluation import moderation_save, scores_save
from commissioning.tasks import apply_citizens_delegation
from commissioning.worklists import evaluation_tasks
from core.models import AuditEntry, OutboxMessage
from organisations.models import Role
from tests import factories
from tests.commissioning import evaluation_support as support
from tests.commissioning import factories as cf

pytestmark = pytest.mark.django_db


def make_panel(authority, staff, *, voters=3, phase=("start_learning", "start_deliberation"),
               title="Care services panel"):
    panel = panel_create(actor=staff, authority=authority, data={
        "title": title, "purpose": "Help choose care providers.",
        "remit": "Score delegated tender questions.", "feeds_decision": "Home care contract",
        "size": 4, "term_start": datetime.date(2027, 1, 1),
        "term_end": datetime.date(2027, 6, 30), "is_young": False, "retention_days": 90,
        "session_quorum": 0, "honorarium_per_session": Decimal("0"),
        "expenses_cap_per_session": Decimal("0")})
    members = [factories.CitizenFactory() for _ in range(voters)]
    for member in members:
        PanelMembership.objects.create(panel=panel, user=member, role=PanelRole.MEMBER,
                                       status=PanelMembership.Status.ACTIVE, email=member.email)
    for name in phase:
        panel_move(actor=staff, panel=panel, name=name, reason="test")
    panel.refresh_from_db()
    return panel, members


@pytest.fixture
def setup(authority, commissioner):
    tender = support.closed_tender(authority, commissioner)
    criteria = support.standard_criteria(tender, pass_fail=True)
    social = cf.TenderQuestionFactory(tender=tender, number=2, criterion=criteria["social_value"],
                                      text="How will you employ local people?")
    evaluator = support.staff(authority, Role.EVALUATOR)
    from commissioning.services.evaluation import evaluator_add

    evaluator_add(tender=tender, actor=commissioner, user=evaluator, is_moderator=True)
    cheap = support.sealed_bid(tender, price="80000.00", name="Riverside Care")
    dear = support.sealed_bid(tender, price="100000.00", name="Hillside Support")
    approver = support.staff(authority, Role.AUTHORITY_ADMIN)
    panel, members = make_panel(authority, approver)
    return {"tender": tender, "criteria": criteria, "social": social, "evaluator": evaluator,
            "cheap": cheap, "dear": dear, "approver": approver, "panel": panel,
            "members": members, "commissioner": commissioner,
            "quality_question": tender.questions.get(number=1)}


def opened(setup):
    support.open_and_start(setup["tender"], setup["commissioner"], setup["approver"])
    for person in (setup["evaluator"], setup["commissioner"], setup["approver"]):
        support.declare(person, setup["tender"])
    return setup["tender"]


def delegate(setup, **kwargs):
    return delegation_create(actor=setup["commissioner"], tender=setup["tender"],
                             panel=kwargs.get("panel", setup["panel"]),
                             questions=kwargs.get("questions", [setup["social"]]))


def open_vote(setup, delegation):
    decision = Decision.objects.get(pk=delegation.decision_id)
    return citizen_decisions.decision_open(actor=setup["approver"], decision=decision)


def vote(decision, member, marks: dict[str, int]):
    """marks: option label to the mark for the one criterion."""
    decision.refresh_from_db()
    criterion = decision.config["criteria"][0]["id"]
    content = {"scores": {o["id"]: {criterion: marks[o["label"]]}
                          for o in decision.config["options"]}}
    return citizen_decisions.ballot_cast(actor=member, decision=decision, content=content)


def write_back(delegation) -> int:
    """What the worker does once the vote has closed: the queued write-back task."""
    queued = list(OutboxMessage.objects.filter(task_name="commissioning.apply_citizens_delegation"))
    for message in queued:
        apply_citizens_delegation(*message.args, **message.kwargs)
    delegation.refresh_from_db()
    return len(queued)


def labels(delegation, setup):
    return {key: delegation.bid_labels[str(setup[key].pk)] for key in ("cheap", "dear")}


def test_delegation_is_refused_before_the_bids_are_opened(setup):
    with pytest.raises(ValidationError, match="after the bids are opened"):
        delegate(setup)
    assert not CitizensDelegation.objects.exists()


def test_the_panel_gets_a_score_decision_without_supplier_names_or_answers(setup):
    opened(setup)
    delegation = delegate(setup)
    decision = Decision.objects.get(pk=delegation.decision_id)
    assert decision.method == "score" and decision.status == Decision.Status.DRAFT
    options = list(decision.options.order_by("label"))
    assert [o.label for o in options] == ["Bid A", "Bid B"]
    everything = " ".join([decision.title, decision.question, decision.easy_read_question,
                           *(o.label + o.easy_read_summary for o in options)])
    for secret in ("Riverside", "Hillside", "Our answer"):
        assert secret not in everything  # no names and no sealed content leave commissioning
    [criterion] = decision.criteria.all()
    assert criterion.reference == f"tender-criterion-{setup['criteria']['social_value'].pk}"
    assert criterion.weight == 10 and "question 2" in criterion.label
    assert decision.briefing_url == reverse("commissioning:delegated_answers",
                                            args=[setup["tender"].pk, delegation.pk])
    assert AuditEntry.objects.filter(action="tender.questions_delegated").exists()


def test_evaluators_are_not_asked_to_score_delegated_questions(setup):
    opened(setup)
    delegate(setup)
    assert setup["criteria"]["social_value"] not in evaluator_criteria(setup["tender"])
    marks = support.entries(setup["criteria"], quality=80, pass_fail=True)
    for key in ("cheap", "dear"):
        scores_save(bid=setup[key], actor=setup["evaluator"], entries=marks, submit=True)
        # Moderation needs only the evaluators' criteria: the panel's come on its close.
        moderation_save(bid=setup[key], actor=setup["evaluator"], entries=marks)
    assert evaluation_tasks(user=setup["evaluator"]) == []
    assert "moderation is not finished" in " ".join(ranking(tender=setup["tender"]).missing)


def test_a_question_already_moderated_or_with_a_panel_cannot_be_delegated(setup):
    opened(setup)
    marks = support.entries(setup["criteria"], quality=80, social_value=60, pass_fail=True)
    scores_save(bid=setup["cheap"], actor=setup["evaluator"], entries=marks, submit=True)
    moderation_save(bid=setup["cheap"], actor=setup["evaluator"], entries=marks)
    with pytest.raises(ValidationError, match="already moderated"):
        delegate(setup)
    ModeratedScore.objects.all().delete()
    delegate(setup)
    with pytest.raises(ValidationError, match="already with a citizens' panel"):
        delegate(setup)


def test_only_a_scoring_panel_of_the_same_authority_and_the_tenders_managers(
        setup, other_commissioner, provider_admin):
    opened(setup)
    learning, _ = make_panel(setup["tender"].authority, setup["approver"],
                             phase=("start_learning",), title="Learning panel")
    with pytest.raises(ValidationError, match="does not allow scoring"):
        delegate(setup, panel=learning)
    elsewhere, _ = make_panel(other_commissioner.memberships.first().organisation,
                              other_commissioner, title="Elsewhere")
    with pytest.raises(ValidationError, match="authority running the tender"):
        delegate(setup, panel=elsewhere)
    with pytest.raises(ValidationError, match="pass or fail|quality or social value"):
        pass_fail = cf.TenderQuestionFactory(tender=setup["tender"], number=3,
                                             criterion=setup["criteria"]["pass_fail"])
        delegate(setup, questions=[pass_fail])
    for person in (setup["evaluator"], other_commissioner, provider_admin, setup["members"][0]):
        with pytest.raises(PermissionDenied):
            delegation_create(actor=person, tender=setup["tender"], panel=setup["panel"],
                              questions=[setup["social"]])


def test_members_declare_before_reading_and_every_read_is_audited(setup):
    opened(setup)
    delegation = delegate(setup)
    open_vote(setup, delegation)
    member = setup["members"][0]
    with pytest.raises(PermissionDenied):
        delegated_answers(delegation=delegation, user=member)
    member_declare(actor=member, delegation=delegation, has_conflict=False)
    bids = delegated_answers(delegation=delegation, user=member)
    assert [b.label for b in bids] == ["Bid A", "Bid B"]
    assert all([a.question.number for a in b.answers] == [2] for b in bids)  # delegated only
    reads = AuditEntry.objects.filter(action="bid.content_viewed", actor_id=member.pk)
    assert reads.count() == 2
    assert all(r.changes["decision_id"] == delegation.decision_id for r in reads)
    # Nobody else reads through the panel's page: not an evaluator, not the commissioner.
    for person in (setup["evaluator"], setup["commissioner"], factories.CitizenFactory()):
        with pytest.raises(PermissionDenied):
            delegated_answers(delegation=delegation, user=person)


def test_a_member_conflicted_with_a_bidder_stands_aside(setup):
    opened(setup)
    delegation = delegate(setup)
    decision = open_vote(setup, delegation)
    member = setup["members"][1]
    member_declare(actor=member, delegation=delegation, has_conflict=True,
                   organisations=[setup["cheap"].organisation], details="My sister works there.")
    assert not decision.roll.filter(user=member).exists()
    with pytest.raises(PermissionDenied):
        delegated_answers(delegation=delegation, user=member)
    with pytest.raises(PermissionDenied):
        vote(decision, member, {"Bid A": 5, "Bid B": 5})


def test_the_panels_scores_become_the_moderated_scores_when_the_vote_closes(setup, client):
    tender = opened(setup)
    delegation = delegate(setup)
    decision = open_vote(setup, delegation)
    names = labels(delegation, setup)
    marks = [{names["cheap"]: 0, names["dear"]: 10}, {names["cheap"]: 1, names["dear"]: 9},
             {names["cheap"]: 0, names["dear"]: 10}]
    for member, mark in zip(setup["members"], marks, strict=True):
        vote(decision, member, mark)
    evaluator_marks = support.entries(setup["criteria"], quality=80, pass_fail=True)
    for key in ("cheap", "dear"):
        scores_save(bid=setup[key], actor=setup["evaluator"], entries=evaluator_marks,
                    submit=True)
        moderation_save(bid=setup[key], actor=setup["evaluator"], entries=evaluator_marks)
    citizen_decisions.decision_close(actor=setup["approver"], decision=decision)
    delegation.refresh_from_db()
    # The vote is closed; the scores are written by the task queued with the close.
    assert delegation.status == CitizensDelegation.Status.WITH_PANEL
    assert not ModeratedScore.objects.filter(criterion=setup["criteria"]["social_value"]).exists()
    assert write_back(delegation) == 1
    assert delegation.status == CitizensDelegation.Status.SCORED
    apply_citizens_delegation(decision.pk)  # delivered twice: nothing changes
    assert ModeratedScore.objects.filter(criterion=setup["criteria"]["social_value"]).count() == 2
    social = setup["criteria"]["social_value"]
    cheap = ModeratedScore.objects.get(bid=setup["cheap"], criterion=social)
    dear = ModeratedScore.objects.get(bid=setup["dear"], criterion=social)
    # Means of 0.33 and 9.67 out of 10 are 3 and 97 out of 100: 0 and 100 on the scale.
    assert (cheap.score, dear.score) == (0, 100)
    assert "citizens' panel “Care services panel”" in cheap.rationale
    entry = AuditEntry.objects.filter(action="score.moderate", object_id=str(setup["dear"].pk)
                                      ).order_by("-id").first()
    assert entry.changes["decision_id"] == decision.pk
    result = ranking(tender=tender)
    assert result.complete
    assert result.top.bid == setup["dear"]  # the panel's scores outweigh the cheaper price
    client.force_login(setup["commissioner"])
    page = client.get(reverse("commissioning:evaluation", args=[tender.pk])).content.decode()
    assert "Scored by the citizens' panel Care services panel" in page
    assert reverse("citizens:results", args=[decision.pk]) in page
    scores = client.get(reverse("commissioning:bid_scores", args=[setup["dear"].pk]))
    assert "Scored by the citizens' panel Care services panel, not by the evaluators" in (
        scores.content.decode())


def test_a_vote_that_is_not_quorate_leaves_the_questions_to_the_evaluators(setup, client):
    opened(setup)
    delegation = delegate(setup)
    decision = open_vote(setup, delegation)
    names = labels(delegation, setup)
    vote(decision, setup["members"][0], {names["cheap"]: 3, names["dear"]: 4})
    citizen_decisions.decision_close(actor=setup["approver"], decision=decision)
    assert write_back(delegation) == 1
    assert delegation.status == CitizensDelegation.Status.RETURNED
    assert "did not reach its quorum" in delegation.message
    assert "the evaluators score question 2 as usual" in delegation.message
    assert not ModeratedScore.objects.exists()
    assert setup["criteria"]["social_value"] in evaluator_criteria(setup["tender"])
    assert evaluation_tasks(user=setup["evaluator"])[0].action == "Score 2 bids"
    client.force_login(setup["evaluator"])
    page = client.get(reverse("commissioning:evaluation", args=[setup["tender"].pk]))
    assert "did not reach its quorum" in page.content.decode()
    # The evaluators can now moderate it like any other question.
    marks = support.entries(setup["criteria"], quality=80, social_value=60, pass_fail=True)
    scores_save(bid=setup["cheap"], actor=setup["evaluator"], entries=marks, submit=True)
    assert len(moderation_save(bid=setup["cheap"], actor=setup["evaluator"], entries=marks)) == 3


ROLE_MATRIX = [
    # (who, may delegate, answers page status once the vote is open)
    ("commissioner", True, 403),
    ("evaluator", False, 404),
    ("member", False, 200),
    ("outsider_citizen", False, 404),
    ("supplier", False, 404),
    ("other_authority", False, 404),
    ("platform_admin", False, 404),
]


def test_anonymous_visitors_are_asked_to_sign_in_and_nothing_changes(setup, client):
    tender = opened(setup)
    delegation = delegate(setup)
    open_vote(setup, delegation)
    for response in (
            client.get(reverse("commissioning:evaluation", args=[tender.pk])),
            client.post(reverse("commissioning:delegate", args=[tender.pk]),
                        {"questions": [setup["quality_question"].pk],
                         "panel": setup["panel"].pk}),
            client.get(reverse("commissioning:delegated_answers",
                               args=[tender.pk, delegation.pk]))):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert CitizensDelegation.objects.count() == 1
    assert not AuditEntry.objects.filter(action="bid.content_viewed").exists()


@pytest.mark.parametrize(("who", "may_delegate", "answers_status"), ROLE_MATRIX)
def test_role_matrix(setup, client, provider_admin, other_commissioner, platform_admin, who,
                     may_delegate, answers_status):
    tender = opened(setup)
    delegation = delegate(setup)
    open_vote(setup, delegation)
    people = {"commissioner": setup["commissioner"], "evaluator": setup["evaluator"],
              "member": setup["members"][0], "outsider_citizen": factories.CitizenFactory(),
              "supplier": provider_admin, "other_authority": other_commissioner,
              "platform_admin": platform_admin}
    person = people[who]
    client.force_login(person)
    page = client.get(reverse("commissioning:evaluation", args=[tender.pk]))
    if who in ("commissioner", "evaluator"):
        assert page.status_code == 200
        assert (b"Delegate to the panel" in page.content) is may_delegate
        assert b"With the citizens' panel Care services panel" in page.content
    else:
        assert page.status_code in (403, 404)
    response = client.post(reverse("commissioning:delegate", args=[tender.pk]),
                           {"questions": [setup["quality_question"].pk],
                            "panel": setup["panel"].pk})
    assert (response.status_code == 302) is may_delegate
    assert CitizensDelegation.objects.count() == (2 if may_delegate else 1)
    answers = client.get(reverse("commissioning:delegated_answers",
                                 args=[tender.pk, delegation.pk]))
    assert answers.status_code == answers_status
    if answers_status == 200:
        assert b"Riverside" in answers.content  # the declaration lists who bid…
        client.post(reverse("commissioning:delegated_answers", args=[tender.pk, delegation.pk]),
                    {"has_conflict": "no"})
        answers = client.get(reverse("commissioning:delegated_answers",
                                     args=[tender.pk, delegation.pk]))
        assert b"Bid A" in answers.content and b"Our answer to question 2" in answers.content
        assert b"Riverside" not in answers.content  # …the answers never say whose they are
        assert b"Our answer to question 1" not in answers.content


def summaries_url(delegation):
    return reverse("commissioning:delegation_summaries",
                   args=[delegation.tender_id, delegation.pk])


def recall_url(delegation):
    return reverse("commissioning:delegation_recall", args=[delegation.tender_id, delegation.pk])


def test_commissioners_write_easy_read_summaries_that_members_read_beside_the_answers(
        setup, client):
    tender = opened(setup)
    delegation = delegate(setup)
    names = labels(delegation, setup)
    client.force_login(setup["commissioner"])
    overview = client.get(reverse("commissioning:evaluation", args=[tender.pk])).content.decode()
    assert "Easy-read summaries: 0 of 2 answers." in overview
    assert summaries_url(delegation) in overview
    page = client.get(summaries_url(delegation))
    assert page.status_code == 200
    assert b"Our answer to question 2" in page.content and b"Riverside" not in page.content
    reads = AuditEntry.objects.filter(action="bid.content_viewed",
                                      actor_id=setup["commissioner"].pk)
    assert reads.count() == 2 and "to summarise them for" in reads.first().summary
    cheap, dear = (f"summary_{setup[k].pk}_{setup['social'].pk}" for k in ("cheap", "dear"))
    too_long = client.post(summaries_url(delegation), {cheap: "x" * 601, dear: "Jobs."})
    assert too_long.status_code == 200
    assert b"Keep the summary to 600 characters or fewer" in too_long.content
    assert not delegation.summaries.exists()  # nothing half-saved
    saved = client.post(summaries_url(delegation),
                        {cheap: "They will employ 12 local people.", dear: ""})
    assert saved.status_code == 302
    assert delegation.summaries.get().text == "They will employ 12 local people."
    assert AuditEntry.objects.filter(action="tender.delegation_summarised").exists()
    # Members read the summary beside the whole answer, under the bid's letter.
    decision = open_vote(setup, delegation)
    member = setup["members"][0]
    member_declare(actor=member, delegation=delegation, has_conflict=False)
    client.force_login(member)
    answers = client.get(reverse("commissioning:delegated_answers",
                                 args=[tender.pk, delegation.pk])).content.decode()
    assert "In short" in answers and "They will employ 12 local people." in answers
    assert f"Read all of {names['cheap']}'s answer to question 2" in answers
    assert answers.count("In short") == 1  # the other answer has no summary: shown whole
    # Once the vote is open, the summaries are fixed: every member scores what others read.
    client.force_login(setup["commissioner"])
    refused = client.post(summaries_url(delegation), {cheap: "Changed.", dear: ""})
    assert refused.status_code == 302
    assert delegation.summaries.get().text == "They will employ 12 local people."
    from commissioning.services.citizens_delegation import delegation_summaries_save

    with pytest.raises(ValidationError, match="vote has opened"):
        delegation_summaries_save(actor=setup["commissioner"], delegation=delegation,
                                  summaries={(setup["cheap"].pk, setup["social"].pk): "No."})
    assert decision.status == Decision.Status.OPEN


def test_only_the_tenders_unconflicted_managers_summarise(setup, client, other_commissioner):
    opened(setup)
    delegation = delegate(setup)
    conflicted = support.staff(setup["tender"].authority, Role.COMMISSIONER)
    support.declare(conflicted, setup["tender"], setup["cheap"].organisation)
    for person, status in ((setup["evaluator"], 404), (setup["members"][0], 404),
                           (other_commissioner, 404), (conflicted, 403)):
        client.force_login(person)
        assert client.get(summaries_url(delegation)).status_code == status
    assert not AuditEntry.objects.filter(action="bid.content_viewed").exists()


def test_questions_are_taken_back_before_the_vote_opens(setup, client):
    tender = opened(setup)
    delegation = delegate(setup)
    decision_id = delegation.decision_id
    client.force_login(setup["evaluator"])
    assert client.post(recall_url(delegation), {"reason": "No."}).status_code == 404
    client.force_login(setup["commissioner"])
    page = client.get(recall_url(delegation))
    assert b"Take question 2 back from Care services panel" in page.content
    blank = client.post(recall_url(delegation), {"reason": " "})
    assert b"Say why the questions are taken back" in blank.content
    done = client.post(recall_url(delegation), {"reason": "The panel cannot meet in time."})
    assert done.status_code == 302
    delegation.refresh_from_db()
    assert delegation.status == CitizensDelegation.Status.RETURNED
    assert "The panel cannot meet in time." in delegation.message
    assert not Decision.objects.filter(pk=decision_id).exists()
    assert AuditEntry.objects.filter(action="citizens.decision_withdraw").exists()
    assert AuditEntry.objects.filter(action="tender.delegation_recalled").exists()
    assert setup["criteria"]["social_value"] in evaluator_criteria(tender)
    # The question can go to a panel again.
    again = delegate(setup)
    open_vote(setup, again)
    assert b"Take the question back" not in client.get(
        reverse("commissioning:evaluation", args=[tender.pk])).content
    from commissioning.services.citizens_delegation import delegation_recall

    with pytest.raises(ValidationError, match="vote has opened"):
        delegation_recall(actor=setup["commissioner"], delegation=again, reason="Too late.")
    again.refresh_from_db()
    assert again.status == CitizensDelegation.Status.WITH_PANEL


def test_the_panels_mean_is_put_on_the_published_scale(setup):
    from commissioning.models import ScaleDescriptor

    social = setup["criteria"]["social_value"]
    social.scale.all().delete()
    for points in (0, 25, 50, 75, 100):
        ScaleDescriptor.objects.create(criterion=social, score=points, descriptor=f"{points}")
    opened(setup)
    delegation = delegate(setup)
    decision = open_vote(setup, delegation)
    names = labels(delegation, setup)
    for member, (cheap, dear) in zip(setup["members"], [(7, 6), (7, 6), (7, 6)], strict=True):
        vote(decision, member, {names["cheap"]: cheap, names["dear"]: dear})
    citizen_decisions.decision_close(actor=setup["approver"], decision=decision)
    write_back(delegation)
    scores = {m.bid_id: m for m in ModeratedScore.objects.filter(criterion=social)}
    # 7 of 10 is 70 of 100, nearest 75; 6 of 10 is 60, nearest 50 (the evaluators' points).
    assert (scores[setup["cheap"].pk].score, scores[setup["dear"].pk].score) == (75, 50)
    assert "on the published scale" in scores[setup["cheap"].pk].rationale
