"""Walk the portal as each person: which arguments each URL pattern takes, and which forms exist.

Starting from every pattern that needs no argument, each person follows the links their pages
show. The arguments seen in those links are the real objects of the demo data as that person
meets them; another person's arguments are "other people's objects". On the way, links shown
are fetched as the same person (a few per pattern): a link that answers 403 is an action a
presenter or template offered against the person's permissions (ADR 0023).
"""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field

from tests.fuzz.harness import Actor, Harness
from tests.fuzz.inputs import SEED
from tests.fuzz.portal import Form, Pattern, parse_page, resolve_route, split_query

PAGES_PER_ROUTE = 2  # pages fetched per pattern and person while walking
PAGES_PER_ACTOR = 400
SAMPLES_PER_ACTOR = 4  # argument sets remembered per pattern and person
CHECKS_PER_ROUTE = 4  # links of one pattern fetched per person (each distinct path once)
UNCHECKED_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout/", "/__debug__/")


@dataclass
class Atlas:
    patterns: list[Pattern]
    samples: dict[str, dict[str, list[dict]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    query_names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    forms: list[tuple[Actor, Form]] = field(default_factory=list)
    pages: Counter = field(default_factory=Counter)
    links_checked: Counter = field(default_factory=Counter)
    # person -> links shown to them that answered 403, each with the page that showed it
    forbidden: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def remember(self, actor: Actor, path: str) -> tuple[str, dict] | None:
        resolved = resolve_route(path)
        if resolved is None:
            return None
        route, kwargs = resolved
        known = self.samples[route][actor.label]
        if kwargs and kwargs not in known and len(known) < SAMPLES_PER_ACTOR:
            known.append(kwargs)
        self.query_names[route].update(name for name, _ in split_query(path)[1])
        return route, kwargs

    def arguments(self, pattern: Pattern, *, per_actor: int, limit: int) -> list[dict]:
        """Real argument sets for a pattern, a few from each person who met it."""
        found: list[dict] = []
        for samples in self.samples.get(pattern.route, {}).values():
            for kwargs in samples[:per_actor]:
                if kwargs not in found:
                    found.append(kwargs)
        if not found and pattern.groups and set(pattern.groups) <= set(pattern.choices):
            found = [dict(zip(pattern.choices, values, strict=True)) for values in
                     itertools.product(*pattern.choices.values())]
        return found[:limit] or [{}]

    def foreign_ids(self, actor: Actor) -> list[str]:
        """Identifiers other people met in their links: their objects, as far as `actor` goes."""
        ids = set()
        for by_actor in self.samples.values():
            for label, samples in by_actor.items():
                if label != actor.label:
                    ids.update(v for kwargs in samples for v in kwargs.values())
        return sorted(ids)[:200]


def starting_points(patterns: list[Pattern]) -> list[str]:
    paths = []
    for pattern in patterns:
        if not pattern.groups:
            paths.append(pattern.build())
        elif set(pattern.groups) <= set(pattern.choices):
            for values in itertools.product(*pattern.choices.values()):
                paths.append(pattern.build(dict(zip(pattern.choices, values, strict=True))))
    return paths


def walk(harness: Harness, actors: list[Actor], patterns: list[Pattern]) -> Atlas:
    atlas = Atlas(patterns)
    for actor in actors:
        _walk_as(harness, atlas, actor, starting_points(patterns))
    return atlas


def _walk_as(harness: Harness, atlas: Atlas, actor: Actor, start: list[str]) -> None:
    queue, seen, visits, form_keys = deque(start), set(), Counter(), set()
    statuses: dict[str, int] = {}  # path -> status, for this person
    checks = Counter()  # links checked per pattern
    rng = random.Random(f"{SEED}|{actor.label}")  # noqa: S311
    while queue and atlas.pages[actor.label] < PAGES_PER_ACTOR:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        resolved = atlas.remember(actor, path)
        if resolved is None or visits[resolved[0]] >= PAGES_PER_ROUTE:
            continue
        visits[resolved[0]] += 1
        atlas.pages[actor.label] += 1
        outcome = harness.send(actor, "get", path, case="(walking the links)")
        statuses[path] = outcome.status
        if outcome.status != 200 or "html" not in outcome.content_type:
            continue
        links, forms = parse_page(path, outcome.body.decode("utf-8", "replace"))
        # Pages of one pattern are fetched only twice per person: a shuffle (seeded per person)
        # lets each person reach different objects (a draft tender, not always the newest).
        rng.shuffle(links)
        for link in links:
            target = atlas.remember(actor, link)
            if target is None:
                continue
            queue.append(link)
            if link.startswith(UNCHECKED_PREFIXES):
                continue
            if link not in statuses and checks[target[0]] < CHECKS_PER_ROUTE:
                checks[target[0]] += 1
                statuses[link] = harness.send(actor, "get", link,
                                              case="(a link shown on a page)").status
            if statuses.get(link) == 403:
                atlas.forbidden[actor.label].append(f"{link} (shown on {path})")
        for form in forms:
            target = atlas.remember(actor, form.action)  # its arguments, for the sweep
            key = (target[0] if target else form.action, form.signature)
            if target is not None and key not in form_keys:
                form_keys.add(key)
                atlas.forms.append((actor, form))
    atlas.links_checked[actor.label] = len(statuses)
