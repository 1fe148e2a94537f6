"""Programmes, their pooled funding, and the rounds that open them to applicants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import Document, TimeStampedModel
from core.money import MoneyField
from organisations.models import Organisation


class Instrument(models.TextChoices):
    REVENUE = "revenue", "Revenue grant"
    CAPITAL = "capital", "Capital grant"
    REPAYABLE = "repayable", "Repayable (last-call) grant"


class Programme(TimeStampedModel):
    """A grant scheme: what it is for, its money, its business case and who approved it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                  related_name="grant_programmes")
    title = models.CharField(max_length=200)
    code = models.SlugField(max_length=40, unique=True,
                            help_text="A short code used in grant identifiers, like COMM-FUND.")
    summary = models.CharField(max_length=300)
    objectives = models.TextField()
    outcomes = models.TextField(help_text="The longer-term outcomes the programme is for.")
    total_budget = MoneyField()
    ggis_scheme_id = models.CharField("GGIS scheme identifier", max_length=40, blank=True)
    instruments = models.JSONField(default=list,
                                   help_text="The funding instruments the programme allows.")
    senior_officer = models.CharField("Senior officer responsible", max_length=150)
    business_case = models.TextField()
    business_case_document = models.ForeignKey(Document, null=True, blank=True,
                                               on_delete=models.PROTECT, related_name="+")
    business_case_approved_by = models.CharField(max_length=150, blank=True)
    business_case_approved_on = models.DateField(null=True, blank=True)
    risk_assessment = models.TextField(blank=True)
    fraud_risk_assessed_on = models.DateField(null=True, blank=True)
    performance_measures = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["title"]
        constraints = [models.CheckConstraint(condition=Q(total_budget__gt=0),
                                              name="grant_programme_budget_positive")]

    def __str__(self) -> str:
        return self.title

    def instrument_labels(self) -> list[str]:
        labels = dict(Instrument.choices)
        return [labels[value] for value in self.instruments if value in labels]


class FundingContribution(TimeStampedModel):
    """One funder's share of a pooled programme (collaborative commissioning across bodies)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE,
                                  related_name="contributions")
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    amount = MoneyField()
    committed_on = models.DateField()
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["committed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_contribution_positive"),
            models.UniqueConstraint(fields=["programme", "funder"],
                                    name="grant_contribution_once_per_funder"),
        ]


class Round(TimeStampedModel):
    """A call for applications under a programme: open, closed (invited) or a direct award."""

    class Kind(models.TextChoices):
        OPEN = "open", "Open competition"
        CLOSED = "closed", "Closed (invited organisations only)"
        DIRECT = "direct", "Direct award"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ASSESSMENT = "assessment", "In assessment"
        PANEL = "panel", "At panel"
        DECIDED = "decided", "Decisions made"
        CANCELLED = "cancelled", "Cancelled"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    description = models.TextField()
    who_can_apply = models.TextField(help_text="Plain words: who can apply and who cannot.")
    how_to_apply = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OPEN)
    direct_award_justification = models.TextField(blank=True)
    instrument = models.CharField(max_length=20, choices=Instrument.choices,
                                  default=Instrument.REVENUE)
    is_two_stage = models.BooleanField(
        "Two stages", default=False,
        help_text="An expression of interest first, then a full application by invitation.")
    budget = MoneyField()
    min_amount = MoneyField()
    max_amount = MoneyField()
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True,
                                     help_text="The deadline (for expressions of interest in a "
                                               "two-stage round).")
    full_closes_at = models.DateTimeField(null=True, blank=True,
                                          help_text="The deadline for invited full applications.")
    # Eligibility, evaluated by grants.eligibility (the same rules for pre-check and submit).
    eligible_legal_forms = models.JSONField(default=list, blank=True)
    eligible_postcode_areas = models.JSONField(
        default=list, blank=True, help_text="Postcode areas or districts, like LS or LS6.")
    max_annual_income = MoneyField(null=True, blank=True)
    require_registration = models.BooleanField(
        default=True, help_text="Applicants must be registered with the Charity Commission, "
                                "Companies House, OSCR or the FCA.")
    max_live_grants = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="Most live grants an applicant may already hold from this programme.")
    agreement_terms = models.TextField(
        help_text="The terms of the grant agreement, including eligible expenditure.")
    reporting_every_months = models.PositiveSmallIntegerField(default=6)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-closes_at", "-id"]
        indexes = [models.Index(fields=["status", "closes_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="grant_round_budget_positive"),
            models.CheckConstraint(condition=Q(min_amount__lte=F("max_amount")),
                                   name="grant_round_min_le_max"),
            models.CheckConstraint(condition=Q(max_amount__lte=F("budget")),
                                   name="grant_round_max_le_budget"),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(opens_at__isnull=True)
                | Q(opens_at__lt=F("closes_at")), name="grant_round_opens_before_closing"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def authority(self) -> Organisation:
        return self.programme.authority

    @property
    def final_deadline(self):
        return self.full_closes_at if self.is_two_stage else self.closes_at


class InvitedOrganisation(TimeStampedModel):
    """An organisation invited to a closed round (or to the full stage of a two-stage one)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "organisation"],
                                               name="grant_invitation_once")]


class Criterion(models.Model):
    """An assessment criterion with its weight and score descriptors."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(help_text="Per cent of the total score.")
    max_score = models.PositiveSmallIntegerField(default=5)
    descriptors = models.TextField(
        help_text="What each score means, one line per score, like ‘5: excellent …’.")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="grant_criterion_number"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100),
                                   name="grant_criterion_weight_range"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="grant_criterion_max"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Stage(models.TextChoices):
    EOI = "eoi", "Expression of interest"
    FULL = "full", "Full application"


class Question(models.Model):
    """A typed question of one stage of a round's application form."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        NUMBER = "number", "Number"
        MONEY = "money", "Amount of money"
        DATE = "date", "Date"
        CHOICE = "choice", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        FILE = "file", "File upload"
        BUDGET = "budget", "Budget table"
        OUTCOMES = "outcomes", "Outcomes from the social value catalogue"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.FULL)
    section = models.CharField(max_length=100,
                               help_text="The task on the applicant's task list.")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=300)
    hint = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    word_limit = models.PositiveIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["stage", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "stage", "number"],
                                    name="grant_question_number"),
        ]

    def __str__(self) -> str:
        return self.label
