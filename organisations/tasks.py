"""Background work of the organisations app: thin wrappers over services."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from organisations.models import Invitation


@shared_task(name="organisations.send_invitation_email")
def send_invitation_email(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(
        pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return
    path = reverse("organisations:invitation", args=[invitation.token])
    body = render_to_string("organisations/email/invitation.txt", {
        "invitation": invitation, "url": f"{settings.PORTAL_BASE_URL}{path}",
        "portal_name": settings.PORTAL_NAME,
    })
    send_mail(f"[{settings.PORTAL_NAME}] You are invited to join {invitation.organisation.name}",
              body, None, [invitation.email])
