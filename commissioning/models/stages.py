"""A competitive flexible procedure in stages, and the supplier's core information kept once.

A staged procedure hangs off the tender the notice (UK4) describes. Its own bids are the final
tenders. Each earlier stage (the participation stage, each tender or negotiation round) is a
*round*: a tender row of its own, never published on its own (``published_at`` stays empty, so
it is in no public list and no OCDS release), whose bids are the stage's submissions. So every
stage keeps the single stage's guarantees with the same code: server-side deadline, sealed
content and file names under the round's key, receipts, two-person opening, conflicts, scoring
and the sealed audit (ADR 0022).
"""

from django.conf import settings
from django.db import models

from core.models import Document, TimeStampedModel
from organisations.models import Organisation


class StagedProcedure(TimeStampedModel):
    """The design of the stages, as the tender notice describes it (reg 19)."""

    tender = models.OneToOneField("commissioning.Tender", on_delete=models.CASCADE,
                                  related_name="staged_procedure")
    description = models.TextField(help_text="The process, as the tender notice describes it.")
    conditions_of_participation = models.TextField()
    selection_criteria = models.TextField(
        help_text="How requests to participate are assessed to draw up the shortlist.")
    min_suppliers = models.PositiveIntegerField(default=3)
    max_suppliers = models.PositiveIntegerField(default=5)
    negotiation_allowed = models.BooleanField(default=True)
    refinement_allowed = models.BooleanField(
        default=False, help_text="The notice allows award criteria to be refined (s.24).")
    refinement_terms = models.TextField(blank=True)
    shortlist_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    def __str__(self) -> str:
        return f"Stages of {self.tender}"


class ProcedureStage(TimeStampedModel):
    class Kind(models.TextChoices):
        PARTICIPATION = "participation", "Participation stage"
        NEGOTIATION = "negotiation", "Tender and negotiation round"

    procedure = models.ForeignKey(StagedProcedure, on_delete=models.CASCADE,
                                  related_name="stages")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    round = models.OneToOneField("commissioning.Tender", on_delete=models.PROTECT,
                                 related_name="stage_of")
    opened_for_submissions_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"],
                                               name="procedure_stage_number_once")]

    def __str__(self) -> str:
        return f"Stage {self.number}: {self.title}"


class ShortlistEntry(TimeStampedModel):
    """The decision on one request to participate, with the reasons the supplier is told."""

    procedure = models.ForeignKey(StagedProcedure, on_delete=models.CASCADE,
                                  related_name="shortlist")
    request = models.OneToOneField("commissioning.Bid", on_delete=models.PROTECT,
                                   related_name="shortlist_entry")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    included = models.BooleanField()
    reasons = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["procedure", "organisation"],
                                               name="shortlist_decision_once")]


class DialogueMeeting(TimeStampedModel):
    """A negotiation or dialogue meeting with one shortlisted supplier, minuted."""

    stage = models.ForeignKey(ProcedureStage, on_delete=models.CASCADE, related_name="meetings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField()
    attendees = models.TextField()
    minutes = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["held_at", "id"]


class CriteriaRefinement(TimeStampedModel):
    """A refinement of the award criteria between rounds (s.24), told to every participant."""

    procedure = models.ForeignKey(StagedProcedure, on_delete=models.CASCADE,
                                  related_name="refinements")
    after_stage = models.ForeignKey(ProcedureStage, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["created_at", "id"]


class SupplierInformation(models.Model):
    """One frozen version of a supplier's core information; a change makes a new version.

    ``content`` holds legal and trading details, connected persons and the exclusion-ground
    declarations with their dates (see ``commissioning.services.supplier_information``).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="supplier_information")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["organisation", "number"],
                                               name="supplier_information_version_once")]

    def __str__(self) -> str:
        return f"Core information of {self.organisation}, version {self.number}"


class SubmissionSupplierInformation(models.Model):
    """The version of the core information attached to a submitted bid or request."""

    bid = models.OneToOneField("commissioning.Bid", on_delete=models.CASCADE,
                               related_name="supplier_information")
    version = models.ForeignKey(SupplierInformation, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField()
    attached_at = models.DateTimeField(null=True, blank=True)
