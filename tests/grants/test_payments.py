"""Payment invariants: paid ≤ scheduled ≤ awarded and recovered ≤ paid, in the services and in
the database; blocks that say why; advances only with a recorded need."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from grants import govs015
from grants.models import Award, Instalment
from grants.selectors.awards import payment_blocks
from grants.services import awards, monitoring, payments
from tests.grants import support

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def live_award(programme, manager):
    round_ = support.published_round(programme, manager, kind="direct")
    org, user = support.applicant()
    award = awards.grant_direct_award(
        actor=manager, round=round_, organisation=org, amount=Decimal("30000"),
        justification="Sole provider", title="Lunch club", description="Meals for older people",
        planned_start=timezone.localdate(), planned_end=timezone.localdate()
        + datetime.timedelta(days=700), justifications={"mr8_measures": "Agreed later"})
    awards.agreement_accept(actor=user, award=award, name="A Person", position="Chair")
    awards.due_diligence_record(actor=manager, award=award, kind="registration",
                                outcome="passed", notes="Register checked")
    award.refresh_from_db()
    award.recipient_user = user
    return award


def test_the_schedule_never_exceeds_the_award(live_award, manager):
    payments.instalment_schedule(actor=manager, award=live_award, amount=Decimal("20000"),
                                 due_on=TODAY, milestone="Start")
    with pytest.raises(ValidationError, match="Only £10,000.00 of the award"):
        payments.instalment_schedule(actor=manager, award=live_award,
                                     amount=Decimal("10000.01"), due_on=TODAY, milestone="End")


def test_the_database_refuses_a_breach_whatever_the_code(live_award):
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.filter(pk=live_award.pk).update(amount_scheduled=F("amount_awarded") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.filter(pk=live_award.pk).update(amount_paid=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Instalment.objects.create(award=live_award, number=9, due_on=TODAY,
                                  amount=Decimal("10"), timing="advance", milestone="x")


def test_an_advance_needs_a_recorded_need_and_is_explained(live_award, manager):
    with pytest.raises(ValidationError, match="in advance"):
        payments.instalment_schedule(actor=manager, award=live_award, amount=Decimal("5000"),
                                     due_on=TODAY, milestone="Start", timing="advance")
    instalment = payments.instalment_schedule(
        actor=manager, award=live_award, amount=Decimal("5000"), due_on=TODAY,
        milestone="Start", timing="advance", advance_need="No reserves to pay the cook")
    payments.instalment_release(actor=manager, instalment=instalment, claim_notes="")
    result = govs015.RuleResult.objects.get(rule_id="mpm_arrears", subject_id=instalment.pk)
    assert result.outcome == "explained" and result.justification == "No reserves to pay the cook"


def test_an_overdue_report_blocks_payment_and_the_page_says_why(client, live_award, manager):
    instalment = payments.instalment_schedule(actor=manager, award=live_award,
                                              amount=Decimal("5000"), due_on=TODAY,
                                              milestone="Claim 1")
    live_award.reports.filter(number=1).update(due_on=TODAY - datetime.timedelta(days=1))
    instalment.award = live_award
    blocks = payment_blocks(instalment=instalment)
    assert blocks and "Monitoring report 1 was due on" in blocks[0]
    with pytest.raises(govs015.RequirementNotMet):
        payments.instalment_release(actor=manager, instalment=instalment, claim_notes="Claim")
    client.force_login(manager)
    from django.urls import reverse

    page = client.get(reverse("grants:award_manage", args=[live_award.pk])).content.decode()
    assert "Blocked:" in page and "Monitoring report 1 was due on" in page


def test_next_years_payments_wait_for_the_annual_review(live_award, manager):
    instalment = payments.instalment_schedule(actor=manager, award=live_award,
                                              amount=Decimal("5000"), due_on=TODAY,
                                              milestone="Year 2", year=2)
    with pytest.raises(govs015.RequirementNotMet, match="annual review of year 1"):
        payments.instalment_release(actor=manager, instalment=instalment, claim_notes="Claim")
    review = live_award.annual_reviews.get(year=1)
    monitoring.annual_review_complete(actor=manager, review=review, spend_planned=Decimal("1"),
                                      spend_actual=Decimal("1"), delivery_summary="On track",
                                      decision="continue")
    payments.instalment_release(actor=manager, instalment=instalment, claim_notes="Claim")


def test_a_recovery_cannot_exceed_what_was_paid(live_award, manager):
    instalment = payments.instalment_schedule(actor=manager, award=live_award,
                                              amount=Decimal("1000"), due_on=TODAY,
                                              milestone="Start")
    payments.instalment_release(actor=manager, instalment=instalment, claim_notes="Claim")
    with pytest.raises(ValidationError, match="Only £1,000.00 has been paid"):
        payments.recovery_record(actor=manager, award=live_award, kind="clawback",
                                 amount=Decimal("1000.01"), reason="Misuse", received_on=TODAY)


def test_a_variation_is_approved_by_another_manager(live_award, manager, second_manager):
    variation = monitoring.variation_propose(actor=manager, award=live_award, reason="Less",
                                             changes={"amount_awarded": Decimal("20000")})
    with pytest.raises(ValidationError, match="other than the proposer"):
        monitoring.variation_decide(actor=manager, variation=variation, approve=True)
    monitoring.variation_decide(actor=second_manager, variation=variation, approve=True)
    live_award.refresh_from_db()
    assert live_award.amount_awarded == Decimal("20000")
    assert variation.before == {"amount_awarded": "30000.00"}


def test_random_sequences_of_money_moves_keep_the_invariants(live_award, manager):
    """A seeded random walk of schedule, pay (part or whole), cancel and recover."""
    rng = random.Random(2026)
    for _ in range(60):
        award = Award.objects.get(pk=live_award.pk)
        move = rng.choice(["schedule", "pay", "cancel", "recover"])
        amount = Decimal(rng.randint(1, 900000)) / 100
        try:
            if move == "schedule":
                payments.instalment_schedule(actor=manager, award=award, amount=amount,
                                             due_on=TODAY, milestone="Claim")
            elif move in ("pay", "cancel") and award.instalments.filter(status="scheduled"):
                instalment = rng.choice(list(award.instalments.filter(status="scheduled")))
                if move == "pay":
                    payments.instalment_release(actor=manager, instalment=instalment,
                                                amount=min(amount, instalment.amount),
                                                claim_notes="Claim")
                else:
                    payments.instalment_cancel(actor=manager, instalment=instalment,
                                               reason="Not needed")
            elif move == "recover":
                payments.recovery_record(actor=manager, award=award, kind="underspend",
                                         amount=amount, reason="Unspent", received_on=TODAY)
        except ValidationError:
            pass
        award = Award.objects.get(pk=live_award.pk)
        rows = list(award.instalments.all())
        assert award.amount_paid <= award.amount_scheduled <= award.amount_awarded
        assert award.amount_recovered <= award.amount_paid
        assert award.amount_paid == sum(i.paid_amount for i in rows)
        assert award.amount_scheduled == sum(
            (i.paid_amount if i.status == "paid" else i.amount)
            for i in rows if i.status != "cancelled")
