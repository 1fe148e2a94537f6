"""Support for mutuals: a scheme, applications with an eligibility screen and an expression of
interest, assessment behind a conflict gate, and support plans (advisory days from a roster of
approved advisers, a grant made through the grants app, milestones with evidence and sign-off).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.models import Document, TimeStampedModel
from core.money import MoneyField
from mutuals.models.evidence import PERCENT, Definition
from organisations.models import Organisation


class Specialism(models.TextChoices):
    LEGAL = "legal", "Legal structure and governance"
    FINANCE = "finance", "Finance and business planning"
    GOVERNANCE = "governance", "Governance and employee voice"
    HR = "hr", "HR, TUPE and pensions"
    BID_WRITING = "bid_writing", "Bid writing"
    SOCIAL_VALUE = "social_value", "Measuring social value"


# The spin-out route (MISF's eligible uses; the stage names are the portal's own design).
MILESTONE_TEMPLATE = (
    ("options_appraisal", "Options appraisal"),
    ("service_review", "Service review and new specification"),
    ("legal_structure", "Legal structure and governance"),
    ("business_plan", "Business plan and financial model"),
    ("staff_engagement", "Staff engagement and consultation (TUPE and pensions)"),
    ("commissioner_agreement", "Commissioner agreement and contract"),
    ("launch", "Launch"),
    ("growth", "Growth: bid writing and measuring social value"),
)


class SupportScheme(TimeStampedModel):
    """A support programme for mutuals run by an authority, with its configurable limits."""

    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                  limit_choices_to={"kind": Organisation.Kind.AUTHORITY})
    name = models.CharField(max_length=200)
    summary = models.TextField()
    is_open = models.BooleanField(default=True)
    grant_cap = MoneyField(default=Decimal("25000.00"),
                           help_text="The largest support grant (MISF offered up to £25,000).")
    advisory_days_cap = models.PositiveSmallIntegerField(default=20)
    match_funding_percent = models.DecimalField(
        max_digits=5, decimal_places=2, validators=PERCENT, default=Decimal("10"),
        help_text="Cash match funding asked of applicants, as a share of the support grant.")
    subsidy_limit = MoneyField(
        default=Decimal("315000.00"),
        help_text="Minimal financial assistance allowed over the look-back period.")
    subsidy_lookback_years = models.PositiveSmallIntegerField(default=3)
    max_trading_years = models.PositiveSmallIntegerField(default=5)
    grants_round = models.ForeignKey(
        "grants.Round", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The direct-award grants round that support grants are made under.")

    def __str__(self) -> str:
        return self.name


class SupportApplication(TimeStampedModel):
    """A team inside a public body, or an existing mutual, applying for support."""

    class Kind(models.TextChoices):
        TEAM = "team", "A team inside a public body, planning to spin out"
        MUTUAL = "mutual", "An existing public service mutual"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Awaiting assessment"
        APPROVED = "approved", "Support agreed"
        DECLINED = "declined", "Not supported"
        WITHDRAWN = "withdrawn", "Withdrawn"

    scheme = models.ForeignKey(SupportScheme, on_delete=models.PROTECT,
                               related_name="applications")
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="mutual_support_applications")
    # A team has a name and a parent body; an existing mutual is an organisation.
    team_name = models.CharField(max_length=200, blank=True)
    parent_body = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"kind": Organisation.Kind.AUTHORITY})
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # The eligibility screen.
    in_england = models.BooleanField(default=False)
    definition_key = models.CharField(max_length=20, choices=Definition.Key.choices,
                                      default=Definition.Key.PROGRAMME)
    trading_since = models.DateField(null=True, blank=True)
    on_first_contract = models.BooleanField(default=False)
    growth_case = models.TextField(blank=True)
    match_funding = MoneyField(default=Decimal("0"))
    # The expression of interest.
    services_and_model = models.TextField(blank=True)
    england_share_percent = models.DecimalField(max_digits=5, decimal_places=2,
                                                validators=PERCENT, default=Decimal("100"))
    transformation_plans = models.TextField(blank=True)
    senior_sponsor = models.CharField(max_length=200, blank=True)
    support_needed = models.JSONField(default=list, blank=True)
    grant_requested = MoneyField(default=Decimal("0"))
    advisory_days_requested = models.PositiveSmallIntegerField(default=0)
    eligibility = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="team", organisation__isnull=True)
                | Q(kind="mutual", organisation__isnull=False),
                name="mutual_support_applicant_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.applicant_name}"

    @property
    def applicant_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.team_name


class SubsidyDeclaration(models.Model):
    """Support the applicant received in the look-back period (subsidy control)."""

    application = models.ForeignKey(SupportApplication, on_delete=models.CASCADE,
                                    related_name="subsidies")
    provider = models.CharField("Who gave it", max_length=200)
    amount = MoneyField()
    received_on = models.DateField()
    description = models.CharField(max_length=300)

    class Meta:
        ordering = ["-received_on", "id"]


class SupportAssessment(TimeStampedModel):
    """One officer's conflict declaration and, once clear, scores for an application."""

    application = models.ForeignKey(SupportApplication, on_delete=models.CASCADE,
                                    related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    has_conflict = models.BooleanField()
    conflict_details = models.TextField(blank=True)
    scores = models.JSONField(default=dict, blank=True)  # criterion key -> 0..5
    comments = models.JSONField(default=dict, blank=True)
    recommendation = models.CharField(max_length=10, blank=True,
                                      choices=[("support", "Support"), ("decline", "Decline")])
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "assessor"],
                                               name="mutual_support_one_assessment")]


