"""GOV.UK forms: a date plus a time box combined into an aware datetime in Europe/London, and
required-field messages in GOV.UK wording ("Enter the title", "Select the procedure")."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

from core.calendar import LONDON
from core.forms.fields import GovukDateField

TIME_PATTERN = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")
TIME_WORDS = {"midday": datetime.time(12, 0), "noon": datetime.time(12, 0),
              "midnight": datetime.time(0, 0)}


def parse_time(text: str) -> datetime.time | None:
    """'2pm', '2:30pm', '14:30', '9.15am', 'midday' -> a time; None when not a time."""
    value = text.strip().lower().replace(" ", "")
    if value in TIME_WORDS:
        return TIME_WORDS[value]
    match = TIME_PATTERN.match(value)
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match[2] is None:
        return None  # a bare "9" is ambiguous
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


class TimeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", "For example, 12pm or 14:30 (UK time).")
        super().__init__(**kwargs)
        self.widget.attrs.update({"class": "govuk-input--width-5", "spellcheck": "false"})
        label = str(self.label or "the time")
        self.error_messages["required"] = f"Enter the {label[0].lower()}{label[1:]}"

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        parsed = parse_time(text)
        if parsed is None:
            raise ValidationError(f"Enter {self.label.lower()} like 12pm or 14:30.")
        return parsed


def add_datetime_fields(form: forms.Form, name: str, label: str, *, required: bool = True,
                        initial: datetime.datetime | None = None, help_text: str = "") -> None:
    """Add `<name>_date` and `<name>_time` to `form`, prefilled from `initial`."""
    local = initial.astimezone(LONDON) if initial else None
    form.fields[f"{name}_date"] = GovukDateField(
        label=label, required=required, help_text=help_text or "For example, 27 3 2027.",
        initial=local.date() if local else None)
    form.fields[f"{name}_time"] = TimeField(
        label=f"Time for {label[0].lower()}{label[1:]}", required=required,
        initial=_time_text(local.time()) if local else None)


def _time_text(value: datetime.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def combined_datetime(form: forms.Form, name: str) -> datetime.datetime | None:
    """The aware datetime from the two cleaned parts (call in clean())."""
    day = form.cleaned_data.get(f"{name}_date")
    time = form.cleaned_data.get(f"{name}_time")
    if day is None or time is None:
        if (day is None) != (time is None) and not form.has_error(f"{name}_date") \
                and not form.has_error(f"{name}_time"):
            missing = f"{name}_time" if time is None else f"{name}_date"
            form.add_error(missing, "Enter both the date and the time.")
        return None
    return datetime.datetime.combine(day, time, tzinfo=LONDON)


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
