"""Runs of compliance checks and the findings they open, refresh and resolve."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from compliance.registry import Severity


class CheckRun(models.Model):
    """One execution of one check: when, what changed, and the error if it failed."""

    check_id = models.CharField(max_length=100)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    opened_count = models.PositiveIntegerField(default=0)
    still_open_count = models.PositiveIntegerField(default=0)
    resolved_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["check_id", "-started_at"], name="checkrun_check_started")]

    def __str__(self) -> str:
        return f"{self.check_id} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def succeeded(self) -> bool:
        return self.finished_at is not None and not self.error


class Finding(models.Model):
    """A problem one check saw about one subject, from first sighting until it went away.

    At most one finding per (check, subject) is open at a time; a problem that comes back
    after being resolved opens a new finding, so the history of each episode is kept.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    check_id = models.CharField(max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="compliance_findings",
        help_text="Whose admins must act; empty for the platform's admins.",
    )
    message = models.TextField()
    severity = models.CharField(max_length=10, choices=Severity.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The person who has taken the finding on.")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-first_seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["check_id", "content_type", "object_id"],
                condition=Q(status="open"),
                name="finding_one_open_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True)
                | Q(status="resolved", resolved_at__isnull=False),
                name="finding_resolved_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-first_seen_at"],
                         name="finding_org_status_seen"),
            models.Index(fields=["check_id", "status"], name="finding_check_status"),
            models.Index(fields=["status", "-first_seen_at"], name="finding_status_seen"),
        ]

    def __str__(self) -> str:
        return f"{self.check_id}: {self.message[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class FindingEvent(models.Model):
    """One thing a person did about a finding: assigned it, acknowledged it or commented.

    Append-only: the finding's page shows these in order, so who took it on and what they said
    stays on record after the finding is resolved.
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        UNASSIGNED = "unassigned", "Unassigned"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        COMMENTED = "commented", "Commented"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    assignee = models.ForeignKey("accounts.User", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["finding", "created_at"], name="findingevent_finding")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor} on {self.created_at:%Y-%m-%d %H:%M}"
