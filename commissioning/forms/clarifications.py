"""Forms to ask and answer clarification questions."""

from __future__ import annotations

from django import forms

from commissioning.forms.dates import GovukForm


class AskClarificationForm(GovukForm):
    question = forms.CharField(
        label="Your question", max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The question and its answer are published to every interested supplier. "
                  "Your name and your organisation are never shown to them.")


class AnswerClarificationForm(GovukForm):
    question = forms.CharField(
        label="Question as it will be published", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Remove anything that identifies who asked.")
    answer = forms.CharField(label="Answer", widget=forms.Textarea(attrs={"rows": 8}),
                             help_text="Sent to every interested supplier and bidder.")
