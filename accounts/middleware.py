"""Authority staff and platform admins pass a second factor before any staff page.

The decision is taken on every request from the person's roles as they are now (the role
lookup is the one the request makes anyway, cached on the user object), so a role granted or
an organisation joined in the middle of a session takes effect on the next request. Only the
fact that this session has passed a second factor is remembered, never "no MFA needed".
"""

from urllib.parse import quote

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts.policy import has_totp, mfa_required, session_passed_second_factor

# Pages anybody may reach without MFA: public pages and the account pages used to set it up.
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/accessibility", "/privacy", "/cookies")


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._must_pass_second_factor(request):
            return self.get_response(request)
        if has_totp(request.user):
            messages.warning(request, "Your role needs two-factor authentication. Enter the "
                                      "code from your authenticator app to continue.")
            return self._send_to(request, "mfa_reauthenticate")
        messages.warning(request, "Your role needs two-factor authentication. Set up an "
                                  "authenticator app to continue.")
        return self._send_to(request, "mfa_activate_totp")

    @staticmethod
    def _send_to(request, url_name: str):
        # An htmx request would swap the page into a fragment: make the browser go there.
        if getattr(request, "htmx", False):
            page = request.htmx.current_url_abs_path or "/"
            return HttpResponseClientRedirect(f"{reverse(url_name)}?next={quote(page, safe='/')}")
        next_url = quote(request.get_full_path(), safe="/")
        return redirect(f"{reverse(url_name)}?next={next_url}")

    @staticmethod
    def _must_pass_second_factor(request) -> bool:
        user = request.user
        if not user.is_authenticated or request.path == "/":
            return False
        if request.path.startswith(OPEN_PREFIXES):
            return False
        return mfa_required(user) and not session_passed_second_factor(request)
