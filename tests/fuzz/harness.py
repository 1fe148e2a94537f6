"""Send one request as one person, undo whatever it did, and judge the response.

Every request runs in a savepoint that is rolled back afterwards, so each case starts from the
same demo data. Before the rollback the harness checks that the request changed nothing that
belongs to someone else: rows are owned by the organisations and people their foreign keys lead
to (found from the models' metadata, so new apps are covered), and the rows of other parties
are compared with a digest taken before any request was sent.
"""

from __future__ import annotations

import hashlib
import traceback
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import Q
from django.test import Client

from tests.fuzz.portal import resolve_route

# Rows of these are judged by what they point at, never on their own.
OWNER_DEPTH = 4
STATUS_WITH_BODY = range(400, 500)


class _Undo(Exception):
    """Raised inside the savepoint to roll back a case."""


@dataclass
class Actor:
    label: str
    user: object | None
    client: Client
    cookies: SimpleCookie
    own_organisations: frozenset[int]
    sees_everything: bool
    pristine: dict[str, tuple[list, str]] = field(default_factory=dict)
    # What the person may do, whoever they are: the same for two commissioners of one kind
    # of authority, different for a commissioner and an evaluator (see `role_profile`).
    profile: tuple = ()


@dataclass
class Outcome:
    status: int
    content_type: str = ""
    body: bytes = b""
    error: str = ""


@dataclass
class Ownership:
    model: type[models.Model]
    organisation_paths: list[str]
    user_paths: list[str]

    def foreign_rows(self, actor: Actor):
        owned = Q()
        for path in self.organisation_paths + self.user_paths:
            owned |= Q(**{f"{path}__isnull": False})
        mine = Q(pk__in=[])
        for path in self.organisation_paths:
            mine |= Q(**{f"{path}__in": actor.own_organisations})
        if actor.user is not None:
            for path in self.user_paths:
                mine |= Q(**{path: actor.user.pk})
            mine |= self._joined(actor.user)
        return self.model._base_manager.filter(owned).exclude(mine).order_by("pk")

    def _joined(self, user) -> Q:
        """Rows of what the person is a member of: a row of another model that links the person
        to this row (a panel membership to its panel), or to the row this one belongs to (the
        panel of a session). People act on what they have joined, as staff on their
        organisation's rows."""
        joined = Q(pk__in=[])
        hops = [("", self.model)] + [
            (f"{f.name}__", f.related_model) for f in self.model._meta.concrete_fields
            if (f.many_to_one or f.one_to_one) and f.related_model is not None]
        for prefix, target in hops:
            for link, user_field, target_field in membership_links(target):
                ids = link._base_manager.filter(**{user_field: user.pk}).values(target_field)
                joined |= Q(**{f"{prefix}pk__in": ids})
        return joined

    def snapshot(self, actor: Actor) -> tuple[list, str]:
        """The other parties' rows as they are now: their keys and a digest of their values."""
        keys = list(self.foreign_rows(actor).values_list("pk", flat=True))
        return keys, self.digest(keys)

    def digest(self, keys: list) -> str:
        """A digest of these rows as they are now (a removed row changes it too)."""
        columns = [f.attname for f in self.model._meta.concrete_fields
                   if f.attname != "last_login"]
        rows = self.model._base_manager.filter(pk__in=keys).order_by("pk")
        hashed = hashlib.sha256()
        for row in rows.values_list(*columns).iterator(chunk_size=2000):
            hashed.update(repr(row).encode())
        return hashed.hexdigest()


def membership_links(target) -> list[tuple[type[models.Model], str, str]]:
    """(model, its field to a person, its field to `target`) for every membership model (one
    whose name says so) that links people to rows of `target`. Organisations are left out:
    an actor's organisations are its own already (Actor.own_organisations)."""
    from organisations.models import Organisation

    user_model = get_user_model()
    found = []
    if target is Organisation:
        return found
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields
                  if (f.many_to_one or f.one_to_one) and f.related_model is not None]
        to_user = [f.name for f in fields if f.related_model is user_model]
        to_target = [f.name for f in fields if f.related_model is target]
        if model is not target and model.__name__.endswith("Membership") and to_user and (
                to_target):
            found += [(model, u, t) for u in to_user[:1] for t in to_target]
    return found


