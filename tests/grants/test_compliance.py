"""The grants compliance checks catch what they should, and nothing else."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from compliance import services
from compliance.models import Finding
from grants import compliance as checks
from grants.models import AnnualReview, Award, MonitoringReport, Round
from grants.services import awards, payments
from tests.grants import support
from tests.grants.test_payments import live_award  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def found(check, now=None):
    return list(check(now or timezone.now()))


def test_report_overdue(live_award):  # noqa: F811
    assert found(checks.report_overdue) == []
    MonitoringReport.objects.filter(award=live_award, number=1).update(
        due_on=timezone.localdate() - DAY)
    [finding] = found(checks.report_overdue)
    assert "monitoring report 1 was due" in finding.message
    assert finding.organisation_id == live_award.programme.authority_id


def test_payment_due_but_blocked(live_award, manager):  # noqa: F811
    payments.instalment_schedule(actor=manager, award=live_award, amount=Decimal("100"),
                                 due_on=timezone.localdate(), milestone="Claim")
    assert found(checks.payment_blocked) == []
    MonitoringReport.objects.filter(award=live_award, number=1).update(
        due_on=timezone.localdate() - DAY)
    assert len(found(checks.payment_blocked)) == 1
    assert len(found(checks.payment_blocked)) == len(
        [i for i in live_award.instalments.all() if i.status == "scheduled"])


def test_annual_review_due(live_award):  # noqa: F811
    assert found(checks.annual_review_due) == []
    AnnualReview.objects.filter(award=live_award, year=1).update(
        due_on=timezone.localdate() - DAY)
    assert "annual review of year 1" in found(checks.annual_review_due)[0].message


def test_round_closing_with_no_assessor(open_round, manager, assessor):
    assert found(checks.round_without_assessor) == []
    Round.objects.filter(pk=open_round.pk).update(closes_at=timezone.now() + 2 * DAY)
    assert len(found(checks.round_without_assessor)) == 1
    from grants.services.assessment import assessor_assign

    assessor_assign(actor=manager, round_=open_round, assessor=assessor)
    assert found(checks.round_without_assessor) == []


def test_award_not_published_as_open_data(live_award, tmp_path):  # noqa: F811
    assert found(checks.award_not_published) == []
    Award.objects.filter(pk=live_award.pk).update(
        awarded_on=timezone.localdate() - 40 * DAY)
    assert len(found(checks.award_not_published)) == 1
    from io import StringIO

    from django.core.management import call_command

    call_command("export_360giving", output=str(tmp_path / "g.json"), stdout=StringIO(),
                 stderr=StringIO(), no_check=True)
    assert found(checks.award_not_published) == []


def test_agreement_not_accepted_after_20_working_days(programme, manager):
    round_ = support.published_round(programme, manager, kind="direct")
    org, _ = support.applicant()
    award = awards.grant_direct_award(
        actor=manager, round=round_, organisation=org, amount=Decimal("5000"),
        justification="Sole provider", title="T", description="D",
        planned_start=timezone.localdate(), planned_end=timezone.localdate() + 300 * DAY,
        justifications={"mr8_measures": "Later"})
    assert found(checks.agreement_not_accepted) == []
    Award.objects.filter(pk=award.pk).update(awarded_on=timezone.localdate() - 35 * DAY)
    assert "has not accepted the agreement after 20 working days" in found(
        checks.agreement_not_accepted)[0].message


def test_the_checks_run_through_the_registry(live_award):  # noqa: F811
    MonitoringReport.objects.filter(award=live_award, number=1).update(
        due_on=timezone.localdate() - DAY)
    services.check_run(check_id="grants.report_overdue")
    assert Finding.objects.filter(check_id="grants.report_overdue").count() == 1
