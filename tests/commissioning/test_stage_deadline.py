"""Extending the deadline of a stage: while it is open, to a later time before the final
tenders are due, with a reason; audited; every supplier taking part told; never once the
round has been opened, and never published (a round is not public)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from commissioning.models import DeadlineChange
from commissioning.services.tenders import tender_extend_deadline
from core.calendar import LONDON
from core.models import AuditEntry, Notification
from organisations.models import Role
from tests import factories
from tests.commissioning import stages_support as support

pytestmark = pytest.mark.django_db


@pytest.fixture
def staged(authority, commissioner):
    return support.with_requests(support.designed(authority, commissioner), count=4)


def extend(staged, round_tender, days=5, reason="Two suppliers asked for more time.",
           actor=None):
    with mock.patch("commissioning.services.tenders.release_publish") as publish:
        change = tender_extend_deadline(actor=actor or staged.commissioner, tender=round_tender,
                                        new_deadline=round_tender.deadline + timedelta(days=days),
                                        reason=reason)
    publish.assert_not_called()  # nothing about a round is published
    return change


def told() -> set[int]:
    return set(Notification.objects.filter(subject__startswith="Deadline extended")
               .values_list("recipient_id", flat=True))


def test_an_open_stage_is_extended_audited_and_its_suppliers_told(staged):
    round_tender = staged.participation.round
    before = round_tender.deadline
    _, bystander_writer = support.supplier("Bystander Ltd")
    change = extend(staged, round_tender)
    round_tender.refresh_from_db()
    assert round_tender.deadline == before + timedelta(days=5)
    assert DeadlineChange.objects.filter(pk=change.pk, previous_deadline=before).exists()
    entry = AuditEntry.objects.filter(action="tender.deadline_changed").latest("id")
    assert entry.changes["reason"] == "Two suppliers asked for more time."
    assert told() == {writer.pk for _, writer in staged.suppliers}
    assert bystander_writer.pk not in told()
    assert Notification.objects.filter(
        subject__startswith="Deadline extended",
        url=reverse("commissioning:supplier_round", args=[staged.participation.pk])).exists()


def test_a_negotiation_round_extension_tells_the_shortlist_only(staged):
    support.shortlisted(staged)
    stage = support.negotiation(staged)
    extend(staged, stage.round)
    assert told() == {writer.pk for _, writer in staged.suppliers[:3]}


def test_after_the_deadline_has_passed_it_cannot_be_extended(staged):
    support.close(staged.participation.round)
    with pytest.raises(ValidationError, match="no longer open"):
        extend(staged, staged.participation.round, days=30)


def test_an_opened_round_cannot_be_extended(staged):
    round_tender = staged.participation.round
    support.open_round(staged, round_tender)
    with pytest.raises(ValidationError, match="have been opened"):
        extend(staged, round_tender, days=30)


def test_the_new_deadline_must_be_later_have_a_reason_and_precede_the_final_tenders(staged):
    round_tender = staged.participation.round
    with pytest.raises(ValidationError, match="later than the current one"):
        extend(staged, round_tender, days=-1)
    with pytest.raises(ValidationError, match="reason"):
        extend(staged, round_tender, reason="  ")
    with pytest.raises(ValidationError, match="before the final tenders"):
        extend(staged, round_tender, days=60)
    assert not DeadlineChange.objects.filter(tender=round_tender).exists()


def test_only_the_commissioners_may_extend(staged, authority):
    evaluator = factories.with_totp(factories.member(authority, Role.EVALUATOR))
    with pytest.raises(PermissionDenied):
        extend(staged, staged.participation.round, actor=evaluator)


def test_the_commissioner_extends_from_the_stages_page(staged):
    client = Client()
    client.force_login(staged.commissioner)
    stage = staged.participation
    url = reverse("commissioning:stage_extend", args=[stage.pk])
    overview = client.get(reverse("commissioning:procedure_overview", args=[staged.tender.pk]))
    assert url in overview.content.decode()
    new = (stage.round.deadline + timedelta(days=3)).astimezone(LONDON)
    fields = {"new_deadline_date_day": new.day, "new_deadline_date_month": new.month,
              "new_deadline_date_year": new.year, "new_deadline_time": f"{new:%H:%M}"}
    assert client.post(url, {**fields, "reason": ""}).status_code == 200
    late = (staged.tender.deadline + timedelta(days=1)).astimezone(LONDON)
    response = client.post(url, {"new_deadline_date_day": late.day,
                                 "new_deadline_date_month": late.month,
                                 "new_deadline_date_year": late.year,
                                 "new_deadline_time": f"{late:%H:%M}", "reason": "More time."})
    assert "before the final tenders" in response.content.decode()
    with mock.patch("commissioning.services.tenders.release_publish"):
        response = client.post(url, {**fields, "reason": "Asked for by suppliers."})
    assert response.status_code == 302
    stage.round.refresh_from_db()
    assert stage.round.deadline.astimezone(LONDON).date() == new.date()


def test_the_tender_extension_page_of_a_round_leads_to_the_stage_page(staged):
    """A round's management page keeps the usual link; it goes to the stage's own page, which
    says who is told (the suppliers taking part, not everyone interested)."""
    client = Client()
    client.force_login(staged.commissioner)
    stage = staged.participation
    response = client.get(reverse("commissioning:tender_extend_deadline", args=[stage.round_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("commissioning:stage_extend", args=[stage.pk])
