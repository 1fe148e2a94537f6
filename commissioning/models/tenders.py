"""Tenders: procedure, value, timeline, lots, documents, clarifications and the sealing key."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from core.models import Document, TimeStampedModel
from core.money import MoneyField
from organisations.models import Organisation

CPV_VALIDATOR = RegexValidator(r"^\d{8}-\d$", "Enter a CPV code like 85310000-5.")


class AuthorityProcurementSettings(TimeStampedModel):
    """Per-authority choices the law leaves open: the social value weight floor and opening."""

    authority = models.OneToOneField(Organisation, on_delete=models.CASCADE,
                                     related_name="procurement_settings")
    min_social_value_weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="The smallest weight, in percent, a social value criterion may have.")

    def __str__(self) -> str:
        return f"Procurement settings of {self.authority}"


class Tender(TimeStampedModel):
    class Procedure(models.TextChoices):
        OPEN = "open", "Open procedure"
        COMPETITIVE_FLEXIBLE = "competitive_flexible", "Competitive flexible procedure"
        BELOW_THRESHOLD = "below_threshold", "Below-threshold procurement"
        # The procurement record of a direct award (ADR 0029): never published as a tender,
        # never offered on the tender form; its award and contract hang on it.
        DIRECT = "direct", "Direct award"

    class ContractType(models.TextChoices):
        SERVICES = "services", "Services"
        GOODS = "goods", "Goods"
        WORKS = "works", "Works"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Open for bids"
        OPENED = "opened", "Bids opened"
        EVALUATION = "evaluation", "Evaluation"
        AWARDING = "awarding", "Award decision"
        STANDSTILL = "standstill", "Standstill"
        CONTRACTED = "contracted", "Contract entered"
        CANCELLED = "cancelled", "Procurement terminated"

    class Region(models.TextChoices):
        """Where the contract is delivered: the UK's ITL 1 regions (as Find a Tender's
        delivery location), or the whole UK."""

        UK = "UK", "Anywhere in the UK"
        NORTH_EAST = "TLC", "North East (England)"
        NORTH_WEST = "TLD", "North West (England)"
        YORKSHIRE = "TLE", "Yorkshire and The Humber"
        EAST_MIDLANDS = "TLF", "East Midlands (England)"
        WEST_MIDLANDS = "TLG", "West Midlands (England)"
        EAST = "TLH", "East of England"
        LONDON = "TLI", "London"
        SOUTH_EAST = "TLJ", "South East (England)"
        SOUTH_WEST = "TLK", "South West (England)"
        WALES = "TLL", "Wales"
        SCOTLAND = "TLM", "Scotland"
        NORTHERN_IRELAND = "TLN", "Northern Ireland"

    class PriceFormula(models.TextChoices):
        LOWEST_RATIO = "lowest_ratio", "Lowest price ÷ bid price × maximum score"
        LINEAR_BUDGET = "linear_budget", "Linear from budget (estimated value) to zero"

    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="tenders")
    project = models.ForeignKey("commissioning.Project", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="tenders")
    reference = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="A plain-language summary for anyone to understand.")
    description = models.TextField(blank=True)
    procedure = models.CharField(max_length=30, choices=Procedure.choices)
    contract_type = models.CharField(max_length=20, choices=ContractType.choices,
                                     default=ContractType.SERVICES)
    is_light_touch = models.BooleanField(
        default=False, editable=False,
        help_text="Derived from the main CPV code when the codes are set "
        "(commissioning.light_touch); kept as published once the tender is published.")
    is_reserved_for_mutuals = models.BooleanField(
        default=False, help_text="Reserved to public service mutuals (Procurement Act s.33).")
    estimated_value_ex_vat = MoneyField()
    estimated_value_inc_vat = MoneyField()
    above_threshold = models.BooleanField(null=True, blank=True)
    threshold_applied = MoneyField(null=True, blank=True)
    max_term_months = models.PositiveIntegerField(null=True, blank=True)
    max_lots_per_supplier = models.PositiveIntegerField(null=True, blank=True)
    lot_limit_rule = models.TextField(
        blank=True, help_text="The objective rule used when a supplier would win too many lots.")
    delivery_region = models.CharField(max_length=3, choices=Region.choices, blank=True,
                                       db_index=True)
    delivery_location = models.CharField(
        max_length=200, blank=True, help_text="Where the services are delivered, in words.")
    contract_starts_on = models.DateField(null=True, blank=True)
    contract_ends_on = models.DateField(null=True, blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    suitable_for_sme = models.BooleanField(default=False)
    suitable_for_vcse = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    questions_deadline = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True, db_index=True,
                                    help_text="Bids received at or after this moment are refused.")
    short_period_reason = models.TextField(
        blank=True, help_text="Why the tendering period is shorter than the usual minimum.")
    price_formula = models.CharField(max_length=20, choices=PriceFormula.choices,
                                     default=PriceFormula.LOWEST_RATIO)
    tie_break_rule = models.TextField(
        default="If total scores are equal, the bid with the higher quality score ranks first; "
        "if still equal, the lower price.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    cancellation_reason = models.TextField(blank=True)
    ocid = models.CharField(max_length=100, blank=True, db_index=True)
    social_value_plan = models.OneToOneField(
        "socialvalue.SocialValuePlan", null=True, blank=True, on_delete=models.PROTECT,
        related_name="tender")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["authority", "reference"],
                                               name="tender_reference_unique")]
        indexes = [models.Index(fields=["status", "deadline"]),
                   models.Index(fields=["-published_at", "-id"], name="tender_public_order_idx")]

    def __str__(self) -> str:
        return self.title


class TenderCpv(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="cpv_codes")
    code = models.CharField(max_length=10, validators=[CPV_VALIDATOR], db_index=True)
    is_main = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tender", "code"], name="tender_cpv_once")]

    def __str__(self) -> str:
        return self.code


class Lot(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    estimated_value_ex_vat = MoneyField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["tender", "number"], name="lot_number_once")]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.title}"


class TenderDocument(TimeStampedModel):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class DocumentSlot(models.Model):
    """A file every bid must (or may) include, such as a method statement."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="document_slots")
    name = models.CharField(max_length=120)
    guidance = models.TextField(blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class TenderQuestion(models.Model):
    """A question each bid answers; its answer is scored against a criterion."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="questions")
    criterion = models.ForeignKey("commissioning.AwardCriterion", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="questions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    guidance = models.TextField(blank=True)
    word_limit = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["tender", "number"],
                                               name="question_number_once")]

    def __str__(self) -> str:
        return f"Question {self.number}"


class ConflictsAssessment(TimeStampedModel):
    """The conflicts assessment required before publication (Procurement Act s.83)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE,
                               related_name="conflicts_assessments")
    summary = models.TextField()
    mitigations = models.TextField(blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-version"]


class Clarification(TimeStampedModel):
    """A supplier's question; the answer is published to all without naming who asked."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="clarifications")
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    asked_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                              related_name="+")
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]


class SupplierInterest(TimeStampedModel):
    """An organisation following a tender: it is told of answers and changes."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tender", "organisation"],
                                               name="interest_once")]


class DeadlineChange(TimeStampedModel):
    """Every change of deadline, including uniform extensions after a platform incident."""

    class Kind(models.TextChoices):
        DOCUMENT_CHANGE = "document_change", "Tender documents changed"
        INCIDENT = "incident", "Platform incident"
        OTHER = "other", "Other reason"

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="deadline_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    previous_deadline = models.DateTimeField()
    new_deadline = models.DateTimeField()
    reason = models.TextField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["created_at", "id"]


class TenderKey(models.Model):
    """The tender's data key, wrapped by the master key that lives outside the database."""

    tender = models.OneToOneField(Tender, on_delete=models.CASCADE, related_name="key")
    wrapped_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