class Adviser(TimeStampedModel):
    """An adviser on a scheme's approved roster."""

    scheme = models.ForeignKey(SupportScheme, on_delete=models.CASCADE, related_name="advisers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="mutual_adviser_roles")
    firm = models.CharField(max_length=200)
    specialisms = models.JSONField(default=list)
    day_rate = MoneyField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["firm", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "user"],
                                               name="mutual_adviser_once_per_scheme")]

    def __str__(self) -> str:
        return f"{self.user.full_name or self.user.email} ({self.firm})"


class SupportPlan(TimeStampedModel):
    """The support agreed for an application: advisory days, a grant, milestones."""

    class Status(models.TextChoices):
        ACTIVE = "active", "In progress"
        COMPLETED = "completed", "Completed"

    application = models.OneToOneField(SupportApplication, on_delete=models.PROTECT,
                                       related_name="plan")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    advisory_days = models.PositiveSmallIntegerField(default=0)
    grant_amount = MoneyField(default=Decimal("0"))
    grant_award = models.OneToOneField("grants.Award", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="mutual_plan")
    last_progress_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Support plan for {self.application.applicant_name}"


class AdviserAllocation(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="allocations")
    adviser = models.ForeignKey(Adviser, on_delete=models.PROTECT, related_name="allocations")
    specialism = models.CharField(max_length=20, choices=Specialism.choices)
    days = models.DecimalField(max_digits=5, decimal_places=1,
                               validators=[MinValueValidator(Decimal("0.5"))])

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.adviser}: {self.days} days of {self.get_specialism_display().lower()}"


class AdviceDay(TimeStampedModel):
    """A day (or half day) of advice, logged by the adviser and signed off by the team lead."""

    class Status(models.TextChoices):
        LOGGED = "logged", "Awaiting sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        QUERIED = "queried", "Queried"

    allocation = models.ForeignKey(AdviserAllocation, on_delete=models.CASCADE,
                                   related_name="days_logged")
    worked_on = models.DateField()
    days = models.DecimalField(max_digits=3, decimal_places=1,
                               validators=[MinValueValidator(Decimal("0.5")),
                                           MaxValueValidator(Decimal("1"))])
    summary = models.TextField(max_length=3000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LOGGED)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    query = models.TextField(blank=True)

    class Meta:
        ordering = ["-worked_on", "-id"]


class Milestone(TimeStampedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        SUBMITTED = "submitted", "Evidence submitted"
        SIGNED_OFF = "signed_off", "Signed off"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices,
                              default=Status.NOT_STARTED)
    evidence = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    evidence_note = models.TextField(blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"],
                                               name="mutual_milestone_once_per_plan")]

    def __str__(self) -> str:
        return self.title
