"""Monitoring and change: outcome measures, reports, variations, annual reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import TimeStampedModel
from core.money import MoneyField
from grants.models.awards import Award
from socialvalue.models import Measure


class AwardMeasure(models.Model):
    """A social value measure the recipient chose at application, with its target."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="measures")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["award", "measure"],
                                               name="grant_award_measure_once")]


class MonitoringReport(TimeStampedModel):
    class Status(models.TextChoices):
        DUE = "due", "Due"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned for changes"

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    number = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField(db_index=True)
    is_final = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DUE,
                              db_index=True)
    progress = models.TextField(blank=True)
    spend_to_date = MoneyField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="grant_report_number"),
            models.CheckConstraint(condition=Q(period_start__lte=F("period_end")),
                                   name="grant_report_period_in_order"),
        ]


class MeasureResult(models.Model):
    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE,
                               related_name="results")
    award_measure = models.ForeignKey(AwardMeasure, on_delete=models.PROTECT, related_name="+")
    actual = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "award_measure"],
                                               name="grant_measure_result_once")]


class Variation(TimeStampedModel):
    """A versioned amendment to an award: why, who approved it, before and after."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="variations")
    version = models.PositiveSmallIntegerField()
    reason = models.TextField()
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["award", "version"], name="grant_variation_version"),
            models.CheckConstraint(condition=Q(decided_by__isnull=True)
                                   | ~Q(decided_by=F("proposed_by")),
                                   name="grant_variation_four_eyes"),
        ]


class AnnualReview(TimeStampedModel):
    """The yearly review and reconciliation (GovS 015 MR9) that gates next year's payments."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue funding"
        AMEND = "amend", "Amend funding"
        DISCONTINUE = "discontinue", "Discontinue funding"

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="annual_reviews")
    year = models.PositiveSmallIntegerField()
    due_on = models.DateField(db_index=True)
    spend_planned = MoneyField(null=True, blank=True)
    spend_actual = MoneyField(null=True, blank=True)
    delivery_summary = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["award", "year"],
                                               name="grant_annual_review_once")]
