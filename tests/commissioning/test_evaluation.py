"""Evaluation: the panel, conflicts before access, blind scoring, moderation and ranking."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.models import ModeratedScore, Score
from commissioning.selectors.bids import bid_content
from commissioning.selectors.evaluation import ranking, scores_side_by_side
from commissioning.services.evaluation import (
    ScoreEntry,
    conflict_declare,
    evaluator_add,
    moderation_save,
    scores_save,
)
from core.models import AuditEntry, Notification
from organisations.models import Role
from tests import factories
from tests.commissioning import evaluation_support as support


@pytest.fixture
def setup(authority, commissioner):
    tender = support.closed_tender(authority, commissioner)
    criteria = support.standard_criteria(tender, pass_fail=True)
    first = support.staff(authority, Role.EVALUATOR)
    moderator = support.staff(authority, Role.EVALUATOR)
    evaluator_add(tender=tender, actor=commissioner, user=first)
    evaluator_add(tender=tender, actor=commissioner, user=moderator, is_moderator=True)
    cheap = support.sealed_bid(tender, price="80000.00", name="Riverside Care")
    dear = support.sealed_bid(tender, price="100000.00", name="Hillside Support")
    support.open_and_start(tender, commissioner, support.staff(authority, Role.AUTHORITY_ADMIN))
    return {"tender": tender, "criteria": criteria, "first": first, "moderator": moderator,
            "cheap": cheap, "dear": dear}


def score(setup, person, bid, *, quality=80, social=60, passed=True, submit=True):
    entries = support.entries(setup["criteria"], quality=quality, social_value=social,
                              pass_fail=passed)
    return scores_save(bid=bid, actor=person, entries=entries, submit=submit)


def test_the_panel_is_chosen_from_the_authoritys_evaluators_and_commissioners(
        authority, commissioner, provider_admin, other_commissioner):
    tender = support.closed_tender(authority, commissioner)
    grant_manager = factories.member(authority, Role.GRANT_MANAGER)
    for person in (provider_admin, other_commissioner, grant_manager):
        with pytest.raises(ValidationError):
            evaluator_add(tender=tender, actor=commissioner, user=person)
    evaluator = support.staff(authority, Role.EVALUATOR)
    with pytest.raises(PermissionDenied):
        evaluator_add(tender=tender, actor=evaluator, user=evaluator)
    evaluator_add(tender=tender, actor=commissioner, user=evaluator)
    assert Notification.objects.filter(recipient=evaluator,
                                       subject__startswith="You are on the evaluation").exists()


def test_nobody_sees_a_bid_before_declaring_conflicts(setup):
    with pytest.raises(PermissionDenied):
        bid_content(bid=setup["cheap"], user=setup["first"])
    with pytest.raises(PermissionDenied):
        score(setup, setup["first"], setup["cheap"])
    support.declare(setup["first"], setup["tender"])
    assert bid_content(bid=setup["cheap"], user=setup["first"])["price"]["total"] == "80000.00"


def test_a_conflicted_evaluator_cannot_see_or_score_that_bidder(setup, client):
    person, tender = setup["first"], setup["tender"]
    support.declare(person, tender, setup["cheap"].organisation)
    with pytest.raises(PermissionDenied):
        bid_content(bid=setup["cheap"], user=person)
    with pytest.raises(PermissionDenied):
        score(setup, person, setup["cheap"])
    score(setup, person, setup["dear"])
    client.force_login(person)
    for name in ("bid_evaluate", "bid_scores"):
        url = reverse(f"commissioning:{name}", args=[setup["cheap"].pk])
        assert client.get(url).status_code == 403
    page = client.get(reverse("commissioning:evaluation", args=[tender.pk])).content.decode()
    assert "You declared a conflict: you cannot see or score this bid." in page
    assert Notification.objects.filter(subject__startswith="Conflict of interest declared")


def test_a_conflict_needs_the_organisations_and_a_description(setup):
    with pytest.raises(ValidationError) as error:
        conflict_declare(tender=setup["tender"], actor=setup["first"], has_conflict=True)
    assert set(error.value.error_dict) == {"organisations", "details"}


def test_drafts_may_be_partial_but_a_submission_needs_every_score_and_reason(setup):
    person, bid = setup["first"], setup["cheap"]
    support.declare(person, setup["tender"])
    partial = {setup["criteria"]["quality"].pk: ScoreEntry(score=60)}
    scores_save(bid=bid, actor=person, entries=partial, submit=False)
    with pytest.raises(ValidationError) as error:
        scores_save(bid=bid, actor=person, entries=partial, submit=True)
    messages = {k: v[0].message for k, v in error.value.error_dict.items()}
    assert messages[f"criterion_{setup['criteria']['quality'].pk}"].startswith("Explain")
    assert messages[f"criterion_{setup['criteria']['pass_fail'].pk}"] == "Choose pass or fail."
    off_scale = {setup["criteria"]["quality"].pk: ScoreEntry(score=55, rationale="x")}
    with pytest.raises(ValidationError, match="on the scale"):
        scores_save(bid=bid, actor=person, entries=off_scale, submit=False)


def test_submitted_scores_are_locked(setup):
    support.declare(setup["first"], setup["tender"])
    score(setup, setup["first"], setup["cheap"])
    with pytest.raises(ValidationError, match="already submitted"):
        score(setup, setup["first"], setup["cheap"], quality=100)
    assert AuditEntry.objects.filter(action="score.submit").count() == 1


def test_scoring_is_blind_until_you_submit_your_own(setup):
    first, moderator, bid = setup["first"], setup["moderator"], setup["cheap"]
    for person in (first, moderator):
        support.declare(person, setup["tender"])
    score(setup, first, bid, quality=80)
    score(setup, moderator, bid, quality=40, submit=False)
    seen = scores_side_by_side(bid=bid, user=moderator)
    assert all(not row.individual for row in seen)
    score_first = scores_side_by_side(bid=bid, user=first)
    assert [s.score for s in score_first[0].individual] == [80]  # drafts are never shown
    Score.objects.filter(evaluator=moderator).delete()
    score(setup, moderator, bid, quality=40)
    both = scores_side_by_side(bid=bid, user=moderator)
    assert sorted(s.score for s in both[0].individual) == [40, 80]


def test_moderation_waits_for_the_panel_and_keeps_individual_scores(setup):
    first, moderator, bid = setup["first"], setup["moderator"], setup["cheap"]
    for person in (first, moderator):
        support.declare(person, setup["tender"])
    score(setup, first, bid, quality=80)
    consensus = support.entries(setup["criteria"], quality=60, social_value=60, pass_fail=True)
    with pytest.raises(ValidationError, match="Wait until every panel member"):
        moderation_save(bid=bid, actor=moderator, entries=consensus)
    score(setup, moderator, bid, quality=40)
    assert Notification.objects.filter(recipient=moderator,
                                       subject__startswith="Ready for moderation").exists()
    with pytest.raises(PermissionDenied):
        moderation_save(bid=bid, actor=first, entries=consensus)
    moderation_save(bid=bid, actor=moderator, entries=consensus)
    assert ModeratedScore.objects.get(bid=bid, criterion=setup["criteria"]["quality"]).score == 60
    assert Score.objects.filter(bid=bid).count() == 6


def test_a_conflicted_panel_member_is_not_waited_for(setup):
    """A member who declared a conflict with the bidder cannot score that bid, and moderation
    goes ahead on the others' scores (test_moderation_waits_for_the_panel_... shows that it
    waits for a member without a conflict)."""
    first, moderator, bid = setup["first"], setup["moderator"], setup["cheap"]
    support.declare(first, setup["tender"], bid.organisation)
    support.declare(moderator, setup["tender"])
    with pytest.raises((PermissionDenied, ValidationError)):
        score(setup, first, bid)  # the conflicted member may not score this bid
    score(setup, moderator, bid)
    consensus = support.entries(setup["criteria"], quality=80, social_value=60, pass_fail=True)
    moderation_save(bid=bid, actor=moderator, entries=consensus)
    assert ModeratedScore.objects.get(bid=bid, criterion=setup["criteria"]["quality"]).score == 80
    assert not Score.objects.filter(bid=bid, evaluator=first).exists()
    assert AuditEntry.objects.filter(action="score.moderate", object_id=str(bid.pk)).exists()


def moderate_all(setup, scores):
    """Everyone scores, the moderator moderates: scores = {bid_key: (quality, social, passed)}."""
    for person in (setup["first"], setup["moderator"]):
        support.declare(person, setup["tender"])
    for key, (quality, social, passed) in scores.items():
        for person in (setup["first"], setup["moderator"]):
            score(setup, person, setup[key], quality=quality, social=social, passed=passed)
        moderation_save(bid=setup[key], actor=setup["moderator"], entries=support.entries(
            setup["criteria"], quality=quality, social_value=social, pass_fail=passed))


def test_ranking_adds_weighted_scores_and_the_price_formula(setup):
    assert not ranking(tender=setup["tender"]).complete
    moderate_all(setup, {"cheap": (60, 60, True), "dear": (80, 100, True)})
    result = ranking(tender=setup["tender"])
    assert result.complete
    rows = {r.bid.pk: r.result for r in result.rows}
    cheap, dear = rows[setup["cheap"].pk], rows[setup["dear"].pk]
    # cheap: 60 × 0.6 + 10 × 0.6 + 30 × 1 = 72; dear: 60 × 0.8 + 10 × 1 + 30 × 0.8 = 82
    assert cheap.total == Decimal("72")
    assert dear.total == Decimal("82")
    assert cheap.price == Decimal("80000.00")
    assert result.top.bid == setup["dear"]


def test_failing_a_pass_or_fail_criterion_excludes_the_bid(setup):
    moderate_all(setup, {"cheap": (100, 100, False), "dear": (20, 20, True)})
    result = ranking(tender=setup["tender"])
    assert result.top.bid == setup["dear"]
    excluded = next(r for r in result.rows if r.bid == setup["cheap"])
    assert excluded.result.position is None
    assert "Safeguarding policy" in excluded.result.excluded_reason


# Pages ---------------------------------------------------------------------------------------


def test_evaluator_declares_scores_and_sees_content_through_the_audited_accessor(setup, client):
    person, bid = setup["first"], setup["cheap"]
    client.force_login(person)
    overview = client.get(reverse("commissioning:evaluation", args=[setup["tender"].pk]))
    assert "Declare any conflict of interest before you can see the bids." in (
        overview.content.decode())
    assert client.get(reverse("commissioning:bid_evaluate", args=[bid.pk])).status_code == 403
    response = client.post(reverse("commissioning:conflicts", args=[setup["tender"].pk]),
                           {"has_conflict": "no"}, follow=True)
    assert "Declaration recorded." in response.content.decode()
    page = client.get(reverse("commissioning:bid_evaluate", args=[bid.pk]))
    html = page.content.decode()
    assert "Our answer to question 1." in html
    assert "80,000" not in html  # the panel does not score price
    assert AuditEntry.objects.filter(action="bid.content_viewed", actor_id=person.pk).exists()
    criteria = setup["criteria"]
    response = client.post(reverse("commissioning:bid_evaluate", args=[bid.pk]), {
        "action": "submit", f"criterion_{criteria['quality'].pk}": "80",
        f"rationale_{criteria['quality'].pk}": "Clear staffing plan."})
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Choose pass or fail." in html
    assert "Clear staffing plan." in html  # nothing typed is lost
    response = client.post(reverse("commissioning:bid_evaluate", args=[bid.pk]), {
        "action": "submit",
        f"criterion_{criteria['quality'].pk}": "80",
        f"rationale_{criteria['quality'].pk}": "Clear staffing plan.",
        f"criterion_{criteria['social_value'].pk}": "60",
        f"rationale_{criteria['social_value'].pk}": "Local hiring.",
        f"criterion_{criteria['pass_fail'].pk}": "pass",
        f"rationale_{criteria['pass_fail'].pk}": "Policy seen.",
    }, follow=True)
    assert "Scores submitted." in response.content.decode()
    assert Score.objects.filter(evaluator=person, submitted_at__isnull=False).count() == 3


def test_ranking_page_needs_a_declaration_without_conflict(setup, client, commissioner):
    url = reverse("commissioning:ranking", args=[setup["tender"].pk])
    client.force_login(commissioner)
    assert client.get(url).status_code == 403
    support.declare(commissioner, setup["tender"])
    response = client.get(url)
    assert response.status_code == 200
    assert "The ranking is provisional" in response.content.decode()
    client.force_login(setup["first"])
    assert client.get(url).status_code == 403


def test_evaluation_list_filters_pages_and_keeps_a_constant_query_count(
        client, authority, commissioner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = support.staff(authority, Role.EVALUATOR)
    url = reverse("commissioning:evaluation_list")

    def add(count, **fields):
        for _ in range(count):
            tender = support.closed_tender(authority, commissioner, **fields)
            evaluator_add(tender=tender, actor=commissioner, user=person)

    add(2)
    client.force_login(person)
    client.get(url)  # the first request of a session sets it up
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(8, status="evaluation", title="Day centres")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many) == len(few)
    assert html.count("Day centres") == 8
    filtered = client.get(url, {"status": "published"}).content.decode()
    assert "Day centres" not in filtered and filtered.count("Home support service") == 2
    outsider = support.staff(factories.AuthorityFactory(), Role.EVALUATOR)
    client.force_login(outsider)
    assert "You have no tenders to evaluate." in client.get(url).content.decode()
