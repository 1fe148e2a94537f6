"""Compliance checks about mutual recognition (see compliance.registry)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType

from compliance.registry import FindingSpec, Severity, compliance_check
from core.calendar import local_date
from mutuals.models import Recognition
from mutuals.selectors import recognitions_due_for_reconfirmation

RECONFIRM_NOTICE_DAYS = 30


@compliance_check(
    id="mutuals.recognition_reconfirmation_due",
    title="Mutual recognition due for re-confirmation",
    severity=Severity.MEDIUM,
    interval=timedelta(hours=24),
)
def recognition_reconfirmation_due(now: datetime) -> Iterator[FindingSpec]:
    """Recognitions lapsing within 30 days with no later recognition and no open request."""
    content_type = ContentType.objects.get_for_model(Recognition)
    open_requests = Recognition.objects.filter(status=Recognition.Status.REQUESTED)
    due = (recognitions_due_for_reconfirmation(within_days=RECONFIRM_NOTICE_DAYS,
                                               on=local_date(now))
           .exclude(organisation__in=open_requests.values("organisation")))
    for recognition in due:
        yield FindingSpec(
            subject=(content_type, recognition.pk), organisation_id=recognition.organisation_id,
            message=f"{recognition.organisation.name}'s recognition "
                    f"({recognition.get_definition_key_display().lower()}) lapses on "
                    f"{recognition.valid_until:%-d %B %Y}: ask for it to be re-confirmed.")