def ownerships() -> dict[str, Ownership]:
    """Every model whose rows belong to an organisation or a person, keyed by table name."""
    from organisations.models import Organisation

    user_model = get_user_model()
    found = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        organisation_paths, user_paths = _owner_paths(model, Organisation, user_model)
        if organisation_paths or user_paths:
            found[model._meta.db_table] = Ownership(model, organisation_paths, user_paths)
    return found


def _owner_paths(model, organisation_model, user_model) -> tuple[list[str], list[str]]:
    if model is organisation_model:
        return ["pk"], []
    if model is user_model:
        return [], ["pk"]
    organisation_paths, user_paths = [], []
    frontier = [(model, "", {model})]
    for _ in range(OWNER_DEPTH):
        next_frontier = []
        for current, prefix, seen in frontier:
            for f in current._meta.concrete_fields:
                target = f.related_model
                if not (f.many_to_one or f.one_to_one) or target is None or target in seen:
                    continue
                path = f"{prefix}{f.name}"
                if target is organisation_model:
                    organisation_paths.append(path)
                elif target is user_model:
                    user_paths.append(path)
                else:
                    next_frontier.append((target, f"{path}__", seen | {target}))
        frontier = next_frontier
    return organisation_paths, user_paths


def role_profile(user) -> tuple:
    """A person's roles, without the objects they hold them on: platform flags, the kind of
    each organisation they belong to with their role there, and their standing elsewhere:
    each model that says who a person is (a one-to-one to them, or a foreign key named
    ``user``: a citizen profile, an authenticator, an adviser on a roster, an evaluator of a
    tender), with the role and status of each ``...Membership`` they hold (a citizen panel's,
    say). Models are found from their metadata, so new apps are covered. A person with no
    standing at all may still act on what they created (a team leading a spin-out
    application), which says nothing about anyone else: each is a profile of their own."""
    if user is None:
        return ("anonymous",)
    from organisations.models import Membership

    roles = sorted(set(Membership.objects.filter(user=user)
                       .values_list("organisation__kind", "role")))
    held = []
    for model in apps.get_models():
        if model is Membership:
            continue
        to_user = [f.name for f in model._meta.concrete_fields
                   if f.related_model is type(user) and (
                       f.one_to_one or (f.many_to_one and f.name == "user"))]
        choices = ([f.name for f in model._meta.concrete_fields if f.choices]
                   if model.__name__.endswith("Membership") else [])
        for name in to_user:
            rows = model._base_manager.filter(**{name: user.pk})
            if choices:
                held += [(model._meta.label, name, *row)
                         for row in set(rows.values_list(*choices))]
            elif rows.exists():
                held.append((model._meta.label, name))
    standing = [row for row in held if row[0] != "account.EmailAddress"]
    if not roles and not standing and not user.is_superuser and not user.is_staff:
        return ("no role", user.pk)
    return (user.is_superuser, bool(getattr(user, "is_platform_admin", False)), user.is_staff,
            tuple(roles), tuple(sorted(held)))


