"""Form base classes whose required-field messages follow the GOV.UK pattern."""

from __future__ import annotations

from django import forms

from core.forms.fields import GovukDateField


def govuk_required_messages(form: forms.Form) -> None:
    """'Enter the title' / 'Select the procedure' instead of Django's 'This field is required'."""
    for field in form.fields.values():
        if isinstance(field, GovukDateField) or not field.label:
            continue
        label = str(field.label)
        label = label[0].lower() + label[1:]
        choosing = isinstance(field.widget, forms.RadioSelect | forms.Select)
        message = f"Select {label}" if choosing else f"Enter {label}"
        if field.error_messages.get("required") == forms.Field.default_error_messages[
                "required"]:
            field.error_messages["required"] = message


class GovukForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class GovukModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)
