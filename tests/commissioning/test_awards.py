"""Awards: proposal, a second person's approval, assessment summaries, notice and standstill."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.models import AssessmentSummary, Award
from commissioning.selectors.awards import override_reason
from commissioning.services.awards import (
    award_approve,
    award_notice_publish,
    award_propose,
    award_reject,
)
from core.models import Notification
from organisations.models import Organisation, Role
from tests import factories
from tests.commissioning import evaluation_support as support


@pytest.fixture
def ready(authority, commissioner):
    return support.evaluated_tender(authority, commissioner)


def test_the_award_goes_to_the_top_ranked_bid(ready, commissioner):
    award = award_propose(tender=ready["tender"], actor=commissioner)
    assert award.bid == ready["dear"]
    assert award.value == 100000
    assert award.status == "proposed"
    ready["tender"].refresh_from_db()
    assert ready["tender"].status == "awarding"
    assert Notification.objects.filter(recipient=ready["approver"],
                                       subject__startswith="Award to approve").exists()


def test_choosing_another_bid_needs_a_recorded_reason(ready, commissioner):
    with pytest.raises(ValidationError) as error:
        award_propose(tender=ready["tender"], actor=commissioner, bid=ready["cheap"])
    assert "override_reason" in error.value.error_dict
    award = award_propose(tender=ready["tender"], actor=commissioner, bid=ready["cheap"],
                          override_reason="The top bid's insurer withdrew cover.")
    assert award.bid == ready["cheap"]
    assert override_reason(award) == "The top bid's insurer withdrew cover."


def test_an_unfinished_evaluation_cannot_be_awarded(authority, commissioner):
    tender = support.closed_tender(authority, commissioner)
    support.standard_criteria(tender)
    support.sealed_bid(tender)
    panel = support.staff(authority)
    from commissioning.services.evaluation import evaluator_add

    evaluator_add(tender=tender, actor=commissioner, user=panel)
    support.open_and_start(tender, commissioner, support.staff(authority))
    support.declare(commissioner, tender)
    with pytest.raises(ValidationError, match="Finish the evaluation"):
        award_propose(tender=tender, actor=commissioner)


def test_a_different_person_must_approve(ready, commissioner):
    award = award_propose(tender=ready["tender"], actor=commissioner)
    with pytest.raises(ValidationError, match="A different person must approve"):
        award_approve(award=award, actor=commissioner)
    with pytest.raises(PermissionDenied):
        award_approve(award=award, actor=ready["evaluator"])
    award_approve(award=award, actor=ready["approver"])
    award.refresh_from_db()
    assert award.status == "approved" and award.approved_by == ready["approver"]


def test_approval_sends_every_assessed_bidder_their_summary_and_the_winners(ready, commissioner):
    award = award_propose(tender=ready["tender"], actor=commissioner)
    award_approve(award=award, actor=ready["approver"])
    summaries = {s.bid_id: s.content for s in AssessmentSummary.objects.filter(award=award)}
    assert set(summaries) == {ready["cheap"].pk, ready["dear"].pk}
    loser = summaries[ready["cheap"].pk]
    assert loser["is_winner"] is False
    assert loser["bid"]["total"] == "72.00"
    assert loser["winner"]["total"] == "82.00"
    quality = next(s for s in loser["bid"]["scores"] if s["name"] == "Quality of service")
    assert quality["score"] == "60" and quality["reason"] == "Scored 60: evidence."
    assert {s["name"] for s in loser["winner"]["scores"]} >= {"Price", "Social value"}
    award.refresh_from_db()
    assert award.assessment_summaries_sent_at is not None
    assert Notification.objects.filter(recipient=ready["cheap"].created_by,
                                       subject__startswith="Your assessment summary").exists()


def test_a_rejected_proposal_can_be_made_again(ready, commissioner):
    award = award_propose(tender=ready["tender"], actor=commissioner)
    with pytest.raises(ValidationError):
        award_reject(award=award, actor=ready["approver"], reason=" ")
    award_reject(award=award, actor=ready["approver"], reason="Check the pass or fail scores.")
    assert award_propose(tender=ready["tender"], actor=commissioner).pk != award.pk


def test_the_award_day_reservation_check_refuses_a_newly_disqualified_mutual(authority,
                                                                            commissioner):
    ready = support.evaluated_tender(authority, commissioner, is_reserved_for_mutuals=True,
                                     legal_form=Organisation.LegalForm.MUTUAL)
    award = award_propose(tender=ready["tender"], actor=commissioner)
    # Since opening, the winner entered a comparable reserved contract with the authority.
    support.past_contract(award.bid.organisation, authority, datetime.date.today())
    with pytest.raises(ValidationError, match="comparable contract"):
        award_approve(award=award, actor=ready["approver"])


def publish(ready, commissioner, on: datetime.datetime, **kwargs):
    award = award_propose(tender=ready["tender"], actor=commissioner)
    award_approve(award=award, actor=ready["approver"])
    with mock.patch("django.utils.timezone.now", return_value=on):
        return award_notice_publish(award=award, actor=commissioner, **kwargs)


def aware(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def test_notice_starts_a_standstill_of_eight_working_days_across_christmas(ready, commissioner):
    award = publish(ready, commissioner, aware(2026, 12, 22, 10))
    assert award.standstill_ends_on == datetime.date(2027, 1, 5)
    assert award.status == "standstill"
    ready["tender"].refresh_from_db()
    assert ready["tender"].status == "standstill"
    loser = Notification.objects.get(recipient=ready["cheap"].created_by,
                                     subject__startswith="Contract award notice")
    assert "not successful" in loser.body and "5 January 2027" in loser.body


def test_standstill_across_easter(ready, commissioner):
    award = publish(ready, commissioner, aware(2027, 3, 24, 10))
    assert award.standstill_ends_on == datetime.date(2027, 4, 6)


def test_light_touch_contracts_need_no_standstill_unless_chosen(authority, commissioner):
    ready = support.evaluated_tender(authority, commissioner, is_light_touch=True)
    award = publish(ready, commissioner, aware(2027, 3, 1, 10))
    assert award.standstill_required is False and award.standstill_ends_on is None
    ready = support.evaluated_tender(authority, commissioner, is_light_touch=True)
    award = publish(ready, commissioner, aware(2027, 3, 1, 10), voluntary_standstill=True)
    assert award.standstill_ends_on == datetime.date(2027, 3, 10)


def test_the_notice_waits_for_approval(ready, commissioner):
    award = award_propose(tender=ready["tender"], actor=commissioner)
    with pytest.raises(PermissionDenied):
        award_notice_publish(award=award, actor=commissioner)
    assert Award.objects.get(pk=award.pk).notice_published_at is None


# Pages ---------------------------------------------------------------------------------------


def test_award_journey_through_the_pages(client, ready, commissioner):
    tender = ready["tender"]
    client.force_login(commissioner)
    page = client.get(reverse("commissioning:award_start", args=[tender.pk]))
    assert "Hillside Support: ranked 1, 82.00 points" in page.content.decode()
    response = client.post(reverse("commissioning:award_start", args=[tender.pk]),
                           {"bid": ready["cheap"].pk})
    assert "Explain why the award does not go to the top-ranked bid." in (
        response.content.decode())
    response = client.post(reverse("commissioning:award_start", args=[tender.pk]),
                           {"bid": ready["dear"].pk}, follow=True)
    html = response.content.decode()
    assert "Award proposed: a colleague must approve it." in html
    award = Award.objects.get()
    assert "A different commissioner or administrator must approve" in html
    client.force_login(ready["approver"])
    client.post(reverse("commissioning:award_approve", args=[award.pk]))
    response = client.post(reverse("commissioning:award_notice", args=[award.pk]), follow=True)
    award.refresh_from_db()
    assert "Contract award notice published" in response.content.decode()
    from core.templatetags.govuk import govuk_date

    assert govuk_date(award.standstill_ends_on) in response.content.decode()


def test_bidders_read_only_their_own_feedback(client, ready, commissioner):
    award = award_propose(tender=ready["tender"], actor=commissioner)
    url = reverse("commissioning:feedback", args=[ready["cheap"].pk])
    client.force_login(ready["cheap"].created_by)
    assert client.get(url).status_code == 404  # nothing sent before approval
    award_approve(award=award, actor=ready["approver"])
    html = client.get(url).content.decode()
    assert "Your bid was not successful" in html
    assert "Hillside Support" in html and "Scored 60: evidence." in html
    assert client.get(reverse("commissioning:feedback",
                              args=[ready["dear"].pk])).status_code == 404
    client.force_login(factories.member(factories.OrganisationFactory(), "provider_admin"))
    assert client.get(url).status_code == 404
    client.force_login(commissioner)
    assert client.get(url).status_code == 404


def test_each_lot_is_ranked_and_awarded_on_its_own(authority, commissioner):
    from commissioning.services.evaluation import evaluator_add, moderation_save, scores_save
    from tests.commissioning import factories as cf

    tender = support.closed_tender(authority, commissioner)
    criteria = support.standard_criteria(tender)
    lots = [cf.LotFactory(tender=tender, number=n) for n in (1, 2)]
    bids = {(lot.number, name): support.sealed_bid(tender, lot=lot, name=f"{name} {lot.number}",
                                                   price=price)
            for lot in lots for name, price in (("Alpha", "90000.00"), ("Beta", "100000.00"))}
    panel = support.staff(authority, Role.EVALUATOR)
    approver = support.staff(authority, Role.AUTHORITY_ADMIN)
    evaluator_add(tender=tender, actor=commissioner, user=panel, is_moderator=True)
    support.open_and_start(tender, commissioner, approver)
    for person in (panel, commissioner, approver):
        support.declare(person, tender)

    def evaluate(bid, quality):
        marks = support.entries(criteria, quality=quality, social_value=60)
        scores_save(bid=bid, actor=panel, entries=marks, submit=True)
        moderation_save(bid=bid, actor=panel, entries=marks)

    evaluate(bids[(1, "Alpha")], 40)
    evaluate(bids[(1, "Beta")], 100)
    with pytest.raises(ValidationError) as error:
        award_propose(tender=tender, actor=commissioner)
    assert "lot" in error.value.error_dict
    first = award_propose(tender=tender, actor=commissioner, lot=lots[0])
    assert first.bid == bids[(1, "Beta")]
    # Lot 2 is still being evaluated while lot 1's award waits for approval.
    evaluate(bids[(2, "Alpha")], 80)
    evaluate(bids[(2, "Beta")], 20)
    second = award_propose(tender=tender, actor=commissioner, lot=lots[1])
    assert second.bid == bids[(2, "Alpha")]
    award_approve(award=first, actor=approver)
    assert set(first.summaries.values_list("bid_id", flat=True)) == {
        bids[(1, "Alpha")].pk, bids[(1, "Beta")].pk}
