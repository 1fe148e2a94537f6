"""Background work of the citizens app: thin, idempotent, one service each."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from citizens.models import PanelMembership, PoolEntry

EMAIL_RETRY = {"autoretry_for": (OSError,), "max_retries": 5, "retry_backoff": 30,
               "retry_backoff_max": 300, "retry_jitter": True}


def _mail(template: str, subject: str, to: str, **context) -> None:
    body = render_to_string(f"citizens/email/{template}.txt",
                            {**context, "portal_name": settings.PORTAL_NAME})
    send_mail(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body, None, [to])


def _url(name: str, *args) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{reverse(name, args=args)}"


@shared_task(name="citizens.run_selection", ignore_result=True, acks_late=True,
             soft_time_limit=settings.CITIZENS_SELECTION_MAX_SECONDS + 360,
             time_limit=settings.CITIZENS_SELECTION_MAX_SECONDS + 420)
def run_selection(run_id: int) -> None:
    """Draw the panel of a seeded selection run (long: minutes for large pools)."""
    from citizens.services.selection import selection_execute

    selection_execute(run_id=run_id)


@shared_task(name="citizens.send_invitation", ignore_result=True, **EMAIL_RETRY)
def send_invitation(membership_id: int) -> None:
    membership = PanelMembership.objects.select_related("panel").filter(
        pk=membership_id, status=PanelMembership.Status.INVITED).first()
    if membership is None or not membership.invitation_token or not membership.email:
        return
    _mail("invitation", f"You have been selected for {membership.panel.title}",
          membership.email, membership=membership, panel=membership.panel,
          url=_url("citizens:invitation", membership.invitation_token))


@shared_task(name="citizens.send_guardian_request", ignore_result=True, **EMAIL_RETRY)
def send_guardian_request(membership_id: int) -> None:
    membership = PanelMembership.objects.select_related("panel").filter(
        pk=membership_id, status=PanelMembership.Status.AWAITING_GUARDIAN).first()
    if membership is None or not membership.guardian_token:
        return
    _mail("guardian_request", f"Your consent for {membership.panel.title}",
          membership.guardian_email, panel=membership.panel,
          url=_url("citizens:guardian_consent", membership.guardian_token))


@shared_task(name="citizens.send_registration_confirmation", ignore_result=True, **EMAIL_RETRY)
def send_registration_confirmation(entry_id: int) -> None:
    entry = PoolEntry.objects.select_related("panel").filter(pk=entry_id).first()
    if entry is not None:
        _mail("registration", f"You are in the pool for {entry.panel.title}", entry.email,
              entry=entry, panel=entry.panel, url=_url("citizens:panel_public", entry.panel_id))


@shared_task(name="citizens.close_due_decisions", ignore_result=True)
def close_due_decisions() -> int:
    from citizens.services.decisions import close_due_decisions as close

    return close()


@shared_task(name="citizens.purge_sensitive_answers", ignore_result=True)
def purge_sensitive_answers() -> int:
    from citizens.services.recruitment import sensitive_purge_due

    return sensitive_purge_due()
