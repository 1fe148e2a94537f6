"""Commissioning projects and preliminary market engagement (co-design before a tender)."""

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel
from core.money import MoneyField
from organisations.models import Organisation


class Project(TimeStampedModel):
    """A need an authority wants to meet: it may run market engagement and lead to tenders."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ENGAGEMENT = "engagement", "Market engagement"
        PROCUREMENT = "procurement", "In procurement"
        CLOSED = "closed", "Closed"

    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(max_length=200)
    need = models.TextField(help_text="The need or problem, in plain language.")
    outcomes = models.TextField(help_text="The outcomes sought for people and places.")
    budget = MoneyField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    is_public = models.BooleanField(default=False, help_text="Shown in the public pipeline.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class EngagementEvent(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200, help_text="An address, or 'Online'.")

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class MarketQuestion(TimeStampedModel):
    """A question the authority asks the market during preliminary engagement."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    closes_at = models.DateTimeField()

    class Meta:
        ordering = ["closes_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class MarketResponse(TimeStampedModel):
    question = models.ForeignKey(MarketQuestion, on_delete=models.CASCADE,
                                 related_name="responses")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "organisation"],
                                               name="one_response_per_organisation")]


class CitizenComment(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]
