"""Forms of the applicant's journey and the public eligibility pre-check."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from core.documents import DocumentUploadField
from core.forms.dates import GovukForm
from core.postcodes import normalise_postcode, validate_postcode
from grants import answers as answer_rules
from grants.eligibility import Facts, rules_for
from grants.forms.common import date, line, money, text
from organisations.models import Organisation

BUDGET_ROWS = 6
OUTCOME_ROWS = 3


class PrecheckForm(GovukForm):
    """Asks only what the round's rules need; no login, nothing stored."""

    legal_form = forms.ChoiceField(label="What kind of organisation are you?",
                                   choices=Organisation.LegalForm.choices,
                                   widget=forms.RadioSelect)
    postcode = forms.CharField(label="Postcode where the work will happen", max_length=8,
                               validators=[validate_postcode])
    annual_income = money("Your annual income", help_text="From your latest accounts.")
    registered = forms.TypedChoiceField(
        label="Is your organisation registered with the Charity Commission, Companies House, "
              "the Scottish Charity Regulator or the FCA?",
        choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect,
        coerce=lambda v: v == "yes")
    amount = money("How much do you want to ask for?")
    live_grants = forms.IntegerField(label="How many live grants do you hold from this "
                                           "programme?", min_value=0)

    FIELDS_BY_RULE = {"legal_form": "legal_form", "area": "postcode",
                      "income": "annual_income", "registration": "registered",
                      "amount": "amount", "previous_grants": "live_grants"}

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = {self.FIELDS_BY_RULE[rule.id] for rule in rules_for(round_)}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]

    def facts(self) -> Facts:
        data = dict(self.cleaned_data)
        if data.get("postcode"):
            data["postcode"] = normalise_postcode(data["postcode"])
        return Facts(**data)


class DetailsForm(GovukForm):
    project_title = line("Project title")
    project_summary = text("Describe your project in a few sentences")
    amount_requested = money("How much are you asking for?")
    annual_income = money("Your organisation's annual income", required=False,
                          help_text="Total income in your latest annual accounts.")
    beneficiary_postcode = forms.CharField(
        label="Postcode where the work will happen", max_length=8, required=False,
        validators=[validate_postcode], help_text="Leave empty if it is your own address.")

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        if round_ is not None and round_.max_annual_income is not None:
            self.fields["annual_income"].required = True

    def clean_beneficiary_postcode(self):
        value = self.cleaned_data["beneficiary_postcode"]
        return normalise_postcode(value) if value else ""


