"""The conflict-of-interest gate: nothing before the declaration, never a conflicted one."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from grants.selectors.assessment import queue_for_assessor
from grants.services import applications as apps
from grants.services import assessment
from tests.grants import support

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(open_round, manager, assessor):
    found = []
    for _ in range(2):
        org, user = support.applicant()
        application = apps.application_start(actor=user, round_=open_round, organisation=org)
        support.fill(application, user)
        apps.application_submit(actor=user, application=application)
        apps.application_screen(actor=manager, application=application, eligible=True)
        application.refresh_from_db()
        found.append(application)
    assessment.assessor_assign(actor=manager, round_=open_round, assessor=assessor)
    return found


def test_nothing_is_visible_before_the_declaration(client, two, assessor):
    client.force_login(assessor)
    assert client.get(reverse("grants:assessor_score", args=[two[0].pk])).status_code == 404
    assert client.get(reverse("grants:assessor_queue", args=[two[0].round_id])).status_code \
        == 403
    assert not assessor.has_perm("grants.view_application", two[0])


def test_a_declared_conflict_hides_the_application(client, two, assessor, open_round):
    mine, other = two
    assessment.conflicts_declare(actor=assessor, round_=open_round,
                                 conflicts={mine.pk: "My sister chairs the trustees"})
    assignment = open_round.assessors.get(assessor=assessor)
    assert list(queue_for_assessor(assignment=assignment)) == [other]
    client.force_login(assessor)
    assert client.get(reverse("grants:assessor_score", args=[mine.pk])).status_code == 404
    assert client.get(reverse("grants:assessor_score", args=[other.pk])).status_code == 200
    queue = client.get(reverse("grants:assessor_queue", args=[open_round.pk])).content.decode()
    assert other.reference in queue and mine.reference not in queue
    with pytest.raises(PermissionDenied):
        assessment.assessment_save(actor=assessor, application=mine, scores={},
                                   recommendation="fund", comments="")


def test_a_conflict_cannot_be_withdrawn_later(two, assessor, open_round):
    mine = two[0]
    assessment.conflicts_declare(actor=assessor, round_=open_round, conflicts={mine.pk: "Board"})
    assessment.conflicts_declare(actor=assessor, round_=open_round, conflicts={})
    assignment = open_round.assessors.get(assessor=assessor)
    assert mine not in queue_for_assessor(assignment=assignment)


def test_a_conflict_needs_a_reason(two, assessor, open_round):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Say what the conflict"):
        assessment.conflicts_declare(actor=assessor, round_=open_round,
                                     conflicts={two[0].pk: " "})


def test_only_authority_staff_can_be_assessors(open_round, manager):
    from django.core.exceptions import ValidationError

    _, outsider = support.applicant()
    with pytest.raises(ValidationError, match="staff of the authority"):
        assessment.assessor_assign(actor=manager, round_=open_round, assessor=outsider)
