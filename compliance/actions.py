"""What people do about a finding: assign it to someone, acknowledge it, comment on it.

Each action is one service that checks the actor may see the finding, changes it, appends a
FindingEvent (the history the finding's page shows), audits, and notifies the person a finding
was assigned to (through the outbox, after commit).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from compliance.models import Finding, FindingEvent
from compliance.presenters import check_title
from compliance.selectors import can_view_findings
from core.audit import audit_record
from core.notifications import notify
from organisations.models import AUTHORITY_ROLES

COMMENT_LIMIT = 2000


def assignable_people(*, finding: Finding) -> QuerySet:
    """Who a finding can be given to: its organisation's authority staff, or platform admins."""
    users = get_user_model().objects.filter(is_active=True)
    if finding.organisation_id is None:
        return users.filter(is_platform_admin=True).order_by("email")
    return users.filter(memberships__organisation_id=finding.organisation_id,
                        memberships__role__in=AUTHORITY_ROLES).distinct().order_by("email")


def _check_may_act(*, actor, finding: Finding) -> None:
    if not can_view_findings(user=actor, organisation=finding.organisation):
        raise PermissionDenied("You cannot act on this finding.")


def _record(*, actor, finding: Finding, kind: str, text: str = "", assignee=None) -> FindingEvent:
    event = FindingEvent.objects.create(finding=finding, actor=actor, kind=kind, text=text,
                                        assignee=assignee)
    audit_record(actor=actor, action=f"finding.{kind}", obj=finding,
                 summary=f"{event.get_kind_display()}: {check_title(finding.check_id)}",
                 changes={"assignee": getattr(assignee, "pk", None), "text": text[:200]},
                 organisation_id=finding.organisation_id)
    return event


@transaction.atomic
def finding_assign(*, actor, finding: Finding, assignee) -> FindingEvent:
    """Give the finding to `assignee` (None: to nobody), and tell them."""
    _check_may_act(actor=actor, finding=finding)
    if assignee is not None and not assignable_people(finding=finding).filter(
            pk=assignee.pk).exists():
        raise ValidationError({"assignee": "Choose someone who can see this finding."})
    if assignee == finding.assigned_to:
        raise ValidationError({"assignee": "The finding is already assigned to them."})
    finding.assigned_to = assignee
    finding.save(update_fields=["assigned_to"])
    kind = FindingEvent.Kind.ASSIGNED if assignee else FindingEvent.Kind.UNASSIGNED
    event = _record(actor=actor, finding=finding, kind=kind, assignee=assignee)
    if assignee is not None and assignee != actor:
        notify(recipients=[assignee], subject=f"Compliance finding for you: "
               f"{check_title(finding.check_id)}", body=f"{actor} assigned you a compliance "
               f"finding: {finding.message}",
               url=reverse("compliance:finding_detail", args=[finding.pk]))
    return event


@transaction.atomic
def finding_acknowledge(*, actor, finding: Finding) -> FindingEvent:
    """Say the finding has been seen and is being dealt with (once per finding)."""
    _check_may_act(actor=actor, finding=finding)
    if finding.acknowledged_at is not None:
        raise ValidationError("The finding has been acknowledged already.")
    finding.acknowledged_at, finding.acknowledged_by = timezone.now(), actor
    finding.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return _record(actor=actor, finding=finding, kind=FindingEvent.Kind.ACKNOWLEDGED)


@transaction.atomic
def finding_comment(*, actor, finding: Finding, text: str) -> FindingEvent:
    """Add a comment to the finding's history."""
    _check_may_act(actor=actor, finding=finding)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter a comment."})
    if len(text) > COMMENT_LIMIT:
        raise ValidationError({"text": f"Comments must be {COMMENT_LIMIT} characters or fewer."})
    return _record(actor=actor, finding=finding, kind=FindingEvent.Kind.COMMENTED, text=text)
