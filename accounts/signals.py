"""Remember for the session that the person has just activated an authenticator app."""

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver

from accounts.policy import remember_second_factor


@receiver(authenticator_added)
def _second_factor_activated(sender, request, user, authenticator, **kwargs) -> None:
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        remember_second_factor(request, user)
