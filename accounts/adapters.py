"""django-allauth adapters: where the portal's account policy meets allauth."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings

from accounts.policy import mfa_required
from core.audit import audit_record


@dataclass(frozen=True)
class PortalSite:
    """What allauth's email templates read from a Site: the portal's name and address."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=settings.PORTAL_NAME,
                      domain=urlsplit(settings.PORTAL_BASE_URL).netloc or settings.PORTAL_BASE_URL)


class PortalAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        if commit:
            user.save()
            audit_record(actor=user, action="account.signed_up", obj=user,
                         summary="Created an account")
        return user

    def format_email_subject(self, subject):
        return f"[{settings.PORTAL_NAME}] {subject}"

    def send_mail(self, template_prefix, email, context):
        # allauth names the site from the request's host ("Hello from 127.0.0.1:8010!"):
        # name the portal and its public address instead, whichever host the request used.
        context = {"current_site": portal_site(), "portal_base_url": settings.PORTAL_BASE_URL,
                   **context}
        super().send_mail(template_prefix, email, context)


class PortalMfaAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        return settings.PORTAL_NAME

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Staff must keep an authenticator app: MFA is mandatory for their roles.
        if authenticator.type == Authenticator.Type.TOTP and mfa_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
