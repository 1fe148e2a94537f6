"""No 5xx, whatever is sent: every URL pattern as every demo role, every form as every demo
person; and no page shows a person a link that answers 403.

Patterns come from the URL resolver and forms from the pages themselves (see portal.py and
atlas.py), so apps added later are covered with no new test code. The people are split into
groups (conftest.GROUPS), one test class each, which pytest-xdist runs side by side. Counts are
printed in the terminal summary.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from tests.fuzz.conftest import GROUPS, group_label, report
from tests.fuzz.inputs import URL_JUNK, form_cases, query_cases

REAL_ARGUMENTS = 2  # argument sets per pattern: each person's own objects and other people's
CASES_PER_FORM = 8
CASES_PER_REPEAT = 2  # the same form met again by a third person or more

pytestmark = pytest.mark.django_db


def _summary(harness, started: int) -> str:
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(harness.status.items()))
    return f"{harness.requests - started} requests; all so far by status: {statuses}"


def _failures(harness) -> str:
    return f"{len(harness.failures)} failures of {len(harness.kinds)} kinds:\n\n{harness.report()}"


class EveryPerson:
    """The tests, for the class's group of people (`GROUP`)."""

    GROUP = 0

    def test_no_person_is_shown_a_link_that_answers_403(self, portal):
        """Only the actions a person may take (ADR 0023): every person walks the portal from
        every page that needs no argument, and links their pages show are fetched as them."""
        harness, actors, atlas = portal
        lines = [f"{actor.label}: {atlas.pages[actor.label]} pages walked, "
                 f"{atlas.links_checked[actor.label]} links checked, "
                 f"{len(atlas.forbidden[actor.label])} answered 403" for actor in actors]
        report(f"links shown ({group_label(self.GROUP)})", lines)
        shown = [f"{label}: {link}" for label, links in atlas.forbidden.items()
                 for link in sorted(set(links))]
        assert not shown, f"{len(shown)} links shown that answer 403:\n" + "\n".join(shown[:80])
        assert all(atlas.pages[actor.label] for actor in actors)  # every person walked

    def test_every_url_pattern_as_every_role(self, portal):
        harness = portal[0]
        _every_url_pattern(self.GROUP, *portal)
        assert not harness.failures, _failures(harness)

    def test_every_form_with_hostile_input(self, portal):
        harness = portal[0]
        harness.forget_failures()  # those of the walk and the URL sweep belong to the above
        _every_form(self.GROUP, *portal)
        assert not harness.failures, _failures(harness)


# One class per group: pytest-xdist hands each class to a worker.
for _group in range(GROUPS):
    _name = f"TestPeopleGroup{_group + 1}"
    globals()[_name] = type(_name, (EveryPerson,), {"GROUP": _group})


def _every_url_pattern(people, harness, actors, atlas):
    started, clock = harness.requests, time.monotonic()
    # Real arguments are requested as each role (one person per role profile): people who
    # hold the same roles are refused or let in alike. Everyone walked the portal already.
    roles: dict[tuple, object] = {}
    for actor in actors:
        roles.setdefault(actor.profile, actor)
    by_role = list(roles.values())
    for index, pattern in enumerate(atlas.patterns):
        real = atlas.arguments(pattern, per_actor=1, limit=REAL_ARGUMENTS)
        for actor in by_role:
            for kwargs in real:
                harness.send(actor, "get", pattern.build(kwargs), case=pattern.name, once=True)
        # Junk arguments, an empty POST and junk query values: one person each, in turn.
        turn = index
        for group in pattern.groups:
            for value in URL_JUNK:
                turn += 1
                path = pattern.build({**real[0], group: value})
                harness.send(actors[turn % len(actors)], "get", path, case=pattern.name)
        for kwargs in real:
            turn += 1
            harness.send(actors[turn % len(actors)], "post", pattern.build(kwargs),
                         case=f"{pattern.name} (empty POST)")
        names = atlas.query_names.get(pattern.route)
        if names:
            for value in ("-1", "99999999999999999999", "\x00", "x" * 5000):
                turn += 1
                harness.send(actors[turn % len(actors)], "get", pattern.build(real[0]),
                             {name: value for name in names}, case=f"{pattern.name} (query)")
    taking = [pattern for pattern in atlas.patterns if pattern.groups]
    unmet = [pattern.name for pattern in taking
             if not any(atlas.samples.get(pattern.route, {}).values())]
    report(f"every URL ({group_label(people)})", [
        f"{len(by_role)} role profiles among {len(actors)} people; "
        f"{_summary(harness, started)} ({time.monotonic() - clock:.0f} s); arguments from "
        f"the demo's links for {len(taking) - len(unmet)} of {len(taking)} patterns that take "
        "any, generated for the rest:",
        ", ".join(name for name in unmet if not name.startswith("admin:")) + " and "
        f"{sum(1 for name in unmet if name.startswith('admin:'))} admin pages"])


def _every_form(people, harness, actors, atlas):
    started, sent, met, clock = harness.requests, 0, Counter(), time.monotonic()
    for actor, form in atlas.forms:
        cases = query_cases if form.method == "get" else form_cases
        met[(form.action, form.signature)] += 1
        budget = CASES_PER_FORM if met[(form.action, form.signature)] <= 2 else CASES_PER_REPEAT
        for label, data in cases(form, actor=actor.label, budget=budget,
                                 foreign_ids=atlas.foreign_ids(actor)):
            harness.send(actor, form.method if form.method == "get" else "post", form.action,
                         data, case=f"[{label}] form on {form.page}")
            sent += 1
    report(f"every form ({group_label(people)})", [f"{len(atlas.forms)} forms, {sent} cases; "
                            f"{_summary(harness, started)} ({time.monotonic() - clock:.0f} s)"])
