"""Grant monitoring records social value delivery in the ledger contracts use, so the social
value reports read grants and contracts from one ledger."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.services import awards, monitoring
from socialvalue import hooks, reporting
from socialvalue.models import DeliveryReport, DeliveryTarget, ProxyValue
from tests.grants import support
from tests.grants.test_lifecycle import decided, submitted
from tests.grants.test_payments import live_award  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(open_round, manager, second_manager, assessor):
    org, user = support.applicant()
    application = submitted(open_round, user, org)
    decided(application, manager, second_manager, assessor)
    measure = support.measure()
    ProxyValue.objects.create(measure=measure, version=1, value=Decimal("18.50"),
                              source="A test value", price_base_year=2024, licence="OGL")
    today = timezone.localdate()
    award = awards.award_make(actor=manager, application=application, planned_start=today,
                              planned_end=today + datetime.timedelta(days=364))
    awards.agreement_accept(actor=user, award=award, name="Sam Jones", position="Chair")
    award.refresh_from_db()
    award.recipient_user = user
    return award


def test_accepting_the_agreement_opens_a_ledger_with_a_target_per_report(live):
    ledger = live.social_value_ledger
    assert ledger is not None
    assert (ledger.authority_id, ledger.supplier_id) == (live.programme.authority_id,
                                                         live.recipient_id)
    targets = DeliveryTarget.objects.filter(ledger=ledger).order_by("period_start")
    periods = [(r.period_start, r.period_end) for r in live.reports.order_by("number")]
    assert [(t.period_start, t.period_end) for t in targets] == periods
    assert sum(t.target for t in targets) == live.measures.get().target
    assert targets[0].commitment.monetised_value == live.measures.get().target * Decimal("18.50")
    assert hooks.ledger_contexts([ledger.pk])[ledger.pk].label == (
        f"Grant {live.reference}: {live.title}")


def test_a_monitoring_report_is_the_ledgers_delivery_report(live, manager):
    report = live.reports.order_by("number").first()
    chosen = live.measures.get()
    monitoring.report_submit(actor=live.recipient_user, report=report, progress="Going well",
                             spend_to_date=Decimal("100"), results={chosen.pk: Decimal("40")})
    delivery = DeliveryReport.objects.get(target__ledger=live.social_value_ledger)
    assert (delivery.actual, delivery.status) == (Decimal("40"), "submitted")
    monitoring.report_review(actor=manager, report=report, accept=True)
    delivery.refresh_from_db()
    assert delivery.status == "accepted" and delivery.reviewed_by == manager
    rows = reporting.delivery_rows(authorities=[live.programme.authority])
    assert sum(row["delivered"] for row in rows) == Decimal("740.00")  # 40 × £18.50


def test_a_returned_report_rejects_the_delivery_and_can_be_sent_again(live, manager):
    report = live.reports.order_by("number").first()
    chosen = live.measures.get()
    monitoring.report_submit(actor=live.recipient_user, report=report, progress="Going well",
                             spend_to_date=Decimal("100"), results={chosen.pk: Decimal("40")})
    monitoring.report_review(actor=manager, report=report, accept=False,
                             comment="Add the attendance register")
    rejected = DeliveryReport.objects.get(target__ledger=live.social_value_ledger)
    assert rejected.status == "rejected"
    assert rejected.review_reason == "Add the attendance register"
    report.refresh_from_db()
    monitoring.report_submit(actor=live.recipient_user, report=report, progress="With register",
                             spend_to_date=Decimal("100"), results={chosen.pk: Decimal("38")})
    latest = DeliveryReport.objects.filter(target__ledger=live.social_value_ledger).first()
    assert (latest.actual, latest.status) == (Decimal("38"), "submitted")


def test_a_grant_without_measures_has_no_ledger(live_award):  # noqa: F811
    assert live_award.measures.count() == 0
    assert live_award.social_value_ledger is None
