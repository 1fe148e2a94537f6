"""Authority staff and platform admins set up two-factor authentication before any staff page."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from accounts.policy import has_totp, mfa_required

# Pages anybody may reach without MFA: public pages and the account pages used to set it up.
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/accessibility", "/privacy", "/cookies")
SESSION_KEY = "mfa_policy_ok"


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up(request):
            messages.warning(
                request,
                "Your role needs two-factor authentication. Set up an authenticator app to "
                "continue.",
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)

    def _must_set_up(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or request.path == "/":
            return False
        if request.path.startswith(OPEN_PREFIXES):
            return False
        # Remember a positive answer for the session: a policy check costs two queries.
        if request.session.get(SESSION_KEY) == user.pk:
            return False
        if not mfa_required(user) or has_totp(user):
            request.session[SESSION_KEY] = user.pk
            return False
        return True
