"""The grants demo: rounds in every state, 20+ awards, through the services, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.audit import audit_verify
from grants.models import Application, Award, Programme, Repayment, Round, RuleResult
from grants.threesixty import package, quality
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

    call_command("seed_demo", stdout=StringIO())
    assert (Programme.objects.count(), Round.objects.count(), Award.objects.count()) == counts
    assert audit_verify().ok
