"""Changing a draft decision, resending invitations, session materials, the result other apps
read per criterion, and the leximin path of the lottery."""

import datetime
import hashlib
import importlib.util
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citizens import sortition
from citizens.models import Decision, PanelMembership, PanelRole
from citizens.selectors.decisions import decision_result
from citizens.selectors.sessions import materials_of_session
from citizens.services import decisions as services
from citizens.services import selection
from citizens.services.panels import material_add, panel_create
from citizens.services.sessions import session_create
from core.models import AuditEntry, OutboxMessage
from tests.citizens.conftest import move_to, panel_data
from tests.citizens.test_decisions import make

DAY = datetime.timedelta(days=1)


def test_a_draft_decision_is_changed_and_checked_again(panel, officer, member):
    decision = make(panel, officer)
    services.decision_update(actor=officer, decision=decision, data={
        "title": "Which service first?", "question": "Rank them", "method": "irv"},
        options=[{"label": "Delta", "easy_read_summary": "D", "reference": "d"},
                 {"label": "Echo", "easy_read_summary": "E", "reference": "e"}])
    decision.refresh_from_db()
    assert decision.title == "Which service first?"
    assert [o.label for o in decision.options.all()] == ["Delta", "Echo"]
    assert AuditEntry.objects.filter(action="citizens.decision_update").count() == 1
    with pytest.raises(ValidationError, match="at least two"):
        services.decision_update(actor=officer, decision=decision, data={"method": "irv"},
                                 options=[{"label": "Only"}])
    with pytest.raises(PermissionDenied):
        services.decision_update(actor=member, decision=decision, data={},
                                 options=[{"label": "A"}, {"label": "B"}])


def test_once_voting_opens_the_draft_cannot_change(panel, officer, members):
    move_to(panel, officer, "start_learning", "start_voting")
    decision = services.decision_open(actor=officer, decision=make(panel, officer))
    with pytest.raises(ValidationError, match="frozen"):
        services.decision_update(actor=officer, decision=decision, data={"title": "Late"},
                                 options=[{"label": "A"}, {"label": "B"}])
    assert Decision.objects.get(pk=decision.pk).title != "Late"


def test_the_edit_page_shows_the_draft_and_saves_it(client, panel, officer, member):
    decision = make(panel, officer)
    url = reverse("citizens:decision_edit", args=[decision.pk])
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert "Alpha | Alpha in short | ref-Alpha" in page
    response = client.post(url, {
        "title": "Renamed", "question": "Which?", "method": "irv",
        "options": "One | one | r1\nTwo | two | r2", "criteria": "", "seats": 1,
        "min_choices": 0, "max_choices": 0, "score_max": 5, "quorum_percent": 50,
        "threshold_percent": 50, "eligibility": "all_members",
        "results_visibility": "after_close", "secret": "on"})
    assert response.status_code == 302
    assert [o.reference for o in Decision.objects.get(pk=decision.pk).options.all()] == [
        "r1", "r2"]


def invited(panel, email, *, sent):
    return PanelMembership.objects.create(
        panel=panel, role=PanelRole.MEMBER, status=PanelMembership.Status.INVITED, email=email,
        invitation_token=f"token-{email}", invited_at=timezone.now() - sent)


def test_invitations_are_resent_once_with_the_same_link(panel, officer, member):
    waiting = invited(panel, "a@example.org", sent=3 * DAY)
    invited(panel, "b@example.org", sent=datetime.timedelta(hours=2))  # just sent
    invited(panel, "c@example.org", sent=30 * DAY)  # expired: a replacement takes the seat
    assert selection.invitations_resend(actor=officer, panel=panel) == 1
    queued = OutboxMessage.objects.filter(task_name="citizens.send_invitation")
    assert list(queued.values_list("args", flat=True)) == [[waiting.pk]]
    waiting.refresh_from_db()
    assert waiting.invitation_token == "token-a@example.org" and waiting.invitation_resent_at
    # pressing again (or a retried request) sends nothing more
    assert selection.invitations_resend(actor=officer, panel=panel) == 0
    assert queued.count() == 1
    assert AuditEntry.objects.filter(action="citizens.invitations_resend").count() == 1
    with pytest.raises(PermissionDenied):
        selection.invitations_resend(actor=member, panel=panel)


def test_the_resend_button_is_for_those_who_run_the_panel(client, panel, officer, member):
    invited(panel, "a@example.org", sent=3 * DAY)
    url = reverse("citizens:invitations_resend", args=[panel.pk])
    client.force_login(member)
    assert client.post(url).status_code == 403
    client.force_login(officer)
    assert "Resend invitations" in client.get(reverse("citizens:manage",
                                                      args=[panel.pk])).content.decode()
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert OutboxMessage.objects.filter(task_name="citizens.send_invitation").count() == 1


