"""Results of the GovS 015 minimum-requirement rules evaluated at each transition."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import AppendOnlyModel
from grants.models.programmes import Programme


class RuleResult(AppendOnlyModel):
    """One rule evaluated at one transition: passed, failed (a shall), or explained (a should)."""

    class Outcome(models.TextChoices):
        PASSED = "passed", "Met"
        EXPLAINED = "explained", "Not met: explained"
        FAILED = "failed", "Not met"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=40)
    subject_id = models.PositiveBigIntegerField()
    transition = models.CharField(max_length=40)
    rule_id = models.CharField(max_length=40)
    requirement = models.CharField(max_length=10, help_text="Minimum requirement, like MR4.")
    level = models.CharField(max_length=10)  # "shall" or "should"
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    detail = models.CharField(max_length=500)
    justification = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["programme", "created_at"]),
                   models.Index(fields=["subject_type", "subject_id"])]
