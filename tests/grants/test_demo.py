"""The grants demo: rounds in every state, 20+ awards, through the services, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.audit import audit_verify
from grants.models import Application, Award, Programme, Repayment, Round, RuleResult
from grants.threesixty import package, quality
from socialvalue.models import Commitment, DeliveryReport
from tests.grants.threesixty_support import assert_valid_package


@pytest.mark.django_db
def test_the_demo_covers_the_lifecycle_and_is_valid_open_data(media_root, no_network):
    call_command("seed_demo", stdout=StringIO())
    counts = (Programme.objects.count(), Round.objects.count(), Award.objects.count())
    assert Award.objects.count() >= 20
    assert set(Round.objects.values_list("status", flat=True)) >= {
        "published", "assessment", "panel", "decided"}
    assert set(Award.objects.values_list("status", flat=True)) >= {"offered", "live", "closed"}
    assert set(Award.objects.values_list("instrument", flat=True)) == {"revenue", "repayable"}
    assert Award.objects.filter(from_open_call=False).count() == 2
    assert Application.objects.filter(stage="eoi", status="submitted").exists()
    assert Application.objects.filter(stage="full", status="draft",
                                      previous__isnull=False).exists()
    assert Repayment.objects.exists()
    closed = Award.objects.get(status="closed")
    assert closed.recoveries.get().amount > 0
    assert RuleResult.objects.filter(outcome="explained").exists()

    grants = list(package.grants())
    assert len(grants) >= 20
    assert_valid_package({"version": "1.4", "grants": grants})
    assert quality.package_problems(grants) == []
    pooled = [g for g in grants if len(g["fundingOrganization"]) == 2]
    assert pooled and all(len(g["commitmentTransaction"]) == 2 for g in pooled)

    # Grants report social value delivery in the ledger; figures are monetised indicators.
    ledgers = Award.objects.filter(social_value_ledger__isnull=False).values(
        "social_value_ledger")
    assert ledgers.exists()
    accepted = DeliveryReport.objects.filter(target__ledger__in=ledgers, status="accepted")
    assert accepted.filter(target__commitment__monetised_value__gt=0).exists()
    assert Commitment.objects.filter(monetised_value__gt=0).exclude(  # tenders' bids
        commitment_set__ledger__in=ledgers).exists()

    call_command("seed_demo", stdout=StringIO())
    assert (Programme.objects.count(), Round.objects.count(), Award.objects.count()) == counts
    assert audit_verify().ok
