"""Compliance checks about the portal itself (see compliance.registry)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from compliance.registry import FindingSpec, Severity, compliance_check
from core.models import AuditCheckpoint, AuditEntry

# Beat signs the head every 5 minutes: six missed rounds mean it is not running or refuses.
CHECKPOINT_OVERDUE_AFTER = timedelta(minutes=30)


@compliance_check(
    id="compliance.audit_checkpoint_overdue",
    title="Audit entries not signed by a checkpoint",
    severity=Severity.HIGH,
    interval=timedelta(minutes=15),
)
def audit_checkpoint_overdue(now: datetime) -> Iterator[FindingSpec]:
    """The oldest audit entry that no checkpoint signed, once it is overdue (two queries)."""
    signed_up_to = (AuditCheckpoint.objects.order_by("-number")
                    .values_list("sequence", flat=True).first()) or 0
    unsigned = (AuditEntry.objects.filter(sequence__gt=signed_up_to).order_by("sequence")
                .values("pk", "sequence", "created_at").first())
    if unsigned is None or unsigned["created_at"] > now - CHECKPOINT_OVERDUE_AFTER:
        return
    yield FindingSpec(
        subject=(ContentType.objects.get_for_model(AuditEntry), unsigned["pk"]),
        organisation_id=None,
        message=(
            f"Audit entries from {unsigned['sequence']} on (the first written "
            f"{timezone.localtime(unsigned['created_at']):%d %B %Y at %H:%M}) are not signed by a "
            "checkpoint: "
            "beat is not running, or it refuses to sign. Look for \"Audit checkpoint refused\" "
            "in the logs and run manage.py audit_verify."
        ),
    )
