"""Forms of the citizens app: each validates its input; services check the business rules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from citizens.models import Attendance, Decision, ExpenseClaim, OfficialResponse, PanelSession
from citizens.models.decisions import ImplementationUpdate, Method
from citizens.services.recruitment import AGE_FEATURE, age_bands, features_of
from core.forms.fields import GovukDateField
from core.money import to_money


class PanelForm(forms.Form):
    title = forms.CharField(max_length=200)
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="Why the panel exists, in plain English.")
    remit = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="What it may decide or recommend.")
    feeds_decision = forms.CharField(label="The decision it feeds", max_length=300)
    size = forms.IntegerField(label="Seats", min_value=3, max_value=200)
    term_start = GovukDateField(label="Term starts")
    term_end = GovukDateField(label="Term ends")
    is_young = forms.BooleanField(label="Young commissioners' panel (ages 12 to 18)",
                                  required=False)
    retention_days = forms.IntegerField(
        label="Days to keep sensitive pool answers after the draw", min_value=1,
        max_value=730, initial=180)
    session_quorum = forms.IntegerField(
        label="Members needed for a quorate session", min_value=0, initial=0,
        help_text="0 means more than half of the seats.")
    honorarium_per_session = forms.DecimalField(label="Honorarium per session (£)",
                                                min_value=0, max_digits=14, decimal_places=2,
                                                initial=0)
    expenses_cap_per_session = forms.DecimalField(label="Most expenses per session (£)",
                                                  min_value=0, max_digits=14, decimal_places=2,
                                                  initial=0)


class QuotaForm(forms.Form):
    rows = forms.CharField(
        label="Features and quotas", widget=forms.Textarea(attrs={"rows": 10}),
        help_text="One value a line: feature | feature label | value | value label | minimum "
                  "| maximum. For example: gender | Gender | woman | Woman | 7 | 8. Use the "
                  "feature age_band with the registration age bands as values.")

    def clean_rows(self) -> list[dict]:
        rows, problems = [], []
        for number, line in enumerate(self.cleaned_data["rows"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 6:
                problems.append(f"Line {number}: give six parts separated by |.")
                continue
            feature, feature_label, value, value_label, low, high = parts
            if not (low.isdigit() and high.isdigit()):
                problems.append(f"Line {number}: the minimum and maximum are whole numbers.")
                continue
            if not (feature.replace("_", "").isalnum() and value.replace("-", "").replace(
                    "_", "").replace("+", "").isalnum()):
                problems.append(f"Line {number}: feature and value are short codes (letters, "
                                "numbers, - and _).")
                continue
            rows.append({"feature": feature.lower(), "feature_label": feature_label,
                         "value": value.lower(), "value_label": value_label,
                         "minimum": int(low), "maximum": int(high)})
        if problems:
            raise ValidationError(problems)
        if not rows:
            raise ValidationError("Give at least one feature value.")
        return rows


CONSENT_TEXT = {
    "consent_selection": "Use my answers about myself to draw the panel by lottery",
    "consent_contact": "Contact me by email or phone about this panel",
    "consent_statistics": "Include my answers, anonymised and added up with others, in the "
                          "published statistics of the pool (optional)",
}


class RegistrationForm(forms.Form):
    """The public pool registration page: fields follow the panel's features."""

    full_name = forms.CharField(max_length=150, label="Full name")
    email = forms.EmailField(label="Email address")
    phone = forms.CharField(max_length=30, required=False, label="Phone number (optional)")
    address_line_1 = forms.CharField(
        max_length=200, label="First line of your address",
        help_text="Used only to check that one person per household is selected: we keep a "
                  "scrambled code of it, not the address.")
    postcode = forms.CharField(max_length=8)
    age_band = forms.ChoiceField(label="Age", widget=forms.RadioSelect)

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel = panel
        self.fields["age_band"].choices = age_bands(panel)
        for feature in features_of(panel):
            if feature.key == AGE_FEATURE:
                continue
            self.fields[feature.key] = forms.ChoiceField(
                label=feature.label, choices=feature.values, widget=forms.RadioSelect)
        for key, label in CONSENT_TEXT.items():
            self.fields[key] = forms.BooleanField(label=label, required=key !=
                                                  "consent_statistics")

    def person(self) -> dict:
        return dict(self.cleaned_data)


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file of replies",
                           help_text="UTF-8 CSV, at most 5 MB. The first row names the columns.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError("The file must be smaller than 5 MB.")
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError("The file must be a CSV file.")
        return upload


