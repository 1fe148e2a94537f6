"""Helpers shared by the grants views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render

from core.forms.errors import attach_errors

PAGE_SIZE = 20
FORM_PAGE = "grants/form_page.html"


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def form_page(request, form, action: Callable[[Any], Any], *, success, context: dict,
              template: str = FORM_PAGE, message: str = "", error_field: str | None = None):
    """Run `action(form)` on a valid POST and redirect; otherwise (re)show the form.

    A ValidationError from the service is shown on the form, next to its field when it names
    one. `success` is a URL or a function of the action's result that gives one.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form)
        except ValidationError as exc:
            attach_errors(form, exc, default_field=error_field)
        else:
            if message:
                messages.success(request, message)
            return redirect(success(result) if callable(success) else success)
    return render(request, template, {"form": form, **context},
                  status=400 if form.is_bound and form.errors else 200)


def post_action(request, action: Callable[[], Any], *, success: str, message: str = ""):
    """A button that does one thing: run it, show a service refusal as an error message."""
    try:
        action()
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        if message:
            messages.success(request, message)
    return redirect(success)
