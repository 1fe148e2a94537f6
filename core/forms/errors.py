"""Put a service's ValidationError on the form, next to the field it concerns."""

from django.core.exceptions import ValidationError
from django.forms import Form


def attach_errors(form: Form, error: ValidationError, *, default_field: str | None = None) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else default_field
            form.add_error(target, errors)
        return
    form.add_error(default_field if default_field in form.fields else None, error.messages)