class SeedForm(forms.Form):
    seed = forms.IntegerField(label="Number from the public draw", min_value=1,
                              max_value=2**63 - 1)
    seed_source = forms.CharField(
        label="How it was drawn and who witnessed it", widget=forms.Textarea(attrs={"rows": 3}))


class InvitationForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Yes, I accept my place"),
                                        ("decline", "No, I cannot take part")],
                               widget=forms.RadioSelect, label="Will you take part?")
    guardian_email = forms.EmailField(
        required=False, label="Your parent's or guardian's email address",
        help_text="Young commissioners need their consent before taking part.")


class GuardianForm(forms.Form):
    guardian_name = forms.CharField(max_length=150, label="Your full name")
    answer = forms.ChoiceField(choices=[("yes", "I agree to them taking part"),
                                        ("no", "I do not agree")], widget=forms.RadioSelect,
                               label="Do you agree?")


class MaterialForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    easy_read_summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                                        required=False, label="Easy-read summary")


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Your message",
                           max_length=5000)


class PostForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Your reply",
                           max_length=5000)


class ModerationForm(forms.Form):
    action = forms.ChoiceField(choices=[("publish", "Publish"), ("hide", "Hide")])
    note = forms.CharField(max_length=300, required=False, label="Reason (when hiding)")


class SessionForm(forms.Form):
    title = forms.CharField(max_length=200)
    starts_at = forms.DateTimeField(label="Starts", help_text="For example 2027-02-03 18:30",
                                    input_formats=["%Y-%m-%d %H:%M"])
    ends_at = forms.DateTimeField(label="Ends", help_text="For example 2027-02-03 20:30",
                                  input_formats=["%Y-%m-%d %H:%M"])
    mode = forms.ChoiceField(choices=PanelSession.Mode.choices, widget=forms.RadioSelect)
    location = forms.CharField(max_length=300, required=False)
    online_link = forms.URLField(required=False, label="Link to join online",
                                 assume_scheme="https")
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))


