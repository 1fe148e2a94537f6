"""The ballot form for a decision, built from its frozen configuration (online and paper)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from citizens.tally.simple import CONSENT_CHOICES

CONSENT_LABELS = {"agree": "Agree", "abstain": "Abstain: I will go along with the panel",
                  "disagree": "Disagree", "block": "Block: I have a serious objection"}


def _option_label(option: dict) -> str:
    cost = f" (£{float(option['cost']):,.0f})" if option.get("cost") else ""
    return f"{option['label']}{cost}"


class BallotForm(forms.Form):
    def __init__(self, *args, config: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = config
        build = getattr(self, f"_build_{config['method']}")
        build(config)

    def _build_consent(self, config):
        self.fields["choice"] = forms.ChoiceField(
            label="Your answer", widget=forms.RadioSelect,
            choices=[(c, CONSENT_LABELS[c]) for c in CONSENT_CHOICES])

    def _build_approval(self, config):
        low, high = config["min_choices"], config["max_choices"]
        hint = "Choose all the options you support."
        if high:
            hint = f"Choose between {low} and {high} options." if low else (
                f"Choose up to {high} options.")
        self.fields["approved"] = forms.MultipleChoiceField(
            label="Options you support", widget=forms.CheckboxSelectMultiple, help_text=hint,
            required=low > 0,
            choices=[(o["id"], _option_label(o)) for o in config["options"]])

    _build_budget = _build_approval

    def _build_irv(self, config):
        n = len(config["options"])
        for option in config["options"]:
            self.fields[f"rank_{option['id']}"] = forms.TypedChoiceField(
                label=option["label"], required=False, coerce=int, empty_value=None,
                choices=[("", "Not ranked")] + [(i, f"Choice {i}") for i in range(1, n + 1)])

    _build_stv = _build_irv

    def _build_score(self, config):
        marks = [(i, str(i)) for i in range(config["score_max"] + 1)]
        for option in config["options"]:
            for criterion in config["criteria"]:
                self.fields[f"score_{option['id']}_{criterion['id']}"] = forms.TypedChoiceField(
                    label=f"{option['label']}: {criterion['label']}", coerce=int, choices=marks,
                    widget=forms.RadioSelect)

    def clean(self):
        cleaned = super().clean()
        if self.config["method"] in ("irv", "stv") and not self.errors:
            ranks = {oid: cleaned.get(f"rank_{oid}") for oid in self._ids()}
            given = [r for r in ranks.values() if r is not None]
            if not given:
                raise ValidationError("Rank at least one option.")
            if len(given) != len(set(given)):
                raise ValidationError("Give each choice number to one option only.")
        return cleaned

    def _ids(self) -> list[str]:
        return [o["id"] for o in self.config["options"]]

    def content(self) -> dict:
        method, data = self.config["method"], self.cleaned_data
        if method == "consent":
            return {"choice": data["choice"]}
        if method in ("approval", "budget"):
            return {"approved": [oid for oid in self._ids() if oid in data.get("approved", [])]}
        if method in ("irv", "stv"):
            ranked = [(data[f"rank_{oid}"], oid) for oid in self._ids()
                      if data.get(f"rank_{oid}") is not None]
            return {"ranking": [oid for _, oid in sorted(ranked)]}
        return {"scores": {o["id"]: {c["id"]: data[f"score_{o['id']}_{c['id']}"]
                                     for c in self.config["criteria"]}
                           for o in self.config["options"]}}
