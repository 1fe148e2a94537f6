"""The fuzz harness itself can fail: it notices a server error and a change to others' rows."""

from unittest import mock

import pytest
from django.urls import reverse

from organisations.models import Membership, Role
from tests.fuzz.harness import Harness
from tests.fuzz.portal import Form, FormField, parse_page, url_patterns

pytestmark = pytest.mark.django_db


def _removal(provider_admin, bid_writer) -> str:
    membership = Membership.objects.get(user=bid_writer)
    return reverse("organisations:membership_remove",
                   args=[membership.organisation_id, membership.pk])


def test_a_change_to_rows_of_another_party_is_reported(provider_admin, bid_writer):
    harness = Harness()
    actor = harness.actor(provider_admin)
    # The same request, judged as if the organisation were someone else's.
    stranger = harness.actor(provider_admin)
    stranger.own_organisations = frozenset()
    stranger.pristine = {table: o.snapshot(stranger) for table, o in harness.ownership.items()}

    harness.send(actor, "post", _removal(provider_admin, bid_writer))
    assert harness.failures == []
    harness.send(stranger, "post", _removal(provider_admin, bid_writer))
    assert len(harness.failures) == 1
    assert "changed organisations.Membership rows that belong to someone else" in (
        harness.failures[0])


def test_every_request_is_undone(provider_admin, bid_writer):
    harness = Harness()
    harness.send(harness.actor(provider_admin), "post", _removal(provider_admin, bid_writer))
    assert Membership.objects.filter(user=bid_writer).exists()


def test_a_server_error_is_reported_with_its_traceback(provider_admin):
    harness = Harness()
    actor = harness.actor(provider_admin)
    with mock.patch("core.views.notifications_for", side_effect=RuntimeError("broken")):
        outcome = harness.send(actor, "get", reverse("core:notifications"))
    assert outcome.status == 500
    assert "RuntimeError: broken" in harness.failures[0]
    assert harness.status[500] == 1


def test_patterns_come_from_the_resolver_and_build_paths_they_resolve():
    patterns = {pattern.name: pattern for pattern in url_patterns()}
    detail = patterns["commissioning:tender_detail"]
    assert detail.groups == ("pk",)
    assert detail.build({"pk": "12"}) == "/tenders/12/"
    app_index = patterns["admin:app_list"]
    assert "organisations" in app_index.choices["app_label"]
    assert app_index.build({"app_label": "organisations"}) == "/admin/organisations/"


def test_forms_are_read_from_the_page_with_their_options():
    html = """<form method="post" action="save/" enctype="multipart/form-data">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="title" value="Meals"><textarea name="notes">x</textarea>
      <select name="lot"><option value="">Choose</option><option value="3" selected>A</option>
      </select><input type="radio" name="kind" value="a"><input type="radio" name="kind"
      value="b" checked><input type="file" name="upload"><button name="go" value="1">Go</button>
      </form><a href="/tenders/?page=2">next</a><a href="https://elsewhere.example">x</a>"""
    links, forms = parse_page("/tenders/1/", html)
    assert links == ["/tenders/?page=2"]
    (form,) = forms
    assert (form.action, form.method) == ("/tenders/1/save/", "post")
    fields = {f.name: f for f in form.fields}
    assert fields["lot"].options == ["", "3"] and fields["lot"].value == "3"
    assert fields["notes"].value == "x" and fields["upload"].kind == "file"
    assert isinstance(form, Form) and isinstance(fields["kind"], FormField)


def test_role_profiles_group_people_by_roles_not_by_their_objects():
    from tests import factories
    from tests.fuzz.harness import role_profile

    one, other = factories.OrganisationFactory(), factories.OrganisationFactory()
    authority = factories.AuthorityFactory()
    admin_one = factories.member(one, Role.PROVIDER_ADMIN)
    admin_other = factories.member(other, Role.PROVIDER_ADMIN)
    writer = factories.member(one, Role.BID_WRITER)
    commissioner = factories.member(authority, Role.COMMISSIONER)
    with_totp = factories.with_totp(factories.member(authority, Role.COMMISSIONER))
    nobody, nobody_else = factories.UserFactory(), factories.UserFactory()
    assert role_profile(admin_one) == role_profile(admin_other)
    profiles = [role_profile(person) for person in
                (admin_one, writer, commissioner, with_totp, nobody, nobody_else, None)]
    assert len(set(profiles)) == len(profiles)  # a person with no role is a profile alone
