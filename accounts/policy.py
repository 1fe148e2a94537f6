"""Who must use two-factor authentication, and whether this session has used it.

Platform admins and Django staff always must; apps above accounts (organisations: anyone with an
authority role) register their rule at start-up, so this module needs to know nothing about
them. The rules are asked on every request and read the person's roles as they are now, so a
role granted in the middle of a session takes effect on the next request.

What may be remembered for the session is only the fact that this session has passed a second
factor (signing in with the authenticator app, re-authenticating with it, or activating one): it
cannot stop being true until the person signs out.
"""

from collections.abc import Callable

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator

_rules: list[Callable[[object], bool]] = []

# Set when the person activates an authenticator app in this session: entering its first code
# proves they hold it. Signing in or re-authenticating with it is recorded by allauth itself.
SECOND_FACTOR_SESSION_KEY = "mfa_second_factor_user"


def require_mfa_when(rule: Callable[[object], bool]) -> None:
    if rule not in _rules:
        _rules.append(rule)


def mfa_required(user) -> bool:
    """True when the user's roles, as they are now, require two-factor authentication."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff or user.is_platform_admin:
        return True
    return any(rule(user) for rule in _rules)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_second_factor(request) -> bool:
    """True when this session's signed-in user has used a second factor. No query."""
    user = request.user
    if request.session.get(SECOND_FACTOR_SESSION_KEY) == str(user.pk):
        return True
    return any(record.get("method") == "mfa"
               for record in get_authentication_records(request, user))


def remember_second_factor(request, user) -> None:
    request.session[SECOND_FACTOR_SESSION_KEY] = str(user.pk)