class Harness:
    def __init__(self) -> None:
        self.ownership = ownerships()
        self.owned_tables = sorted(self.ownership)
        self.status = Counter()
        self.requests = 0
        self.failures: list[str] = []
        self.kinds: dict[str, list] = {}
        self.fetched: set[tuple[str, str]] = set()
        self.postgres = connection.vendor == "postgresql"

    # ----------------------------------------------------------------- actors

    def actor(self, user) -> Actor:
        client = Client(raise_request_exception=True)
        if user is not None:
            client.force_login(user)
            from organisations.models import Membership

            own = frozenset(Membership.objects.filter(user=user)
                            .values_list("organisation_id", flat=True))
            everything = bool(user.is_superuser or getattr(user, "is_platform_admin", False))
            label = user.email
        else:
            own, everything, label = frozenset(), False, "anonymous"
        actor = Actor(label, user, client, _copy(client.cookies), own, everything,
                      profile=role_profile(user))
        if not everything:
            actor.pristine = {table: o.snapshot(actor) for table, o in self.ownership.items()}
        return actor

    # ----------------------------------------------------------------- requests

    def send(self, actor: Actor, method: str, path: str, data=None, *, case: str = "",
             once: bool = False) -> Outcome | None:
        """One request as `actor`, rolled back; failures are recorded, never raised.

        With `once`, a GET this person already sent (while walking, say) is not sent again.
        """
        if method == "get" and not data:
            if once and (actor.label, path) in self.fetched:
                return None
            self.fetched.add((actor.label, path))
        actor.client.cookies = _copy(actor.cookies)
        self.requests += 1
        outcome = Outcome(0)
        try:
            with transaction.atomic():
                before = self._writes()
                outcome = self._request(actor, method, path, data)
                if not outcome.error:
                    self._judge(actor, method, path, outcome, before, case)
                raise _Undo
        except _Undo:
            pass
        self.status[outcome.status] += 1
        if outcome.error:
            self.fail(f"{_route(path)}: {outcome.error.splitlines()[-1]}",
                      f"{actor.label} {method.upper()} {path} {case}: {outcome.status}\n"
                      f"{outcome.error}")
        return outcome

    def fail(self, kind: str, message: str) -> None:
        """Record a failure; failures of one kind are reported once, with their count."""
        self.failures.append(message)
        self.kinds.setdefault(kind, [0, message])[0] += 1

    def forget_failures(self) -> None:
        self.failures.clear()
        self.kinds.clear()

    def report(self) -> str:
        kinds = sorted(self.kinds.values(), key=lambda item: -item[0])
        return "\n\n".join(f"[{count} like this] {message}" for count, message in kinds[:40])

    def _request(self, actor: Actor, method: str, path: str, data) -> Outcome:
        try:
            if method == "post":
                response = actor.client.post(path, data=data or {})
            else:
                response = actor.client.get(path, data=data or {})
        except Exception:  # noqa: BLE001 - any exception is a server error to report
            return Outcome(500, error=_short_traceback())
        # The client closes the response itself; closing it again would close the database
        # connection (request_finished) in the middle of the test transaction.
        content = b"".join(response.streaming_content) if response.streaming else response.content
        outcome = Outcome(response.status_code, response.get("Content-Type", ""), content)
        if response.status_code >= 500:
            outcome.error = "server error without an exception"
        return outcome

    def _judge(self, actor, method, path, outcome, before, case) -> None:
        where = f"{actor.label} {method.upper()} {path} {case}"
        if outcome.status in STATUS_WITH_BODY and not outcome.body:
            self.fail(f"{_route(path)}: empty {outcome.status}",
                      f"{where}: {outcome.status} with an empty page")
        if actor.sees_everything:
            return
        written = self._written_tables(before)
        for table in written:
            ownership = self.ownership.get(table)
            if ownership is None:
                continue
            keys, digest = actor.pristine[table]
            # New rows addressed to others (a notification, say) are fine; existing ones not.
            if keys and ownership.digest(keys) != digest:
                self.fail(f"{table} changed by {actor.label}",
                          f"{where}: changed {ownership.model._meta.label} rows that belong to "
                          f"someone else (status {outcome.status})")

    def _writes(self) -> dict[str, int]:
        """Existing rows changed so far in this transaction (updated or deleted), by table
        (SQLite: rows written in all, as "*"). Inserted rows are left out: a new row cannot
        alter someone else's, and most requests insert only (an audit entry, a session)."""
        with connection.cursor() as cursor:
            if self.postgres:
                # The statistics functions for the owned tables alone: the view over every
                # table cost 3 ms a request, two calls a request.
                cursor.execute("SELECT t, pg_stat_get_xact_tuples_updated(r) + "
                               "pg_stat_get_xact_tuples_deleted(r) FROM unnest(%s::text[]) "
                               "AS t, to_regclass(quote_ident(t)) AS r", [self.owned_tables])
                return dict(cursor.fetchall())
            cursor.execute("SELECT total_changes()")
            return {"*": cursor.fetchone()[0]}

    def _written_tables(self, before: dict[str, int]) -> list[str]:
        after = self._writes()
        changed = [table for table, count in after.items() if count != before.get(table, 0)]
        if changed == ["*"]:
            return list(self.ownership)  # SQLite does not say which tables: compare them all
        return changed


def _route(path: str) -> str:
    resolved = resolve_route(path)
    return resolved[0] if resolved else path


def _copy(cookies: SimpleCookie) -> SimpleCookie:
    copied = SimpleCookie()
    for key, morsel in cookies.items():
        copied[key] = morsel.value
    return copied


def _short_traceback() -> str:
    lines = traceback.format_exc().strip().splitlines()
    return "\n".join(lines[-12:])
