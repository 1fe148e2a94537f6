"""Forms for award criteria, scales, the scoring method and the authority's settings."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from commissioning import scoring
from commissioning.models import AwardCriterion, Tender
from commissioning.services.criteria import SCALES

Kind = AwardCriterion.Kind
KIND_HINTS = {
    Kind.PRICE: "Scored by the price formula, not by evaluators.",
    Kind.QUALITY: "Evaluators score the answers linked to it on a scale.",
    Kind.SOCIAL_VALUE: "The qualitative social value score, weighted at least at your "
                       "authority's minimum. It is never a share of the contract value.",
    Kind.PASS_FAIL: "A bid that fails is excluded. Weight 0%.",
}


class WeightField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", Decimal("100"))
        kwargs.setdefault("error_messages", {
            "required": "Enter the weight as a percentage",
            "invalid": "Weight must be a number, like 30 or 12.5",
            # %% because Django formats these messages with the limit as a parameter.
            "min_value": "Weight must be 0%% or more",
            "max_value": "Weight must be 100%% or less",
        })
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false",
                                             "class": "govuk-input--width-5"})
        self.widget.govuk_suffix = "%"


class CriterionForm(forms.Form):
    kind = forms.ChoiceField(label="Type of criterion", widget=forms.RadioSelect,
                             error_messages={"required": "Choose the type of criterion"})
    name = forms.CharField(label="Name", max_length=200,
                           error_messages={"required": "Enter the name of the criterion"})
    description = forms.CharField(
        label="What evaluators look for", required=False, widget=forms.Textarea(
            attrs={"rows": 4}))
    weight = WeightField(label="Weight", help_text="Percent of the total score. Sub-criteria "
                         "share their main criterion's weight.")
    parent = forms.ModelChoiceField(label="Sub-criterion of", queryset=None, required=False,
                                    empty_label="None: this is a main criterion")
    scale = forms.ChoiceField(label="Scoring scale", widget=forms.RadioSelect, initial="0_100",
                              choices=[(key, value[0]) for key, value in SCALES.items()],
                              help_text="Used by quality and social value criteria.")

    def __init__(self, *args, tender: Tender, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, f"{label}. {KIND_HINTS[k]}")
                                       for k, label in Kind.choices]
        self.fields["parent"].queryset = tender.criteria.filter(
            parent__isnull=True, kind__in=[Kind.QUALITY, Kind.SOCIAL_VALUE])
        if editing:
            for name in ("kind", "parent", "scale"):
                del self.fields[name]


class ScaleForm(forms.Form):
    def __init__(self, *args, criterion: AwardCriterion, **kwargs):
        super().__init__(*args, **kwargs)
        for point in criterion.scale.all():
            self.fields[f"descriptor_{point.score}"] = forms.CharField(
                label=f"Score {point.score}", initial=point.descriptor,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": f"Describe what a score of {point.score} means"})

    def descriptors(self) -> dict[int, str]:
        return {int(name.removeprefix("descriptor_")): value
                for name, value in self.cleaned_data.items()}


class ScoringMethodForm(forms.Form):
    price_formula = forms.ChoiceField(
        label="How price is scored", widget=forms.RadioSelect,
        choices=Tender.PriceFormula.choices,
        error_messages={"required": "Choose how price is scored"})
    tie_break = forms.ChoiceField(
        label="How tied bids are ranked", widget=forms.RadioSelect,
        choices=list(scoring.TIE_BREAK_RULES.items()),
        help_text="Published with the tender and applied when total scores are equal.",
        error_messages={"required": "Choose how tied bids are ranked"})


class QuestionLinkForm(forms.Form):
    def __init__(self, *args, tender: Tender, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(tender.questions.all())
        for question in self.questions:
            field = forms.ModelChoiceField(
                label=f"Question {question.number}: {question.text}", queryset=criteria,
                initial=question.criterion_id, required=False, empty_label="Not linked yet",
                help_text="You can save without it, but every question must be linked to a "
                "criterion before you publish.")
            field.govuk_needed_later = True  # not "(optional)": publishing requires it
            self.fields[f"question_{question.pk}"] = field

    def links(self) -> dict[int, AwardCriterion | None]:
        return {q.pk: self.cleaned_data.get(f"question_{q.pk}") for q in self.questions}


class ProcurementSettingsForm(forms.Form):
    min_social_value_weight = WeightField(
        label="Minimum weight of the social value criterion",
        help_text="Every tender of your authority must weight social value at least this much. "
        "You can raise it above the portal's minimum, not lower it.")


class ConfirmDeleteForm(forms.Form):
    """A POST with a CSRF token: the confirmation itself."""
