"""Field helpers shared by the grants forms."""

from __future__ import annotations

from django import forms

from core.forms.fields import GovukDateField


def money(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    field = forms.DecimalField(label=label, required=required, help_text=help_text,
                               max_digits=14, decimal_places=2, min_value=0)
    field.widget.govuk_prefix = "£"
    field.widget.attrs.update({"class": "govuk-input--width-10", "inputmode": "decimal"})
    field.error_messages.update({
        "required": f"Enter {label[0].lower()}{label[1:]}",
        "invalid": f"Enter {label[0].lower()}{label[1:]} as an amount, like 1250.50"})
    return field


def text(label: str, *, required: bool = True, help_text: str = "",
         rows: int = 4) -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"})


def line(label: str, *, required: bool = True, help_text: str = "",
         max_length: int = 200) -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           max_length=max_length,
                           error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"})


def date(label: str, *, required: bool = True, help_text: str = "") -> GovukDateField:
    return GovukDateField(label=label, required=required,
                          help_text=help_text or "For example, 27 3 2027.")


def lines(value: str) -> list[str]:
    return [item.strip() for item in (value or "").splitlines() if item.strip()]
