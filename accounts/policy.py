"""Who must use two-factor authentication: authority staff and platform admins."""

from allauth.mfa.models import Authenticator

from organisations.selectors import is_authority_staff


def mfa_required(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff or user.is_platform_admin:
        return True
    return is_authority_staff(user=user)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
