"""Reads of the shared kernel's tables, scoped to the asking user."""

from django.db.models import Model, QuerySet
from django.http import Http404

from core.models import Notification


def one_or_none(queryset: QuerySet) -> Model | None:
    """The row of a queryset already narrowed to at most one (by a unique key), or None.

    As ``.first()``, without the ORDER BY that ``.first()`` adds: Django compiles any ordering
    by hashing every selected column (``Expression.identity``), a cost that grows with each
    ``select_related`` join and is pure waste on a single row.
    """
    return next(iter(queryset.order_by()[:1]), None)


def one_of_or_404(queryset: QuerySet, pk, *, message: str) -> Model:
    """The row `pk` of an already scoped queryset (say, a checked tender's questions).

    404 with `message` when it is not there, and also when `pk` is not a whole number, so a
    mangled address never becomes an error page.
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(message) from None
    found = one_or_none(queryset.filter(pk=pk))
    if found is None:
        raise Http404(message)
    return found


def notifications_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
