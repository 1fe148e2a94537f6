"""The social value landing page: what this person can do here."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from socialvalue.navigation import home_context


@login_required
def home(request):
    context = home_context(request)
    if not context["sections"]:
        raise PermissionDenied
    return render(request, "socialvalue/home.html", context)