def session_of(panel, officer):
    start = timezone.now() + 7 * DAY
    return session_create(actor=officer, panel=panel, data={
        "title": "Learning session 1", "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2), "mode": "in_person",
        "location": "Town hall", "online_link": "",
        "agenda": "Evidence from the food bank"})


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_materials_are_attached_to_a_session_as_checked_documents(panel, officer, member,
                                                                  media_root):
    meeting = session_of(panel, officer)
    upload = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
                                content_type="application/pdf")
    material = material_add(actor=officer, panel=panel, title="Food bank evidence",
                            summary="Who uses the food bank.", upload=upload, session=meeting)
    assert list(materials_of_session(session=meeting)) == [material]
    assert len(material.document.sha256) == 64
    other = panel_create(actor=officer, authority=panel.authority,
                         data=panel_data(title="Other panel"))
    with pytest.raises(ValidationError, match="another panel"):
        material_add(actor=officer, panel=other, title="Wrong", summary="x", session=meeting)
    with pytest.raises(PermissionDenied):
        material_add(actor=member, panel=panel, title="Mine", summary="x", session=meeting)


def test_the_session_page_lists_its_materials(client, panel, officer, member):
    meeting = session_of(panel, officer)
    material_add(actor=officer, panel=panel, title="Reading for the day", summary="Short.",
                 session=meeting)
    client.force_login(member)
    page = client.get(reverse("citizens:session", args=[panel.pk, meeting.pk])).content.decode()
    assert "Reading for the day" in page and "Add a material" not in page
    add = reverse("citizens:session_material_add", args=[panel.pk, meeting.pk])
    assert client.get(add).status_code == 403
    client.force_login(officer)
    assert client.post(add, {"title": "Agenda notes", "summary": "Plain words."}).status_code \
        == 302
    assert materials_of_session(session=meeting).count() == 2
    assert client.get(reverse("citizens:session_material_add",
                              args=[panel.pk, 999999])).status_code == 404


def test_score_results_come_back_per_criterion_by_the_callers_references(panel, officer,
                                                                         members):
    move_to(panel, officer, "start_learning", "start_voting")
    decision = services.decision_create(
        actor=officer, panel=panel,
        data={"title": "Delegated questions", "question": "Score the answers",
              "method": "score", "score_max": 4},
        options=[{"label": "Bid A", "easy_read_summary": "A", "reference": "bid-1"},
                 {"label": "Bid B", "easy_read_summary": "B", "reference": "bid-2"}],
        criteria=[{"label": "Local benefit", "weight": 1, "reference": "crit-7"}])
    decision = services.decision_open(actor=officer, decision=decision)
    option_ids = [o["id"] for o in decision.config["options"]]
    criterion = decision.config["criteria"][0]["id"]
    for voter, marks in zip(members[:2], ([4, 2], [2, 2]), strict=True):
        services.ballot_cast(actor=voter, decision=decision, content={"scores": {
            oid: {criterion: mark} for oid, mark in zip(option_ids, marks, strict=True)}})
    assert decision_result(decision_id=decision.pk) is None  # nothing before close
    services.decision_close(actor=officer, decision=decision)
    result = decision_result(decision_id=decision.pk)
    assert result["criterion_scores"] == {"bid-1": {"crit-7": "3"}, "bid-2": {"crit-7": "2"}}
    assert result["score_max"] == 4


POOL = [{"id": f"P-{n:03}", "household": f"h{n}", "gender": "woman" if n % 2 else "man",
         "area": "north" if n % 3 else "south"} for n in range(30)]
QUOTAS = ([{"feature": "gender", "value": v, "min": 3, "max": 3} for v in ("woman", "man")]
          + [{"feature": "area", "value": v, "min": 2, "max": 4} for v in ("north", "south")])
GUROBI = importlib.util.find_spec("gurobipy") is not None


@pytest.mark.skipif(GUROBI, reason="Gurobi is installed: the leximin test below runs instead")
def test_leximin_without_a_gurobi_licence_falls_back_to_maximin_and_says_so():
    outcome = sortition.select(seats=6, pool=POOL, quotas=QUOTAS, seed=3, algorithm="leximin")
    assert outcome.success
    assert outcome.algorithm_used == "maximin"  # what actually ran, shown on the fairness page
    assert "gurobi_unavailable_switching" in str(outcome.report)
    chosen = [row for row in POOL if row["id"] in set(outcome.selected)]
    assert sum(row["gender"] == "woman" for row in chosen) == 3
    assert 2 <= sum(row["area"] == "north" for row in chosen) <= 4


