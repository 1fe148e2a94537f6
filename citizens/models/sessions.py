"""Meetings, who attended them, and the expenses and honoraria members claim for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel
from core.money import MoneyField


class PanelSession(TimeStampedModel):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "In person and online"

    panel = models.ForeignKey("citizens.Panel", on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    mode = models.CharField(max_length=20, choices=Mode.choices)
    location = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    agenda = models.TextField()
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["panel", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Attended"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Did not attend"

    session = models.ForeignKey(PanelSession, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey("citizens.PanelMembership", on_delete=models.CASCADE,
                                   related_name="attendance")
    status = models.CharField(max_length=20, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "membership"],
                                               name="citizens_attendance_once")]

    def __str__(self) -> str:
        return f"{self.membership_id} at {self.session_id}: {self.status}"


class PaymentRun(models.Model):
    """A batch of approved claims sent for payment: the CSV is produced from it."""

    panel = models.ForeignKey("citizens.Panel", on_delete=models.CASCADE,
                              related_name="payment_runs")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    total = MoneyField()
    claim_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Payment run {self.pk}"


class ExpenseClaim(TimeStampedModel):
    """Expenses or an honorarium for one session. Bank details are encrypted (citizens.crypto)."""

    class Kind(models.TextChoices):
        EXPENSES = "expenses", "Expenses (travel, care, meals)"
        HONORARIUM = "honorarium", "Honorarium for taking part"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for approval"
        APPROVED = "approved", "Approved, waiting for payment"
        REJECTED = "rejected", "Rejected"
        PAID = "paid", "Paid"

    session = models.ForeignKey(PanelSession, on_delete=models.PROTECT, related_name="claims")
    membership = models.ForeignKey("citizens.PanelMembership", on_delete=models.PROTECT,
                                   related_name="claims")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = MoneyField()
    description = models.CharField(max_length=300, blank=True)
    bank_details = models.BinaryField(help_text="Encrypted account name, sort code and number.")
    account_last_digits = models.CharField(max_length=4)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=300, blank=True)
    payment_run = models.ForeignKey(PaymentRun, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="claims")
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["session", "membership", "kind"],
                                               name="citizens_claim_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} claim {self.pk}"
