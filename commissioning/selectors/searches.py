"""Reads of a person's saved tender searches."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from commissioning.models import SavedSearch, Tender


def saved_searches_of(*, user) -> QuerySet[SavedSearch]:
    """The user's own saved searches, with how many tenders each has alerted them to."""
    return SavedSearch.objects.filter(user=user).annotate(alerted=Count("alerts"))


def saved_search_get_for_user(*, user, pk: int) -> SavedSearch:
    """One of the user's own saved searches; 404 for anybody else's."""
    search = SavedSearch.objects.filter(user=user, pk=pk).first()
    if search is None:
        raise Http404("No such saved search.")
    return search


def no_tenders() -> QuerySet[Tender]:
    return Tender.objects.none()
