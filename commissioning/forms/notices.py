"""Forms for direct awards, contract changes and KPI ratings."""

from __future__ import annotations

from django import forms

from commissioning.forms.dates import GovukForm
from commissioning.models import DirectAward, KpiRating, Tender
from core.forms.fields import GovukDateField
from organisations.models import Organisation


def _money_widget(field: forms.Field) -> None:
    field.widget = forms.TextInput(attrs={"inputmode": "decimal",
                                          "class": "govuk-input--width-10"})
    field.widget.govuk_prefix = "£"


class DirectAwardForm(forms.Form):
    reference = forms.CharField(label="Reference", max_length=40,
                                error_messages={"required": "Enter a reference"})
    title = forms.CharField(label="Title", max_length=200,
                            error_messages={"required": "Enter a title"})
    description = forms.CharField(label="What the contract is for",
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages={"required": "Describe the contract"})
    supplier = forms.ModelChoiceField(
        label="Supplier", queryset=Organisation.objects.none(),
        error_messages={"required": "Choose the supplier",
                        "invalid_choice": "Choose a supplier from the list"})
    basis = forms.ChoiceField(label="Legal basis", choices=DirectAward.Basis.choices,
                              widget=forms.RadioSelect,
                              error_messages={"required": "Choose the legal basis"})
    ground = forms.ChoiceField(label="Schedule 5 justification (section 41)", required=False,
                               choices=[("", "Choose a justification"),
                                        *DirectAward.Ground.choices])
    switched_from = forms.ModelChoiceField(
        label="Unsuccessful competition (section 43)", required=False,
        queryset=Tender.objects.none(),
        error_messages={"invalid_choice": "Choose one of your terminated competitions"})
    justification = forms.CharField(
        label="Justification", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Published in the transparency notice.",
        error_messages={"required": "Explain why the contract is awarded directly"})
    value_ex_vat = forms.DecimalField(
        label="Contract value", max_digits=14, decimal_places=2, min_value=0,
        help_text="In pounds, excluding VAT.",
        error_messages={"required": "Enter the contract value",
                        "invalid": "Contract value must be an amount of money, like 250000.00"})
    starts_on = GovukDateField(label="Start date")
    ends_on = GovukDateField(label="End date")

    def __init__(self, *args, authority: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.PROVIDER).order_by("name")
        self.fields["switched_from"].queryset = Tender.objects.filter(
            authority=authority, status=Tender.Status.CANCELLED).order_by("-updated_at")
        _money_widget(self.fields["value_ex_vat"])


class ContractChangeForm(forms.Form):
    description = forms.CharField(label="What changes and why",
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages={"required": "Describe the change"})
    value_delta = forms.DecimalField(
        label="Change of value", max_digits=14, decimal_places=2,
        help_text="In pounds, excluding VAT; negative to reduce, 0 for none.",
        error_messages={"required": "Enter the change of value, or 0",
                        "invalid": "Change of value must be an amount of money, like 25000.00"})
    new_ends_on = GovukDateField(label="End date after the change")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _money_widget(self.fields["value_delta"])


class KpiRatingForm(forms.Form):
    kpi = forms.TypedChoiceField(label="Key performance indicator", coerce=int,
                                 error_messages={"required": "Choose the KPI",
                                                 "invalid_choice": "Choose a KPI from the list"})
    period_start = GovukDateField(label="Start of the period")
    period_end = GovukDateField(label="End of the period")
    rating = forms.ChoiceField(label="Rating", choices=KpiRating.Rating.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Choose a rating"})
    comment = forms.CharField(label="Comment (optional)", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kpis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = [(kpi.pk, kpi.name) for kpi in kpis]


class PlanningNoticeForm(GovukForm):
    """The description a pipeline (UK1) or planned procurement (UK3) notice publishes."""

    description = forms.CharField(
        label="Description", max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What is being procured and why, as the notice will publish it.")
