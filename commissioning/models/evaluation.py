"""Evaluation: award criteria and scales, evaluators and conflicts, opening, scores."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from organisations.models import Organisation


class AwardCriterion(models.Model):
    class Kind(models.TextChoices):
        PRICE = "price", "Price"
        QUALITY = "quality", "Quality"
        SOCIAL_VALUE = "social_value", "Social value"
        PASS_FAIL = "pass_fail", "Pass or fail"

    tender = models.ForeignKey("commissioning.Tender", on_delete=models.CASCADE,
                               related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="sub_criteria")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Percent of the total score (0 for pass or fail criteria).")
    max_score = models.PositiveIntegerField(default=100)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ScaleDescriptor(models.Model):
    criterion = models.ForeignKey(AwardCriterion, on_delete=models.CASCADE,
                                  related_name="scale")
    score = models.PositiveIntegerField()
    descriptor = models.TextField()

    class Meta:
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["criterion", "score"],
                                               name="scale_score_once")]


class TenderEvaluator(models.Model):
    """A person on the tender's evaluation panel."""

    tender = models.ForeignKey("commissioning.Tender", on_delete=models.CASCADE,
                               related_name="evaluators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    is_moderator = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tender", "user"],
                                               name="evaluator_once")]


class ConflictDeclaration(models.Model):
    """Declared before an evaluator can see any bid (Procurement Act ss.81-83)."""

    tender = models.ForeignKey("commissioning.Tender", on_delete=models.CASCADE,
                               related_name="conflict_declarations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    has_conflict = models.BooleanField()
    conflicted_organisations = models.ManyToManyField(Organisation, blank=True,
                                                      related_name="+")
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_at", "-id"]


class Opening(models.Model):
    """Two different authorised people of the authority open the bids after the deadline."""

    tender = models.OneToOneField("commissioning.Tender", on_delete=models.CASCADE,
                                  related_name="opening")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)


class Score(models.Model):
    """One evaluator's score for one bid against one criterion; blind until submitted."""

    bid = models.ForeignKey("commissioning.Bid", on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(AwardCriterion, on_delete=models.CASCADE, related_name="+")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    score = models.PositiveIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "criterion", "evaluator"],
                                               name="score_once")]


class ModeratedScore(models.Model):
    """The consensus score and rationale; individual scores are kept beside it."""

    bid = models.ForeignKey("commissioning.Bid", on_delete=models.CASCADE,
                            related_name="moderated_scores")
    criterion = models.ForeignKey(AwardCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    rationale = models.TextField()
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    moderated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "criterion"],
                                               name="moderated_score_once")]


class CitizensDelegation(models.Model):
    """Evaluation questions the tender's managers put to a citizens' panel to score.

    The panel scores through a score decision of the citizens app, found by ``decision_id``
    (no foreign key: citizens knows nothing of tenders, ADR 0030). Bids are shown to the
    panel as "Bid A", "Bid B"… in the order of ``bid_labels``; the criteria of the delegated
    questions are not scored by the evaluators while the delegation stands.
    """

    class Status(models.TextChoices):
        WITH_PANEL = "with_panel", "With the citizens' panel"
        SCORED = "scored", "Scored by the citizens' panel"
        RETURNED = "returned", "Returned to the evaluators"

    tender = models.ForeignKey("commissioning.Tender", on_delete=models.CASCADE,
                               related_name="citizens_delegations")
    questions = models.ManyToManyField("commissioning.TenderQuestion", related_name="+")
    criteria = models.ManyToManyField(AwardCriterion, related_name="+")
    decision_id = models.PositiveIntegerField(unique=True)
    panel_id = models.PositiveIntegerField()
    panel_title = models.CharField(max_length=200)
    bid_labels = models.JSONField(default=dict, help_text="Bid id to the label the panel sees.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WITH_PANEL)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def standing(self) -> bool:
        return self.status != self.Status.RETURNED


class DelegatedAnswerSummary(models.Model):
    """An easy-read summary of one bid's answer to a delegated question, written by the
    tender's commissioners for the citizens' panel (who read it beside the answer itself)."""

    delegation = models.ForeignKey(CitizensDelegation, on_delete=models.CASCADE,
                                   related_name="summaries")
    bid = models.ForeignKey("commissioning.Bid", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey("commissioning.TenderQuestion", on_delete=models.CASCADE,
                                 related_name="+")
    text = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["delegation", "bid", "question"],
                                               name="one_summary_per_answer")]
