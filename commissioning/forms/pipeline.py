"""Forms for projects, market engagement, market responses and citizens' comments."""

from __future__ import annotations

from django import forms

from commissioning.forms.dates import (
    GovukForm,
    GovukModelForm,
    add_datetime_fields,
    combined_datetime,
)
from commissioning.models import Project
from core.forms.fields import GovukDateField


class ProjectForm(GovukModelForm):
    starts_on = GovukDateField(label="Expected start of the service", required=False,
                               help_text="For example, 1 4 2027.")
    ends_on = GovukDateField(label="Expected end of the service", required=False)

    class Meta:
        model = Project
        fields = ["title", "need", "outcomes", "budget", "starts_on", "ends_on", "is_public"]
        labels = {"title": "Project name", "need": "The need", "outcomes": "Outcomes sought",
                  "budget": "Indicative budget",
                  "is_public": "Show this project in the public pipeline"}
        help_texts = {"need": "The need or problem, in plain language.",
                      "outcomes": "What should change for people and places.",
                      "budget": "The total you expect to spend, including VAT."}
        widgets = {"need": forms.Textarea(attrs={"rows": 5}),
                   "outcomes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        budget = self.fields["budget"].widget
        budget.govuk_prefix = "£"
        budget.attrs.update({"class": "govuk-input--width-10", "inputmode": "decimal"})

    def _post_clean(self):
        pass

    def project_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EngagementEventForm(GovukForm):
    title = forms.CharField(label="Event name", max_length=200)
    description = forms.CharField(label="What will happen", required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    location = forms.CharField(label="Where", max_length=200,
                               help_text="An address, or ‘Online’ with how to join.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_datetime_fields(self, "starts_at", "Date of the event")
        self.order_fields(["title", "description", "starts_at_date", "starts_at_time"])

    def clean(self):
        data = super().clean()
        data["starts_at"] = combined_datetime(self, "starts_at")
        return data

    def event_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in ("title", "description", "location",
                                                      "starts_at")}


class MarketQuestionForm(GovukForm):
    text = forms.CharField(label="Your question to the market",
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="Organisations can respond until the closing date. Only "
                                     "your organisation sees their responses.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_datetime_fields(self, "closes_at", "Closing date for responses")

    def clean(self):
        data = super().clean()
        data["closes_at"] = combined_datetime(self, "closes_at")
        return data


class MarketResponseForm(GovukForm):
    text = forms.CharField(label="Your organisation’s response",
                           widget=forms.Textarea(attrs={"rows": 8}),
                           help_text="Only the commissioning organisation sees responses. You "
                                     "can change it until the question closes.")


class CommentForm(GovukForm):
    text = forms.CharField(label="Your comment", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text="Comments are public. Do not include personal details. "
                                     "Your name is not shown.")