class AttendanceForm(forms.Form):
    def __init__(self, *args, members, existing, **kwargs):
        super().__init__(*args, **kwargs)
        for membership in members:
            self.fields[f"m{membership.pk}"] = forms.ChoiceField(
                label=membership.user.full_name if membership.user else f"Seat {membership.pk}",
                choices=Attendance.Status.choices, widget=forms.RadioSelect,
                initial=existing.get(membership.pk))

    def statuses(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(choices=ExpenseClaim.Kind.choices, widget=forms.RadioSelect,
                             label="What are you claiming?")
    amount = forms.DecimalField(label="Amount (£)", min_value=0, max_digits=14, decimal_places=2)
    description = forms.CharField(max_length=300, required=False,
                                  label="What the expenses were for")
    account_name = forms.CharField(max_length=100, label="Name on the account")
    sort_code = forms.CharField(max_length=8, label="Sort code",
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    account_number = forms.CharField(max_length=10, label="Account number",
                                     widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean_amount(self):
        return to_money(self.cleaned_data["amount"])


class ClaimDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(max_length=300, required=False)


METHOD_HELP = ("Options one a line: label | easy-read summary | reference (optional) | cost in "
               "£ (budget votes). A consent decision has one line: the proposal.")


class DecisionForm(forms.Form):
    title = forms.CharField(max_length=200)
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    easy_read_question = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                                         required=False, label="Easy-read question")
    method = forms.ChoiceField(choices=Method.choices, widget=forms.RadioSelect)
    options = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), help_text=METHOD_HELP)
    criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="Score decisions only: one criterion a line, label | weight.")
    seats = forms.IntegerField(min_value=1, initial=1, label="Winners",
                               help_text="STV and approval: how many options are chosen.")
    min_choices = forms.IntegerField(min_value=0, initial=0, label="Fewest choices (approval)")
    max_choices = forms.IntegerField(min_value=0, initial=0,
                                     label="Most choices (approval; 0 for no limit)")
    score_max = forms.IntegerField(min_value=1, max_value=10, initial=5,
                                   label="Highest score (score decisions)")
    budget = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2,
                                label="Budget to allocate (£)")
    quorum_percent = forms.IntegerField(min_value=0, max_value=100, initial=50,
                                        label="Quorum (% of eligible voters who must vote)")
    threshold_percent = forms.IntegerField(
        min_value=0, max_value=100, initial=50, label="Threshold (%)",
        help_text="Consent: share of agree among agree and disagree. Approval: share of "
                  "voters approving a winner.")
    eligibility = forms.ChoiceField(choices=Decision.Eligibility.choices,
                                    widget=forms.RadioSelect)
    results_visibility = forms.ChoiceField(choices=Decision.Visibility.choices,
                                           widget=forms.RadioSelect, label="Show results")
    secret = forms.BooleanField(required=False, initial=True,
                                label="Secret ballot (untick only for an open, named vote)")

    def clean_options(self) -> list[dict]:
        options, problems = [], []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", "", ""]
            cost = None
            if parts[3]:
                try:
                    cost = to_money(parts[3].replace("£", "").replace(",", ""))
                except (ArithmeticError, ValueError):
                    problems.append(f"Line {number}: the cost must be an amount like 25000.")
            options.append({"label": parts[0][:200], "easy_read_summary": parts[1],
                            "reference": parts[2][:100], "cost": cost})
        if problems:
            raise ValidationError(problems)
        return options

    def clean_criteria(self) -> list[dict]:
        criteria = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            label, _, weight = (p.strip() for p in line.partition("|"))
            if weight and not weight.isdigit():
                raise ValidationError(f"Line {number}: the weight is a whole number.")
            criteria.append({"label": label[:200], "weight": int(weight or 1)})
        return criteria

    def data_for_service(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("options", "criteria")}
        return data

    @classmethod
    def initial_for(cls, decision) -> dict:
        """The draft as the form shows it: options and criteria back in their line format."""
        initial = {name: getattr(decision, name) for name in cls.base_fields
                   if name not in ("options", "criteria")}
        initial["options"] = "\n".join(
            " | ".join([o.label, o.easy_read_summary, o.reference,
                        "" if o.cost is None else str(o.cost)]).rstrip(" |")
            for o in decision.options.all())
        initial["criteria"] = "\n".join(f"{c.label} | {c.weight}"
                                        for c in decision.criteria.all())
        return initial


class ResponseForm(forms.Form):
    stance = forms.ChoiceField(choices=OfficialResponse.Stance.choices, widget=forms.RadioSelect,
                               label="The authority's response")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Response")


class ImplementationForm(forms.Form):
    status = forms.ChoiceField(choices=ImplementationUpdate.Status.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class AppointForm(forms.Form):
    email = forms.EmailField(label="Email address of their account")
    role = forms.ChoiceField(choices=[("facilitator", "Facilitator"),
                                      ("officer", "Commissioning officer"),
                                      ("observer", "Observer")], widget=forms.RadioSelect)


class PaperVotersForm(forms.Form):
    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"] = forms.MultipleChoiceField(
            label="Who handed in a paper ballot", widget=forms.CheckboxSelectMultiple,
            choices=[(str(e.user_id), e.user.full_name) for e in entries])


class PaperNumberForm(forms.Form):
    paper_number = forms.IntegerField(min_value=1, label="Number printed on the paper ballot")
