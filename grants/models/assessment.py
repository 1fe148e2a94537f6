"""Assessment: assessors and their conflict declarations, scores, moderation, panel decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel
from core.money import MoneyField
from grants.models.applications import Application
from grants.models.programmes import Criterion, Round


class AssessorAssignment(TimeStampedModel):
    """An assessor on a round. Nothing is shown to them until they have declared conflicts."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assessors")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="grant_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    declared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "assessor"],
                                               name="grant_assessor_once")]


class ConflictDeclaration(TimeStampedModel):
    """An assessor's declared conflict with one application: it is hidden from them."""

    assignment = models.ForeignKey(AssessorAssignment, on_delete=models.CASCADE,
                                   related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "application"],
                                               name="grant_conflict_once")]


class Assessment(TimeStampedModel):
    class Recommendation(models.TextChoices):
        FUND = "fund", "Fund"
        FUND_WITH_CONDITIONS = "conditions", "Fund with conditions"
        DO_NOT_FUND = "reject", "Do not fund"

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    comments = models.TextField(blank=True)
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True,
                                help_text="Weighted score out of 100.")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "assessor"],
                                               name="grant_assessment_once")]


class CriterionScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"],
                                               name="grant_score_once")]


class Moderation(TimeStampedModel):
    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="moderation")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    notes = models.TextField()
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")


class PanelDecision(TimeStampedModel):
    """The panel's decision on one application, approved by someone who did not assess it.

    `external_recommendation` keeps a recommendation made elsewhere (a citizens' panel
    allocating a participatory budget, say) as the panel received it.
    """

    class Outcome(models.TextChoices):
        FUND = "fund", "Fund"
        REJECT = "reject", "Do not fund"
        INVITE = "invite", "Invite to apply in full"

    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="decision")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    amount = MoneyField(null=True, blank=True)
    rationale = models.TextField()
    feedback = models.TextField(help_text="Feedback for the applicant, in the decision letter.")
    external_recommendation = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    letter_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(outcome="fund") | Q(amount__gt=0),
                                   name="grant_decision_fund_has_amount"),
            models.CheckConstraint(condition=Q(approved_by__isnull=True)
                                   | ~Q(approved_by=models.F("recorded_by")),
                                   name="grant_decision_four_eyes"),
        ]
