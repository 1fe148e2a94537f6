"""Reads of the shared kernel's tables, scoped to the asking user."""

from django.db.models import Model, QuerySet
from django.http import Http404

from core.models import Notification


def one_of_or_404(queryset: QuerySet, pk, *, message: str) -> Model:
    """The row `pk` of an already scoped queryset (say, a checked tender's questions).

    404 with `message` when it is not there, and also when `pk` is not a whole number, so a
    mangled address never becomes an error page.
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(message) from None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(message)
    return found


def notifications_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
