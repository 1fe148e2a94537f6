"""The payment schedule: instalments tied to milestones or claims, and recoveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import Document, TimeStampedModel
from core.money import MoneyField
from grants.models.awards import Award


class Instalment(TimeStampedModel):
    """One scheduled payment. In arrears by default; an advance needs a recorded need."""

    class Timing(models.TextChoices):
        ARREARS = "arrears", "In arrears (on a claim or milestone)"
        ADVANCE = "advance", "In advance (need recorded)"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        PAID = "paid", "Paid"
        CANCELLED = "cancelled", "Cancelled"

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField(default=1, help_text="Year of the grant (1, 2, …).")
    due_on = models.DateField()
    amount = MoneyField()
    timing = models.CharField(max_length=10, choices=Timing.choices, default=Timing.ARREARS)
    advance_need = models.TextField(blank=True)
    milestone = models.CharField(max_length=300)
    claim_evidence = models.ForeignKey(Document, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    claim_notes = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED,
                              db_index=True)
    paid_amount = MoneyField(default=0)
    paid_on = models.DateField(null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="grant_instalment_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_instalment_positive"),
            models.CheckConstraint(condition=Q(paid_amount__lte=F("amount")),
                                   name="grant_instalment_paid_le_amount"),
            models.CheckConstraint(condition=~Q(timing="advance") | ~Q(advance_need=""),
                                   name="grant_instalment_advance_needs_reason"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(paid_on__isnull=False),
                                   name="grant_instalment_paid_has_date"),
        ]

    def __str__(self) -> str:
        return f"Instalment {self.number}"


class Recovery(TimeStampedModel):
    """Money recovered from the recipient: an underspend returned or a clawback."""

    class Kind(models.TextChoices):
        UNDERSPEND = "underspend", "Underspend returned"
        CLAWBACK = "clawback", "Clawback"

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="recoveries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = MoneyField()
    reason = models.TextField()
    received_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="grant_recovery_positive")]