@pytest.mark.skipif(not GUROBI, reason="leximin needs gurobipy and a licence, not here")
def test_leximin_with_gurobi_runs_leximin():
    outcome = sortition.select(seats=6, pool=POOL, quotas=QUOTAS, seed=3, algorithm="leximin")
    assert outcome.success and outcome.algorithm_used == "leximin"
    # leximin maximises the lowest selection probability first: nobody is left at zero
    assert min(outcome.probabilities.values()) > 0


def test_a_panel_configured_for_leximin_records_what_ran(panel, commissioner, settings):
    from citizens.services import recruitment
    from citizens.services.panels import panel_set_registration
    from tests.citizens.test_recruitment_selection import QUOTAS as PANEL_QUOTAS
    from tests.citizens.test_recruitment_selection import draw, fill_pool

    settings.CITIZENS_LEXIMIN_ENABLED = True
    recruitment.quotas_replace(actor=commissioner, panel=panel, rows=PANEL_QUOTAS)
    panel_set_registration(actor=commissioner, panel=panel, open_=True)
    fill_pool(panel, 20)
    run = draw(panel, commissioner)
    assert run.algorithm_requested == "leximin"
    assert run.algorithm_used == ("leximin" if GUROBI else "maximin"), run.error
    assert len(run.selected) == 6
    page = Client().get(reverse("citizens:fairness", args=[panel.pk]))
    assert "leximin was asked for but could not run here" in page.content.decode() or GUROBI


def test_the_solver_is_frozen_with_the_pool_and_an_unusable_one_is_refused(panel, commissioner,
                                                                           settings):
    from citizens.services import recruitment
    from citizens.services.panels import panel_set_registration
    from tests.citizens.test_recruitment_selection import QUOTAS as PANEL_QUOTAS
    from tests.citizens.test_recruitment_selection import fill_pool

    recruitment.quotas_replace(actor=commissioner, panel=panel, rows=PANEL_QUOTAS)
    panel_set_registration(actor=commissioner, panel=panel, open_=True)
    fill_pool(panel, 12)
    settings.CITIZENS_SORTITION_SOLVER = "gurobi-free-lunch"
    with pytest.raises(ValidationError, match="not one this portal runs"):
        selection.selection_freeze(actor=commissioner, panel=panel)
    settings.CITIZENS_SORTITION_SOLVER = "highs"
    run = selection.selection_freeze(actor=commissioner, panel=panel)
    assert run.solver == "highs"
    # commitments published before the solver could be chosen (the library's own highspy
    # backend, no solver in the hash) still verify; any other solver enters the hash
    same = {"seats": 6, "pool": run.pool, "quotas": run.quotas, "algorithm": "maximin",
            "already_selected": []}
    before = {**same, "pool": sorted(run.pool, key=lambda row: row["id"]),
              "quotas": sorted(run.quotas, key=lambda q: (q["feature"], q["value"]))}
    published_before = hashlib.sha256(
        json.dumps(before, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert sortition.commitment(**same, solver="highspy") == published_before
    assert run.pool_hash == sortition.commitment(**same) != published_before
    assert sortition.commitment(**same) != sortition.commitment(**same, solver="mip")


@pytest.mark.skipif(importlib.util.find_spec("mip") is None, reason="mip is not installed")
def test_the_cbc_backend_draws_a_panel_within_the_quotas():
    outcome = sortition.select(seats=6, pool=POOL, quotas=QUOTAS, seed=3, algorithm="maximin",
                               solver="mip")
    assert outcome.success, outcome.error
    chosen = [row for row in POOL if row["id"] in set(outcome.selected)]
    assert sum(row["gender"] == "woman" for row in chosen) == 3


@pytest.mark.parametrize("role", ["member", "young_member", "facilitator", "officer",
                                  "observer", "other_panel_member", "citizen",
                                  "other_authority_staff", "anonymous"])
def test_who_may_use_the_new_pages(client, panel, officer, role, request):
    from tests.citizens.test_views import MANAGE, status

    person = None if role == "anonymous" else request.getfixturevalue(role)
    decision = make(panel, officer)
    meeting = session_of(panel, officer)
    assert status(client, person, reverse("citizens:decision_edit",
                                          args=[decision.pk])) == MANAGE[role]
    assert status(client, person, reverse("citizens:session_material_add",
                                          args=[panel.pk, meeting.pk])) == MANAGE[role]
    resend = status(client, person, reverse("citizens:invitations_resend", args=[panel.pk]),
                    "post")
    assert resend == (302 if MANAGE[role] == 200 else MANAGE[role])
