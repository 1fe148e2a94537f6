"""Forms for screening, the conflict declaration, scoring, moderation and panel decisions."""

from __future__ import annotations

from django import forms

from core.forms.dates import GovukForm
from grants.forms.common import money, text
from grants.models import Assessment, PanelDecision


class ScreenForm(GovukForm):
    eligible = forms.TypedChoiceField(
        label="Is the application eligible?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, assess it"), ("no", "No, it is not eligible")],
        coerce=lambda v: v == "yes")
    reason = text("Reason (required when not eligible)", required=False, rows=3)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("eligible") is False and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why the application is not eligible")
        return cleaned


class DeclareForm(GovukForm):
    """One tick and a reason per application: the assessor's conflicts of interest."""

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = list(applications)
        for application in self.applications:
            label = f"{application.organisation.name}: {application.project_title or '—'}"
            self.fields[f"conflict_{application.pk}"] = forms.BooleanField(
                label=f"I have a conflict of interest with {label}", required=False)
            self.fields[f"reason_{application.pk}"] = forms.CharField(
                label=f"What is the conflict with {application.organisation.name}?",
                required=False, max_length=500)
        self.fields["confirm"] = forms.BooleanField(
            label="I have declared every conflict of interest I have with these applicants",
            error_messages={"required": "Confirm your declaration"})

    def clean(self):
        cleaned = super().clean()
        for application in self.applications:
            if cleaned.get(f"conflict_{application.pk}") and not (
                    cleaned.get(f"reason_{application.pk}") or "").strip():
                self.add_error(f"reason_{application.pk}", "Say what the conflict is")
        return cleaned

    def conflicts(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data[f"reason_{a.pk}"] for a in self.applications
                if self.cleaned_data.get(f"conflict_{a.pk}")}


class ScoreForm(GovukForm):
    recommendation = forms.ChoiceField(label="Your recommendation", required=False,
                                       choices=Assessment.Recommendation.choices,
                                       widget=forms.RadioSelect)
    comments = text("Overall comments", required=False)
    action = forms.ChoiceField(choices=[("save", "save"), ("submit", "submit")],
                               widget=forms.HiddenInput, required=False)

    def __init__(self, *args, criteria=(), existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = {s.criterion_id: s for s in (existing.scores.all() if existing else [])}
        for criterion in self.criteria:
            current = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.number}. {criterion.title} ({criterion.weight}%): score",
                choices=[("", "Not scored")] + [(str(n), str(n))
                                                for n in range(criterion.max_score + 1)],
                coerce=int, empty_value=None, required=False, help_text=criterion.descriptors,
                initial=current.score if current else None)
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Why this score for {criterion.title.lower()}?", required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=current.comment if current else "")
        if existing:
            self.initial.setdefault("recommendation", existing.recommendation)
            self.initial.setdefault("comments", existing.comments)

    def scores(self) -> dict[int, dict]:
        return {c.pk: {"score": self.cleaned_data.get(f"score_{c.pk}"),
                       "comment": self.cleaned_data.get(f"comment_{c.pk}")}
                for c in self.criteria}


class ModerationForm(GovukForm):
    score = forms.DecimalField(label="Moderated score, out of 100", min_value=0, max_value=100,
                               decimal_places=2)
    notes = text("Why the panel settled on this score")


class DecisionForm(GovukForm):
    outcome = forms.ChoiceField(label="Decision", widget=forms.RadioSelect,
                                choices=PanelDecision.Outcome.choices)
    amount = money("Amount to award", required=False)
    rationale = text("The panel's rationale")
    feedback = text("Feedback for the applicant",
                    help_text="Sent in the decision letter, whatever the decision.")
    external_source = forms.CharField(
        label="Recommendation received from elsewhere (optional)", required=False,
        max_length=200, help_text="For example, a citizens' panel's budget allocation.")
    external_summary = forms.CharField(label="What it recommended", required=False,
                                       max_length=500)

    def __init__(self, *args, stage: str = "full", **kwargs):
        super().__init__(*args, **kwargs)
        allowed = {"eoi": ("invite", "reject"), "full": ("fund", "reject")}[stage]
        self.fields["outcome"].choices = [c for c in PanelDecision.Outcome.choices
                                          if c[0] in allowed]
        if stage == "eoi":
            del self.fields["amount"]

    def external(self) -> dict:
        source = (self.cleaned_data.get("external_source") or "").strip()
        return ({"source": source, "summary": self.cleaned_data.get("external_summary", "")}
                if source else {})


class CitizensVoteForm(GovukForm):
    """Which of the authority's citizens' panels allocates the budget, and how much of it."""

    panel = forms.ModelChoiceField(queryset=None, label="Citizens' panel", empty_label=None,
                                   widget=forms.RadioSelect,
                                   help_text="Panels you run as a facilitator or officer.")
    budget = money("Budget the panel allocates", required=False,
                   help_text="Leave empty to let the panel allocate all that remains.")

    def __init__(self, *args, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels
        if len(panels) == 1:
            self.fields["panel"].initial = panels[0].pk
        self.fields["panel"].error_messages.update(
            {"required": "Choose the panel", "invalid_choice": "Choose one of the panels"})
