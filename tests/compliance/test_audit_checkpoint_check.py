"""The compliance check that notices audit entries no checkpoint has signed for too long."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from compliance import registry, services
from compliance.models import Finding
from core.audit import audit_checkpoint_write
from core.models import AuditEntry
from tests.core.chain_tampering import make_chain

CHECK = "compliance.audit_checkpoint_overdue"
pytestmark = pytest.mark.django_db


def open_findings(now) -> list[Finding]:
    assert services.check_run(check_id=CHECK, now=now).succeeded
    return list(Finding.objects.filter(check_id=CHECK, status=Finding.Status.OPEN))


def test_the_check_is_registered_for_the_platform_admins():
    check = registry.get_check(CHECK)
    assert (check.severity, check.interval) == ("high", timedelta(minutes=15))


def test_entries_unsigned_for_over_half_an_hour_raise_a_finding_until_a_checkpoint_signs_them():
    make_chain(3)
    assert open_findings(timezone.now() + timedelta(minutes=29)) == []

    later = timezone.now() + timedelta(minutes=31)
    [finding] = open_findings(later)
    first = AuditEntry.objects.get(sequence=1)
    assert finding.object_id == first.pk and finding.organisation_id is None
    assert finding.message.startswith("Audit entries from 1 on (the first written ")
    assert "Audit checkpoint refused" in finding.message

    audit_checkpoint_write()
    assert open_findings(later) == []
    assert Finding.objects.get(pk=finding.pk).status == Finding.Status.RESOLVED


def test_only_entries_after_the_last_checkpoint_count():
    make_chain(2)
    audit_checkpoint_write()
    make_chain(2)

    [finding] = open_findings(timezone.now() + timedelta(hours=1))

    assert finding.object_id == AuditEntry.objects.get(sequence=3).pk
    assert finding.message.startswith("Audit entries from 3 on")


def test_an_empty_chain_raises_nothing():
    assert open_findings(timezone.now() + timedelta(days=1)) == []
