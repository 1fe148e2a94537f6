"""Publishing a pipeline notice (UK1) from the project's pipeline page and a planned procurement
notice (UK3) from the draft tender's management page: a confirmation step, the notice's public
page, an audit entry; nobody but the authority's commissioners may publish."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.models import Notice
from commissioning.services.stages import stage_add
from commissioning.services.tenders import tender_publish
from core.models import AuditEntry
from organisations.models import Role
from tests import factories
from tests.commissioning import stages_support as support
from tests.commissioning.ocds_support import no_network  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_commissioner_publishes_a_uk1_from_the_pipeline_page(project, commissioner):
    client = signed_in(commissioner)
    url = reverse("commissioning:project_pipeline_notice", args=[project.pk])
    assert url in client.get(reverse("commissioning:project_detail",
                                     args=[project.pk])).content.decode()
    confirm = client.get(url).content.decode()
    assert "Publish a pipeline notice (UK1)" in confirm and project.need in confirm
    assert not Notice.objects.exists()  # the confirmation page publishes nothing
    assert client.post(url, {"description": ""}).status_code == 200
    response = client.post(url, {"description": "Home support after hospital, from 2027."})
    notice = Notice.objects.get(notice_type="UK1", project=project)
    assert response.url == reverse("commissioning:notice", args=[notice.pk])
    assert notice.fields["Description"] == "Home support after hospital, from 2027."
    assert AuditEntry.objects.filter(action="notice.publish", object_id=str(notice.pk)).exists()
    public = Client().get(response.url)
    assert public.status_code == 200 and project.title in public.content.decode()
    again = client.get(url).content.decode()
    assert reverse("commissioning:notice", args=[notice.pk]) in again  # already published


def test_the_commissioner_publishes_a_uk3_from_the_draft_tenders_page(draft_tender,
                                                                      commissioner):
    client = signed_in(commissioner)
    url = reverse("commissioning:tender_planned_notice", args=[draft_tender.pk])
    assert url in client.get(reverse("commissioning:tender_manage",
                                     args=[draft_tender.pk])).content.decode()
    assert "Publish a planned procurement notice (UK3)" in client.get(url).content.decode()
    response = client.post(url, {"description": "Day services, tender notice in March."})
    notice = Notice.objects.get(notice_type="UK3", tender=draft_tender)
    assert response.url == reverse("commissioning:notice", args=[notice.pk])
    assert AuditEntry.objects.filter(action="notice.publish", object_id=str(notice.pk)).exists()
    assert Client().get(response.url).status_code == 200


def test_a_uk3_is_refused_once_the_tender_notice_is_published(draft_tender, commissioner):
    tender_publish(actor=commissioner, tender=draft_tender)
    response = signed_in(commissioner).post(
        reverse("commissioning:tender_planned_notice", args=[draft_tender.pk]),
        {"description": "Too late."})
    assert response.status_code == 200
    assert "before the tender notice" in response.content.decode()
    assert not Notice.objects.filter(notice_type="UK3").exists()


def test_a_stage_of_a_procedure_has_no_uk3_of_its_own(authority, commissioner):
    staged = support.designed(authority, commissioner)
    stage = stage_add(actor=commissioner, procedure=staged.procedure, kind="negotiation",
                      title="Round 1",
                      deadline=staged.participation.round.deadline + timedelta(days=1))
    response = signed_in(commissioner).post(
        reverse("commissioning:tender_planned_notice", args=[stage.round_id]),
        {"description": "A round."})
    assert "no notices of its own" in response.content.decode()
    assert not Notice.objects.filter(notice_type="UK3").exists()


@pytest.fixture
def people(authority, citizen, bid_writer, commissioner, other_commissioner, platform_admin):
    return {"anonymous": None, "citizen": citizen, "supplier": bid_writer,
            "commissioner": commissioner,
            "evaluator": factories.with_totp(factories.member(authority, Role.EVALUATOR)),
            "other_authority": other_commissioner, "platform_admin": platform_admin}


PEOPLE = ["anonymous", "citizen", "supplier", "commissioner", "evaluator", "other_authority",
          "platform_admin"]
MATRIX = {
    # The project is public (in market engagement): others see it, only its commissioners
    # publish.
    "uk1": (302, 403, 403, 200, 403, 403, 403),
    # A draft tender is not public: 404 outside the authority.
    "uk3": (302, 404, 404, 200, 403, 404, 403),
}


def test_the_permission_matrix_of_the_publish_pages(people, project, draft_tender):
    pages = {"uk1": reverse("commissioning:project_pipeline_notice", args=[project.pk]),
             "uk3": reverse("commissioning:tender_planned_notice", args=[draft_tender.pk])}
    wrong = {}
    for index, person in enumerate(PEOPLE):
        client = signed_in(people[person]) if people[person] else Client()
        for page, statuses in MATRIX.items():
            found = (client.get(pages[page]).status_code,
                     client.post(pages[page], {"description": "x"}).status_code)
            if found[0] != statuses[index] or found[1] not in (statuses[index], 302):
                wrong[(page, person)] = (found, statuses[index])
    assert wrong == {}
    assert Notice.objects.count() == 2  # the commissioner's UK1 and UK3, nobody else's
