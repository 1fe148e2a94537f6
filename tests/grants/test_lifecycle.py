"""A grant from round to closure, through the services: every step a person takes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Notification, OutboxMessage
from grants import govs015
from grants.models import Award, RuleResult
from grants.services import applications as apps
from grants.services import assessment, awards, monitoring, payments
from tests.grants import support

pytestmark = pytest.mark.django_db


def submitted(round_, user, org):
    application = apps.application_start(actor=user, round_=round_, organisation=org)
    support.fill(application, user)
    apps.application_submit(actor=user, application=application)
    application.refresh_from_db()
    return application


def decided(application, manager, second_manager, assessor_user, outcome="fund"):
    apps.application_screen(actor=manager, application=application, eligible=True)
    assessment.assessor_assign(actor=manager, round_=application.round, assessor=assessor_user)
    assessment.conflicts_declare(actor=assessor_user, round_=application.round, conflicts={})
    criteria = list(application.round.criteria.all())
    assessment.assessment_save(
        actor=assessor_user, application=application, recommendation="fund",
        comments="Good", submit=True,
        scores={c.pk: {"score": 4, "comment": "Solid"} for c in criteria})
    decision = assessment.decision_record(
        actor=manager, application=application, outcome=outcome, rationale="Strong need",
        feedback="Well evidenced.", amount=Decimal("18000") if outcome == "fund" else None)
    assessment.decision_approve(actor=second_manager, decision=decision)
    application.refresh_from_db()
    return decision


def test_a_grant_runs_from_application_to_closure(open_round, manager, second_manager,
                                                  assessor):
    org, user = support.applicant()
    application = submitted(open_round, user, org)
    assert application.status == "submitted" and application.receipts.count() == 1
    assert OutboxMessage.objects.filter(task_name="core.send_notification_email").exists()
    decided(application, manager, second_manager, assessor)
    assert application.status == "successful"
    assert application.assessments.get().total == Decimal("80.00")

    today = timezone.localdate()
    award = awards.award_make(actor=manager, application=application, planned_start=today,
                              planned_end=today + datetime.timedelta(days=364))
    assert award.status == "offered" and award.measures.count() == 1
    assert RuleResult.objects.filter(transition="make_award", subject_id=award.pk).count() == 4
    instalment = payments.instalment_schedule(actor=manager, award=award, amount=Decimal("9000"),
                                              due_on=today, milestone="Start")
    with pytest.raises(ValidationError, match="not live"):
        payments.instalment_release(actor=manager, instalment=instalment, claim_notes="Claim")

    awards.agreement_accept(actor=user, award=award, name="Sam Jones", position="Chair")
    award.refresh_from_db()
    assert award.status == "live" and award.reports.count() == 2
    with pytest.raises(govs015.RequirementNotMet, match="Due diligence"):
        payments.instalment_release(actor=manager, instalment=instalment, claim_notes="Claim")
    awards.due_diligence_record(actor=manager, award=award, kind="registration",
                                outcome="passed", notes="Charity register checked")
    payments.instalment_release(actor=manager, instalment=instalment, claim_notes="Claim 1")
    award.refresh_from_db()
    assert (award.amount_paid, award.amount_scheduled) == (Decimal("9000"), Decimal("9000"))

    for report in award.reports.all():
        monitoring.report_submit(actor=user, report=report, progress="Going well",
                                 spend_to_date=Decimal("8000"),
                                 results={award.measures.get().pk: Decimal("250")})
        monitoring.report_review(actor=manager, report=report, accept=True)
    with pytest.raises(govs015.JustificationNeeded, match="not been recovered"):
        monitoring.award_close(actor=manager, award=award, notes="Done")
    payments.recovery_record(actor=manager, award=award, kind="underspend",
                             amount=Decimal("1000"), reason="Unspent",
                             received_on=today)
    monitoring.award_close(actor=manager, award=award, notes="Done")
    award.refresh_from_db()
    assert award.status == "closed" and award.amount_disbursed == Decimal("8000")


def test_the_decision_is_approved_by_someone_who_did_not_assess(open_round, manager, assessor,
                                                                second_manager):
    org, user = support.applicant()
    application = submitted(open_round, user, org)
    apps.application_screen(actor=manager, application=application, eligible=True)
    assessment.assessor_assign(actor=manager, round_=open_round, assessor=second_manager)
    decision = assessment.decision_record(
        actor=manager, application=application, outcome="reject", rationale="Weak",
        feedback="More evidence needed.")
    with pytest.raises(ValidationError, match="assessor"):
        assessment.decision_approve(actor=second_manager, decision=decision)
    with pytest.raises(ValidationError, match="other than"):
        assessment.decision_approve(actor=manager, decision=decision)


def test_the_letter_goes_to_unsuccessful_applicants_with_feedback(open_round, manager,
                                                                  second_manager, assessor):
    org, user = support.applicant()
    application = submitted(open_round, user, org)
    decided(application, manager, second_manager, assessor, outcome="reject")
    assert application.status == "unsuccessful"
    letter = Notification.objects.get(recipient=user, subject__startswith="Decision")
    assert "Well evidenced." in letter.body and "not been successful" in letter.body


def test_a_direct_award_goes_through_the_same_machinery(programme, manager):
    round_ = support.published_round(programme, manager, kind="direct")
    org, user = support.applicant()
    today = timezone.localdate()
    award = awards.grant_direct_award(
        actor=manager, round=round_, organisation=org, amount=Decimal("25000"),
        justification="Only mutual able to run the service", title="Mutual support",
        description="Support to spin out", planned_start=today,
        planned_end=today + datetime.timedelta(days=700),
        justifications={"mr8_measures": "Measures agreed in the support plan"})
    assert not award.from_open_call and award.agreement.text
    explained = RuleResult.objects.get(subject_id=award.pk, rule_id="mr5_competed")
    assert explained.outcome == "explained"
    assert explained.justification == "Only mutual able to run the service"


def test_publishing_needs_a_justification_for_a_failed_should(programme, manager):
    round_ = support.draft_round(programme, manager, kind="direct")
    programme.performance_measures = ""
    programme.save()
    from grants.services.programmes import round_publish

    with pytest.raises(govs015.JustificationNeeded, match="Performance measures"):
        round_publish(actor=manager, round_=round_)
    round_publish(actor=manager, round_=round_,
                  justifications={"mr8_performance": "Set per award"})
    assert RuleResult.objects.filter(rule_id="mr8_performance", outcome="explained").exists()


def test_a_failed_shall_cannot_be_explained_away(programme, manager):
    programme.ggis_scheme_id = ""
    programme.save()
    round_ = support.draft_round(programme, manager)
    from grants.services.programmes import round_publish

    with pytest.raises(govs015.RequirementNotMet, match="GGIS"):
        round_publish(actor=manager, round_=round_, justifications={"mr2_ggis": "Later"})


def test_other_authorities_cannot_manage(open_round, other_staff):
    from grants.services.programmes import round_move

    with pytest.raises(PermissionDenied):
        round_move(actor=other_staff, round_=open_round, name="start_assessment")


def test_repayable_grant_trigger_and_repayments(programme, manager, second_manager):
    round_ = support.published_round(programme, manager, kind="direct", instrument="repayable")
    org, user = support.applicant()
    today = timezone.localdate()
    award = awards.grant_direct_award(
        actor=manager, round=round_, organisation=org, amount=Decimal("40000"),
        justification="Social investment", title="Cafe", description="Community cafe",
        planned_start=today, planned_end=today + datetime.timedelta(days=365),
        repayment={"trigger": "revenue", "revenue_threshold": Decimal("250000")},
        justifications={"mr8_measures": "None"})
    awards.agreement_accept(actor=user, award=award, name="A B", position="Director")
    awards.due_diligence_record(actor=manager, award=award, kind="accounts", outcome="passed",
                                notes="Accounts seen")
    instalment = payments.instalment_schedule(actor=manager, award=award,
                                              amount=Decimal("40000"), due_on=today,
                                              milestone="Fit-out")
    payments.instalment_release(actor=manager, instalment=instalment, claim_notes="Invoice")
    with pytest.raises(ValidationError, match="trigger"):
        payments.repayment_record(actor=manager, award=award, amount=Decimal("100"),
                                  received_on=today, reference="R1")
    payments.repayment_trigger(actor=manager, award=award, triggered_on=today,
                               evidence="Accounts 2027: revenue £300,000",
                               first_repayment_due=today)
    payments.repayment_record(actor=manager, award=award, amount=Decimal("10000"),
                              received_on=today, reference="R1")
    with pytest.raises(ValidationError, match="outstanding"):
        payments.repayment_record(actor=manager, award=award, amount=Decimal("30000.01"),
                                  received_on=today, reference="R2")
    payments.repayment_write_off(actor=manager, award=award, reason="Business closed")
    award.refresh_from_db()
    assert award.amount_repaid == Decimal("10000")
    assert award.repayment.write_off_amount == Decimal("30000")
    assert Award.objects.get(pk=award.pk).status == "live"
