"""Who must use two-factor authentication: platform admins, and anyone a registered rule names.

Apps above accounts (organisations: authority staff) register their rule at start-up, so this
module needs to know nothing about them.
"""

from collections.abc import Callable

from allauth.mfa.models import Authenticator

_rules: list[Callable[[object], bool]] = []


def require_mfa_when(rule: Callable[[object], bool]) -> None:
    if rule not in _rules:
        _rules.append(rule)


def mfa_required(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff or user.is_platform_admin:
        return True
    return any(rule(user) for rule in _rules)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
