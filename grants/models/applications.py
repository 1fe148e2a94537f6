"""Applications (expressions of interest and full applications), their answers and receipts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import Document, TimeStampedModel
from core.money import MoneyField
from grants.models.programmes import Question, Round, Stage
from organisations.models import Organisation


class Application(TimeStampedModel):
    """One organisation's application to one stage of a round.

    A full application invited after an expression of interest points at it (`previous`) and
    starts with its answers carried forward.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        INELIGIBLE = "ineligible", "Not eligible"
        ELIGIBLE = "eligible", "In assessment"
        INVITED = "invited", "Invited to apply in full"
        NOT_INVITED = "not_invited", "Not invited to apply in full"
        SUCCESSFUL = "successful", "Successful"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.FULL)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="next_stage")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="grant_applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    reference = models.CharField(max_length=30, unique=True)
    project_title = models.CharField(max_length=200, blank=True)
    project_summary = models.TextField(blank=True)
    amount_requested = MoneyField(null=True, blank=True)
    annual_income = MoneyField(null=True, blank=True,
                               help_text="Total income in the latest annual accounts.")
    beneficiary_postcode = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    eligibility = models.JSONField(default=list, blank=True,
                                   help_text="The eligibility results at submission.")
    screening_reason = models.TextField(blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["round", "stage", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "stage", "organisation"],
                condition=~Q(status="withdrawn"), name="grant_application_one_live_per_stage"),
            models.CheckConstraint(condition=Q(submitted_at__isnull=False)
                                   | Q(status__in=["draft", "withdrawn"]),
                                   name="grant_application_submitted_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.project_title or self.organisation.name}"


class Answer(TimeStampedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(null=True, blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "question"],
                                               name="grant_answer_once")]


class ApplicationReceipt(models.Model):
    """Proof of submission: a reference, the server time and a digest of the answers."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="receipts")
    number = models.CharField(max_length=40, unique=True)
    received_at = models.DateTimeField()
    answers_sha256 = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["-received_at"]
