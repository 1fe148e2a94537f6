"""The public page of a published tender lists the notices published for its procurement
(its own and its project's planning notices), each linked to its public page, in a constant
number of queries however many there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.models import Notice
from commissioning.services.notices import planning_notice_publish
from commissioning.services.tenders import tender_publish
from tests.commissioning import factories as cf
from tests.commissioning.ocds_support import no_network  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]


@pytest.fixture
def published(draft_tender, commissioner):
    """A tender from a project: a UK2, then a UK3 while it was a draft, then its UK4."""
    project = cf.ProjectFactory(authority=draft_tender.authority, created_by=commissioner)
    draft_tender.project = project
    draft_tender.save(update_fields=["project"])
    planning_notice_publish(actor=commissioner, notice_type="UK2", project=project)
    planning_notice_publish(actor=commissioner, notice_type="UK3", tender=draft_tender)
    tender_publish(actor=commissioner, tender=draft_tender)
    draft_tender.refresh_from_db()
    return draft_tender


def page(tender) -> str:
    response = Client().get(reverse("commissioning:tender_detail", args=[tender.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_page_lists_the_procurements_notices_with_links(published, commissioner):
    other = cf.ProjectFactory(authority=published.authority, created_by=commissioner)
    elsewhere = planning_notice_publish(actor=commissioner, notice_type="UK1", project=other)
    body = page(published)
    section = body[body.index('id="notices"'):body.index('id="clarifications"')]
    for number in ("UK2", "UK3", "UK4"):
        notice = Notice.objects.get(notice_type=number)
        assert reverse("commissioning:notice", args=[notice.pk]) in section
    assert "Preliminary market engagement notice" in section
    assert "Planned procurement notice" in section and "Tender notice" in section
    assert section.index("UK2") < section.index("UK3") < section.index("UK4")  # in order
    assert reverse("commissioning:notice", args=[elsewhere.pk]) not in section


def test_a_tender_with_no_project_notices_says_so_only_when_it_has_none(published_tender):
    assert "No notices have been published for this procurement yet." in page(published_tender)


def test_the_notices_take_a_constant_number_of_queries(published, commissioner,
                                                       django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        page(published)
    for _ in range(12):
        planning_notice_publish(actor=commissioner, notice_type="UK1", project=published.project)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = page(published)
    assert body.count("UK1") >= 12