class SectionForm(GovukForm):
    """The questions of one section, each as the field its kind needs."""

    def __init__(self, *args, questions=(), answers=None, measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answers = answers or {}
        self.measures = measures
        for question in self.questions:
            self._add(question, answers.get(question.pk))

    def _add(self, question, answer) -> None:
        name, value = f"q{question.pk}", answer.value if answer else None
        common = {"label": question.label, "required": False, "help_text": question.hint}
        kind = question.kind
        if kind == "text":
            hint = question.hint + (f" Use up to {question.word_limit} words."
                                    if question.word_limit else "")
            self.fields[name] = forms.CharField(**{**common, "help_text": hint.strip()},
                                                widget=forms.Textarea(attrs={"rows": 6}))
        elif kind in ("number", "money"):
            field = money(question.label, required=False, help_text=question.hint) \
                if kind == "money" else forms.DecimalField(**common)
            self.fields[name] = field
        elif kind == "date":
            self.fields[name] = date(question.label, required=False, help_text=question.hint)
            value = _date_or_none(value)
        elif kind == "choice":
            self.fields[name] = forms.ChoiceField(
                **common, choices=[(c, c) for c in question.choices], widget=forms.RadioSelect)
        elif kind == "multiple":
            self.fields[name] = forms.MultipleChoiceField(
                **common, choices=[(c, c) for c in question.choices],
                widget=forms.CheckboxSelectMultiple)
        elif kind == "file":
            self.fields[name] = DocumentUploadField(**common)
            value = None
        elif kind == "budget":
            self._add_budget(question, value or {})
            return
        elif kind == "outcomes":
            self._add_outcomes(question, value or [])
            return
        if value is not None:
            self.initial[name] = value

    def _add_budget(self, question, value) -> None:
        rows = value.get("rows", [])
        for index in range(BUDGET_ROWS):
            row = rows[index] if index < len(rows) else {}
            self.fields[f"q{question.pk}_item_{index}"] = forms.CharField(
                label=f"{question.label}: line {index + 1}, item", required=False,
                max_length=200, initial=row.get("item"))
            self.fields[f"q{question.pk}_amount_{index}"] = money(
                f"{question.label}: line {index + 1}, amount", required=False)
            self.initial[f"q{question.pk}_amount_{index}"] = row.get("amount")
        self.fields[f"q{question.pk}_total"] = money(f"{question.label}: total",
                                                     required=False,
                                                     help_text="The lines must add up to it.")
        self.initial[f"q{question.pk}_total"] = value.get("total")

    def _add_outcomes(self, question, value) -> None:
        choices = [("", "Choose a measure")] + [(str(m.pk), f"{m.code} {m.name}")
                                                for m in self.measures or []]
        for index in range(OUTCOME_ROWS):
            row = value[index] if index < len(value) else {}
            self.fields[f"q{question.pk}_measure_{index}"] = forms.ChoiceField(
                label=f"{question.label}: outcome {index + 1}", choices=choices,
                required=False, initial=str(row.get("measure", "")))
            self.fields[f"q{question.pk}_target_{index}"] = forms.DecimalField(
                label=f"Target for outcome {index + 1}", required=False, min_value=0,
                initial=row.get("target"))

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            value = self.value_of(question, cleaned)
            if question.kind == "file" or value in (None, "", [], {}):
                continue

            class _Answer:  # the same checks as at submission
                document_id = None

            _Answer.value = value
            for problem in answer_rules.problems(question, _Answer):
                self.add_error(self._first_field(question), problem)
        return cleaned

    def _first_field(self, question) -> str:
        return {"budget": f"q{question.pk}_total",
                "outcomes": f"q{question.pk}_measure_0"}.get(question.kind, f"q{question.pk}")

    def value_of(self, question, cleaned=None):
        cleaned = cleaned if cleaned is not None else self.cleaned_data
        pk = question.pk
        if question.kind == "budget":
            rows = [{"item": cleaned.get(f"q{pk}_item_{i}") or "",
                     "amount": _text(cleaned.get(f"q{pk}_amount_{i}"))}
                    for i in range(BUDGET_ROWS)
                    if cleaned.get(f"q{pk}_item_{i}") or cleaned.get(f"q{pk}_amount_{i}")]
            total = cleaned.get(f"q{pk}_total")
            return {"rows": rows, "total": str(total) if total is not None else None} \
                if rows or total is not None else None
        if question.kind == "outcomes":
            return [{"measure": int(cleaned[f"q{pk}_measure_{i}"]),
                     "target": str(cleaned.get(f"q{pk}_target_{i}") or "")}
                    for i in range(OUTCOME_ROWS) if cleaned.get(f"q{pk}_measure_{i}")] or None
        value = cleaned.get(f"q{pk}")
        if isinstance(value, Decimal):
            return str(value)
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value

    def values(self) -> dict[int, object]:
        return {q.pk: self.value_of(q) for q in self.questions if q.kind != "file"}

    def uploads(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions
                if q.kind == "file" and self.cleaned_data.get(f"q{q.pk}")}


def _date_or_none(value):
    import datetime

    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class WithdrawForm(GovukForm):
    reason = text("Why are you withdrawing? (optional)", required=False, rows=3)
    confirm = forms.BooleanField(label="I want to withdraw this application",
                                 error_messages={"required": "Confirm that you want to "
                                                             "withdraw"})


def _text(value) -> str:
    """A cleaned value as text ("" when the field was missing or invalid)."""
    return "" if value is None else str(value)
