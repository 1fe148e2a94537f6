"""Only the actions a person may take: no page shows a person a link that answers 403.

Each demo person (and an anonymous visitor) walks the portal from every page that needs no
argument, following the links their pages show, and every link shown is fetched as the same
person. A 403 means a presenter or a template offered an action the person's permissions do
not allow: the test fails and names the page, the link and the person. Counts per person are
printed in the terminal summary (pages walked, links checked).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict, deque
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from tests.fuzz.atlas import starting_points
from tests.fuzz.conftest import QUIET_LOGGERS, report
from tests.fuzz.portal import parse_page, resolve_route, url_patterns

pytestmark = pytest.mark.django_db

PAGES_PER_ROUTE = 2  # pages of one pattern whose links a person follows
CHECKS_PER_ROUTE = 4  # links of one pattern fetched per person (each distinct path once)
PAGES_PER_PERSON = 300
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout/", "/__debug__/")


def _walk(client: Client, start: list[str]) -> tuple[Counter, list[str], int]:
    """(pages walked per route, links that answered 403 with their page, links checked)."""
    queue, seen, checked = deque(start), set(start), {}
    walked, checks_per_route, forbidden = Counter(), Counter(), []
    while queue and sum(walked.values()) < PAGES_PER_PERSON:
        path = queue.popleft()
        route = resolve_route(path)
        if route is None or walked[route[0]] >= PAGES_PER_ROUTE:
            continue
        response = client.get(path)
        checked[path] = response.status_code
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        walked[route[0]] += 1
        links, _forms = parse_page(path, response.content.decode("utf-8", "replace"))
        for link in links:
            if link.startswith(SKIPPED_PREFIXES) or (target := resolve_route(link)) is None:
                continue
            if link not in checked and checks_per_route[target[0]] < CHECKS_PER_ROUTE:
                checks_per_route[target[0]] += 1
                checked[link] = client.get(link).status_code
            if checked.get(link) == 403:
                forbidden.append(f"{link} (shown on {path})")
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return walked, forbidden, len(checked)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=StringIO())
            yield list(get_user_model().objects.filter(is_active=True).order_by("email"))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            for name in QUIET_LOGGERS:
                logging.getLogger(name).setLevel(logging.NOTSET)


def test_no_person_is_shown_a_link_that_answers_403(demo):
    start = [p for p in starting_points(url_patterns()) if not p.startswith(SKIPPED_PREFIXES)]
    found, lines = defaultdict(list), []
    for user in [None, *demo]:
        client = Client()
        if user is not None:
            client.force_login(user)
        with transaction.atomic():  # whatever a GET writes (audited reads) is undone
            walked, forbidden, checked = _walk(client, start)
            transaction.set_rollback(True)
        label = user.email if user else "anonymous"
        found[label] = forbidden
        lines.append(f"{label}: {sum(walked.values())} pages walked, {checked} links checked, "
                     f"{len(forbidden)} answered 403")
        print(lines[-1], *forbidden[:20], sep="\n  ", flush=True)  # noqa: T201 - progress
    report("links shown", lines)
    shown = [f"{label}: {link}" for label, links in found.items() for link in sorted(set(links))]
    assert not shown, f"{len(shown)} links shown that answer 403:\n" + "\n".join(shown[:80])
    assert len(lines) == len(demo) + 1  # every person walked
