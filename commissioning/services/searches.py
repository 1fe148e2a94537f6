"""Saved tender searches and their daily email digest (through notifications and the outbox)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from commissioning.models import SavedSearch, Tender, TenderAlert
from core.audit import audit_record
from core.notifications import notify

MAX_SEARCHES = 20
DIGEST_SIZE = 50


def search_query(query: QueryDict) -> str:
    """The filters worth saving, in a canonical order: no page, no sort, no empty values."""
    kept = QueryDict(mutable=True)
    for key in sorted(query):
        if key in ("page", "sort"):
            continue
        values = [v for v in query.getlist(key) if v.strip()]
        if values:
            kept.setlist(key, values)
    return kept.urlencode()


def search_filter(query: str, queryset):
    """The public list's filter over `queryset` for a saved query string."""
    from commissioning.filters import PublicTenderFilter

    return PublicTenderFilter(QueryDict(query) or None, queryset=queryset)


@transaction.atomic
def saved_search_create(*, actor, name: str, query: QueryDict) -> SavedSearch:
    """Save the list's current filters for email alerts (signed-in suppliers only)."""
    if not actor.has_perm("commissioning.save_tender_search"):
        raise PermissionDenied("Only people in a verified supplier organisation can save "
                               "searches.")
    text = search_query(query)
    tender_filter = search_filter(text, Tender.objects.none())
    if text and not tender_filter.form.is_valid():
        raise ValidationError("These filters are not valid. Change them on the list of "
                              "tenders and try again.")
    if SavedSearch.objects.filter(user=actor).count() >= MAX_SEARCHES:
        raise ValidationError(f"You can save up to {MAX_SEARCHES} searches. Delete one first.")
    try:
        with transaction.atomic():
            search = SavedSearch.objects.create(user=actor, name=name.strip()[:120], query=text)
    except IntegrityError:
        raise ValidationError("You have already saved a search with these filters.") from None
    audit_record(actor=actor, action="tender_search.saved", obj=search,
                 summary=f"Saved the tender search {search.name}", changes={"query": text})
    return search


@transaction.atomic
def saved_search_delete(*, actor, search: SavedSearch) -> None:
    if search.user_id != actor.pk:
        raise PermissionDenied
    audit_record(actor=actor, action="tender_search.deleted", obj=search,
                 summary=f"Deleted the tender search {search.name}")
    search.delete()


def _new_matches(search: SavedSearch, since: datetime.datetime, now) -> list[int]:
    """Open tenders published after the search was saved (and after `since`) matching it."""
    from commissioning.selectors.tenders import open_tenders

    base = open_tenders().filter(published_at__gte=max(search.created_at, since),
                                 published_at__lte=now)
    tender_filter = search_filter(search.query, base)
    if search.query and not tender_filter.form.is_valid():
        return []
    return list(tender_filter.qs.order_by().values_list("pk", flat=True)[:DIGEST_SIZE])


def tender_alerts_send(*, now: datetime.datetime | None = None,
                       lookback: datetime.timedelta = datetime.timedelta(days=7)) -> int:
    """The daily digest: each person is notified once of the new open tenders matching any of
    their saved searches, each tender at most once ever. Returns the number of digests.

    Idempotent: a tender already alerted to a person is never sent to them again, so a rerun
    (or a run after a missed day, within `lookback`) sends only what is still new.
    """
    now = now or timezone.now()
    by_user: dict[int, list[SavedSearch]] = defaultdict(list)
    for search in SavedSearch.objects.select_related("user").filter(user__is_active=True):
        by_user[search.user_id].append(search)
    sent = 0
    for searches in by_user.values():
        if _send_digest(searches, since=now - lookback, now=now):
            sent += 1
    return sent


@transaction.atomic
def _send_digest(searches: list[SavedSearch], *, since, now) -> bool:
    user = searches[0].user
    already = set(TenderAlert.objects.filter(user=user).values_list("tender_id", flat=True))
    found: dict[int, SavedSearch] = {}
    for search in searches:
        for pk in _new_matches(search, since, now):
            if pk not in already:
                found.setdefault(pk, search)
    if not found:
        return False
    tenders = list(Tender.objects.select_related("authority").filter(pk__in=found)
                   .order_by("deadline", "pk")[:DIGEST_SIZE])
    TenderAlert.objects.bulk_create(
        [TenderAlert(user=user, tender=t, saved_search=found[t.pk], sent_at=now)
         for t in tenders], ignore_conflicts=True)
    notify(recipients=[user], subject=_subject(len(tenders)), body=_body(tenders, found),
           url=reverse("commissioning:tender_alerts"))
    return True


def _subject(count: int) -> str:
    if count == 1:
        return "1 new tender matches your saved searches"
    return f"{count} new tenders match your saved searches"


def _body(tenders: list[Tender], found: dict[int, SavedSearch]) -> str:
    from core.notifications import absolute_url
    from core.templatetags.govuk import govuk_date

    lines = ["New tenders that match your saved searches:", ""]
    for tender in tenders:
        lines += [f"{tender.title} ({tender.authority.name})",
                  f"Matches: {found[tender.pk].name}. Closes {govuk_date(tender.deadline, True)}.",
                  absolute_url(reverse("commissioning:tender_detail", args=[tender.pk])), ""]
    lines.append("Change or stop these alerts on the saved searches page.")
    return "\n".join(lines)

