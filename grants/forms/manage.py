"""Forms of the grant manager's screens: programmes, rounds, criteria, questions, publishing."""

from __future__ import annotations

from django import forms

from core.forms.dates import GovukForm, GovukModelForm, add_datetime_fields, combined_datetime
from grants.forms.common import date, line, lines, money, text
from grants.models import Criterion, Instrument, Programme, Question, Round
from organisations.models import Organisation

LEGAL_FORM_CHOICES = [c for c in Organisation.LegalForm.choices
                      if c[0] not in ("public_body", "large")]


class ProgrammeForm(GovukModelForm):
    instruments = forms.MultipleChoiceField(
        label="Funding instruments the programme allows", choices=Instrument.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one funding instrument"})
    total_budget = money("Total budget")
    business_case_approved_on = date("Date the business case was approved", required=False)
    fraud_risk_assessed_on = date("Date of the fraud risk assessment", required=False)

    class Meta:
        model = Programme
        fields = ["title", "code", "summary", "objectives", "outcomes", "total_budget",
                  "instruments", "ggis_scheme_id", "senior_officer", "business_case",
                  "business_case_approved_by", "business_case_approved_on", "risk_assessment",
                  "fraud_risk_assessed_on", "performance_measures"]
        labels = {"code": "Short code", "ggis_scheme_id": "GGIS scheme identifier",
                  "business_case_approved_by": "Who approved the business case",
                  "performance_measures": "Performance measures"}
        help_texts = {"summary": "One sentence, shown on the public pages.",
                      "ggis_scheme_id": "The scheme's identifier in the Government Grants "
                                        "Information System."}


class ContributionForm(GovukForm):
    funder = forms.ModelChoiceField(label="Funder", queryset=Organisation.objects.none(),
                                    empty_label="Choose a public body")
    amount = money("Amount contributed")
    committed_on = date("Date committed")
    notes = line("Notes", required=False, max_length=300)

    def __init__(self, *args, funders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders if funders is not None else \
            Organisation.objects.none()


class RoundForm(GovukModelForm):
    eligible_legal_forms = forms.MultipleChoiceField(
        label="Types of organisation that can apply", choices=LEGAL_FORM_CHOICES,
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Leave empty if any kind of organisation can apply.")
    postcode_areas = forms.CharField(
        label="Postcode areas or districts", required=False,
        help_text="Separated by commas, like LS, BD3. Leave empty for anywhere.")
    budget = money("Budget for the round")
    min_amount = money("Smallest grant")
    max_amount = money("Largest grant")
    max_annual_income = money("Largest annual income of an applicant", required=False)

    class Meta:
        model = Round
        fields = ["title", "summary", "description", "who_can_apply", "how_to_apply", "kind",
                  "direct_award_justification", "instrument", "is_two_stage", "budget",
                  "min_amount", "max_amount", "eligible_legal_forms", "max_annual_income",
                  "require_registration", "max_live_grants", "agreement_terms",
                  "reporting_every_months"]
        labels = {"kind": "Type of round", "is_two_stage":
                  "Ask for an expression of interest first, then invite full applications",
                  "direct_award_justification": "Why this grant is not competed",
                  "reporting_every_months": "Months between monitoring reports",
                  "max_live_grants": "Most live grants an applicant may already hold "
                                     "from this programme"}
        widgets = {"kind": forms.RadioSelect, "instrument": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_datetime_fields(self, "opens_at", "Opens", required=False,
                            initial=self.instance.opens_at)
        add_datetime_fields(self, "closes_at", "Closes", required=False,
                            initial=self.instance.closes_at,
                            help_text="For a two-stage round, the deadline for expressions "
                                      "of interest.")
        add_datetime_fields(self, "full_closes_at", "Full applications close", required=False,
                            initial=self.instance.full_closes_at)
        self.initial.setdefault("postcode_areas",
                                ", ".join(self.instance.eligible_postcode_areas or []))

    def clean(self):
        cleaned = super().clean()
        for name in ("opens_at", "closes_at", "full_closes_at"):
            cleaned[name] = combined_datetime(self, name)
        areas = [a.strip().upper() for a in cleaned.get("postcode_areas", "").split(",")]
        cleaned["eligible_postcode_areas"] = [a for a in areas if a]
        return cleaned


class CriterionForm(GovukModelForm):
    class Meta:
        model = Criterion
        fields = ["title", "guidance", "weight", "max_score", "descriptors"]
        labels = {"weight": "Weight, in per cent", "max_score": "Highest score"}


class QuestionForm(GovukModelForm):
    choices_text = forms.CharField(label="Choices, one a line", required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text="For single and multiple choice questions.")

    class Meta:
        model = Question
        fields = ["stage", "section", "kind", "label", "hint", "required", "word_limit"]
        labels = {"kind": "Type of answer", "label": "Question",
                  "word_limit": "Word limit (text answers)", "section": "Section"}
        widgets = {"kind": forms.RadioSelect, "stage": forms.RadioSelect}

    def __init__(self, *args, two_stage: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not two_stage:
            self.fields.pop("stage")
        self.initial.setdefault("choices_text", "\n".join(self.instance.choices or []))

    def clean(self):
        cleaned = super().clean()
        cleaned["choices"] = lines(cleaned.get("choices_text", ""))
        return cleaned


class OrganisationChoiceForm(GovukForm):
    organisation = forms.ModelChoiceField(label="Organisation",
                                          queryset=Organisation.objects.none(),
                                          empty_label="Choose an organisation")

    def __init__(self, *args, queryset=None, label: str = "Organisation", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queryset
        self.fields["organisation"].label = label


class AssessorForm(GovukForm):
    assessor = forms.ModelChoiceField(label="Assessor", queryset=None,
                                      empty_label="Choose a member of staff")

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = queryset
        self.fields["assessor"].label_from_instance = lambda u: f"{u.full_name} ({u.email})"


class JustificationForm(GovukForm):
    """One box per GovS 015 "should" that is not met: comply or explain."""

    def __init__(self, *args, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        for outcome in outcomes:
            self.fields[f"justify_{outcome.rule.id}"] = text(
                f"{outcome.rule.title} ({outcome.rule.requirement}): why proceed?",
                help_text=outcome.problem, rows=3)

    def justifications(self) -> dict[str, str]:
        return {name.removeprefix("justify_"): value
                for name, value in self.cleaned_data.items() if name.startswith("justify_")}


class ReasonForm(GovukForm):
    reason = text("Reason", rows=3)
