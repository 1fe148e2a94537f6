"""Emails of the citizens app, sent by tasks through the outbox (run here directly)."""

from django.core import mail

from citizens import tasks
from citizens.models import PanelMembership, PanelRole
from tests.citizens.test_recruitment_selection import person


def test_registration_invitation_and_guardian_emails(panel, commissioner):
    from citizens.services import recruitment
    from citizens.services.panels import panel_set_registration
    from tests.citizens.test_recruitment_selection import QUOTAS

    recruitment.quotas_replace(actor=commissioner, panel=panel, rows=QUOTAS)
    panel_set_registration(actor=commissioner, panel=panel, open_=True)
    entry = recruitment.pool_register(panel=panel, person=person(1)).entry
    tasks.send_registration_confirmation(entry.pk)
    assert mail.outbox[-1].to == ["resident1@example.org"]
    assert entry.pseudonym in mail.outbox[-1].body
    assert "woman" not in mail.outbox[-1].body.lower()  # no sensitive answer is repeated

    membership = PanelMembership.objects.create(
        panel=panel, role=PanelRole.MEMBER, status=PanelMembership.Status.INVITED,
        pool_entry=entry, email=entry.email, invitation_token="tok-123")
    tasks.send_invitation(membership.pk)
    assert "/panels/invitation/tok-123/" in mail.outbox[-1].body
    membership.status = PanelMembership.Status.ACTIVE
    membership.save()
    sent = len(mail.outbox)
    tasks.send_invitation(membership.pk)  # answered: nothing more is sent
    assert len(mail.outbox) == sent

    membership.status, membership.guardian_token = "awaiting_guardian", "g-456"
    membership.guardian_email = "parent@example.org"
    membership.save()
    tasks.send_guardian_request(membership.pk)
    assert mail.outbox[-1].to == ["parent@example.org"]
    assert "/panels/guardian/g-456/" in mail.outbox[-1].body
