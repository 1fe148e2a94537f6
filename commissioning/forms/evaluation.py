"""Forms for the panel, conflict declarations, individual scoring and moderation."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from commissioning.models import AwardCriterion, Tender
from commissioning.services.evaluation import ScoreEntry

Kind = AwardCriterion.Kind
YES_NO = [("yes", "Yes"), ("no", "No")]


class PanelMemberForm(forms.Form):
    user = forms.ModelChoiceField(label="Person", queryset=None,
                                  empty_label="Choose a colleague",
                                  error_messages={"required": "Choose who joins the panel"})
    is_moderator = forms.BooleanField(label="They moderate the panel's scores", required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name or u.email} ({u.email})"


class ConflictForm(forms.Form):
    has_conflict = forms.ChoiceField(
        label="Do you have a conflict of interest with any of these organisations?",
        choices=YES_NO, widget=forms.RadioSelect,
        help_text="A personal, professional or financial interest, direct or indirect, actual, "
        "potential or perceived: for example you work, volunteer or are a trustee there, or a "
        "close relative does.",
        error_messages={"required": "Say whether you have a conflict of interest"})
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations you have a conflict with", queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="You will not see or score their bids.")
    details = forms.CharField(label="Describe the conflict", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, bidders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = bidders

    def declaration(self) -> dict:
        conflict = self.cleaned_data["has_conflict"] == "yes"
        return {"has_conflict": conflict,
                "organisations": list(self.cleaned_data["organisations"]) if conflict else [],
                "details": self.cleaned_data["details"] if conflict else ""}


class ScoresForm(forms.Form):
    """One score (or pass/fail) and one rationale per scored criterion.

    Fields are optional here: saving a draft may leave gaps. The service decides what a
    submission needs and its errors come back next to the fields.
    """

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        initial_scores = initial_scores or {}
        for criterion in self.criteria:
            existing = initial_scores.get(criterion.pk)
            self.fields[f"criterion_{criterion.pk}"] = self._score_field(criterion, existing)
            self.fields[f"rationale_{criterion.pk}"] = forms.CharField(
                label=f"Reasons for your score for {criterion.name}", required=False,
                initial=getattr(existing, "rationale", ""),
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text="Refer to the bid and to the scale descriptors.")

    @staticmethod
    def _score_field(criterion: AwardCriterion, existing) -> forms.Field:
        if criterion.kind == Kind.PASS_FAIL:
            initial = {True: "pass", False: "fail"}.get(getattr(existing, "passed", None))
            return forms.ChoiceField(label=f"{criterion.name}: pass or fail", required=False,
                                     choices=[("pass", "Pass"), ("fail", "Fail")],
                                     widget=forms.RadioSelect, initial=initial)
        points = [(p.score, f"{p.score}: {p.descriptor}") for p in criterion.scale.all()]
        return forms.TypedChoiceField(
            label=f"Score for {criterion.name} (out of {criterion.max_score})", required=False,
            choices=points or [(i, str(i)) for i in range(criterion.max_score, -1, -1)],
            coerce=int, empty_value=None, widget=forms.RadioSelect,
            initial=getattr(existing, "score", None))

    def entries(self) -> dict[int, ScoreEntry]:
        result = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"criterion_{criterion.pk}")
            rationale = self.cleaned_data.get(f"rationale_{criterion.pk}", "")
            if criterion.kind == Kind.PASS_FAIL:
                passed = {"pass": True, "fail": False}.get(value)
                result[criterion.pk] = ScoreEntry(passed=passed, rationale=rationale)
            else:
                result[criterion.pk] = ScoreEntry(score=value, rationale=rationale)
        return result

    def sections(self) -> list[dict]:
        return [{"criterion": c, "score": self[f"criterion_{c.pk}"],
                 "rationale": self[f"rationale_{c.pk}"]} for c in self.criteria]


class ModerationForm(ScoresForm):
    """The consensus score and reason per criterion, pre-filled from an earlier moderation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"].label = (
                f"Moderated score for {criterion.name}"
                + ("" if criterion.kind == Kind.PASS_FAIL else f" (out of {criterion.max_score})"))
            self.fields[f"rationale_{criterion.pk}"].label = (
                f"Reasons for the moderated score for {criterion.name}")
            self.fields[f"rationale_{criterion.pk}"].help_text = (
                "The bidder reads these reasons in their assessment summary.")


class EvaluationFilter(django_filters.FilterSet):
    """The evaluation list: by status, or a reference or title."""

    q = django_filters.CharFilter(label="Reference or title", method="search")
    status = django_filters.ChoiceFilter(
        label="Status", empty_label="Any status",
        choices=[(s, label) for s, label in Tender.Status.choices
                 if s in ("published", "opened", "evaluation", "awarding", "standstill",
                          "contracted")])

    class Meta:
        model = Tender
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))


class DelegationForm(forms.Form):
    """Which questions a citizens' panel scores, and which panel."""

    questions = forms.ModelMultipleChoiceField(
        label="Questions for the panel to score", queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="The panel sees each bid's answers to these questions only, as Bid A, Bid B "
        "and so on, without the bidders' names. The evaluators do not score them.",
        error_messages={"required": "Choose at least one question for the panel to score"})
    panel = forms.ModelChoiceField(
        label="Citizens' panel", queryset=None, empty_label="Choose a panel",
        error_messages={"required": "Choose the citizens' panel that scores the answers"})

    def __init__(self, *args, questions, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = questions
        self.fields["questions"].label_from_instance = (
            lambda q: f"Question {q.number}: {q.text[:120]} ({q.criterion.name})")
        self.fields["panel"].queryset = panels
        self.fields["panel"].label_from_instance = lambda p: p.title


class DelegationSummariesForm(forms.Form):
    """An easy-read summary of each delegated answer, for the citizens' panel."""

    def __init__(self, *args, bids, max_chars: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for bid in bids:
            for answer in bid.answers:
                name = f"summary_{bid.bid_id}_{answer.question.pk}"
                self.fields[name] = forms.CharField(
                    label=f"{bid.label}, question {answer.question.number}: easy-read summary",
                    required=False, initial=answer.summary, max_length=max_chars,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=f"Short sentences and everyday words, {max_chars} characters "
                              "at most. Leave it blank to show the whole answer only.",
                    error_messages={"max_length": f"Keep the summary to {max_chars} "
                                                  "characters or fewer"})
                self.rows.append((bid.label, answer, name))

    def summaries(self) -> dict[tuple[int, int], str]:
        found = {}
        for name, value in self.cleaned_data.items():
            _, bid_id, question_id = name.split("_")
            found[(int(bid_id), int(question_id))] = value
        return found

    def grouped(self):
        """(label, [(answer, bound field)]) per bid, for the page."""
        groups: dict[str, list] = {}
        for label, answer, name in self.rows:
            groups.setdefault(label, []).append((answer, self[name]))
        return list(groups.items())


class DelegationRecallForm(forms.Form):
    reason = forms.CharField(
        label="Why are you taking the questions back?", max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The panel's facilitators and the evaluators are told.",
        error_messages={"required": "Say why the questions are taken back"})
