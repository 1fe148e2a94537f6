"""Forms for staged procedures and the supplier's core information."""

from __future__ import annotations

from django import forms

from commissioning.forms.dates import (
    GovukForm,
    GovukModelForm,
    add_datetime_fields,
    combined_datetime,
)
from commissioning.models import ProcedureStage, StagedProcedure
from commissioning.services.supplier_information import EXCLUSION_GROUNDS

TEXT = {"rows": 4}


class ProcedureDesignForm(GovukModelForm):
    class Meta:
        model = StagedProcedure
        fields = ["description", "conditions_of_participation", "selection_criteria",
                  "min_suppliers", "max_suppliers", "negotiation_allowed", "refinement_allowed",
                  "refinement_terms"]
        labels = {
            "description": "How the procedure runs, stage by stage",
            "conditions_of_participation": "Conditions of participation",
            "selection_criteria": "Selection criteria for the shortlist",
            "min_suppliers": "Minimum number of suppliers shortlisted",
            "max_suppliers": "Maximum number of suppliers shortlisted",
            "negotiation_allowed": "Negotiation may take place",
            "refinement_allowed": "Award criteria may be refined between rounds (s.24)",
            "refinement_terms": "How award criteria may be refined",
        }
        widgets = {name: forms.Textarea(attrs=TEXT) for name in
                   ("description", "conditions_of_participation", "selection_criteria",
                    "refinement_terms")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("min_suppliers", "max_suppliers"):
            self.fields[name].min_value = 1
            self.fields[name].max_value = 100
            self.fields[name].widget.attrs.update({"min": 1, "max": 100})


class StageAddForm(GovukForm):
    kind = forms.ChoiceField(label="Kind of stage", choices=ProcedureStage.Kind.choices,
                             widget=forms.RadioSelect)
    title = forms.CharField(label="Title", max_length=120,
                            help_text="For example, Request to participate, or Negotiation "
                            "round 1.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_datetime_fields(self, "deadline", "Deadline for submissions")

    def clean(self):
        data = super().clean()
        data["deadline"] = combined_datetime(self, "deadline")
        return data


class ShortlistDecisionForm(GovukForm):
    included = forms.TypedChoiceField(
        label="Decision", coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        choices=[("yes", "Shortlist this supplier"), ("no", "Do not shortlist this supplier")])
    reasons = forms.CharField(
        label="Reasons against the selection criteria", max_length=4000,
        widget=forms.Textarea(attrs=TEXT), help_text="The supplier is told these reasons.")


class ShortlistPublishForm(GovukForm):
    fewer_reason = forms.CharField(
        label="Reason for shortlisting fewer than the minimum (only if you do)", required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(GovukForm):
    organisation = forms.TypedChoiceField(label="Supplier", coerce=int, empty_value=None)
    attendees = forms.CharField(label="Who attended", max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label="Minutes", max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, suppliers: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in suppliers]
        add_datetime_fields(self, "held_at", "When the meeting was held")
        self.order_fields(["organisation", "held_at_date", "held_at_time", "attendees",
                           "minutes"])

    def clean(self):
        data = super().clean()
        data["held_at"] = combined_datetime(self, "held_at")
        return data


class RefinementForm(GovukForm):
    after_stage = forms.TypedChoiceField(label="After which stage", coerce=int,
                                         empty_value=None)
    description = forms.CharField(label="The refinement", max_length=8000,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text="Every shortlisted supplier is told.")

    def __init__(self, *args, stages: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["after_stage"].choices = [(s.pk, str(s)) for s in stages]


class SupplierInformationForm(GovukForm):
    legal_name = forms.CharField(label="Legal name", max_length=200)
    trading_name = forms.CharField(label="Trading name (if different)", max_length=200,
                                   required=False)
    company_number = forms.CharField(label="Company or charity number", max_length=40,
                                     required=False)
    registered_address = forms.CharField(label="Registered address", max_length=1000,
                                         widget=forms.Textarea(attrs={"rows": 3}))
    connected_persons = forms.CharField(
        label="Connected persons", required=False, max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line: name, then a comma, then their role (for example, director or "
        "person with significant control).")
    economic_standing = forms.CharField(
        label="Economic and financial standing", required=False, max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, turnover for the last two years and insurance held.")
    standing_document = forms.FileField(
        label="Add a standing document (optional)", required=False,
        help_text="Accounts or an insurance certificate: PDF, Word, Excel or OpenDocument.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for ground, label in EXCLUSION_GROUNDS.items():
            self.fields[f"{ground}_applies"] = forms.BooleanField(
                label=f"{label}: one or more applies to us or a connected person",
                required=False)
            self.fields[f"{ground}_details"] = forms.CharField(
                label=f"{label}: circumstances and self-cleaning", required=False,
                max_length=8000, widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_from(content: dict) -> dict:
        initial = {key: content.get(key, "") for key in
                   ("legal_name", "trading_name", "company_number", "registered_address",
                    "economic_standing")}
        initial["connected_persons"] = "\n".join(
            f"{p['name']}, {p['role']}" if p.get("role") else p["name"]
            for p in content.get("connected_persons", []))
        for exclusion in content.get("exclusions", []):
            initial[f"{exclusion['ground']}_applies"] = exclusion["applies"]
            initial[f"{exclusion['ground']}_details"] = exclusion["details"]
        return initial
