"""When the public tender list changes, so that its rendered pages can be kept until then.

The list (its rows, counts, pagination and the buyers in its filter form) shows tenders and the
names of their authorities. Any save or delete of a tender, a tender's CPV code or an authority
ends the list's version at once (``core.pagecache``); so does time: the next deadline (a tender
turns from open to closed) and midnight in London (value bands follow the thresholds in force
that day). Bulk writes that bypass signals call ``tender_list_changed()`` themselves.
"""

from __future__ import annotations

import datetime

from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from core import pagecache
from core.calendar import start_of_day

SCOPE = "tender_list"


def tender_list_changed() -> None:
    pagecache.bump(SCOPE)


def next_change_at() -> datetime.datetime:
    """The next moment the list would change with no write: a deadline passing, or midnight."""
    from commissioning.models import Tender

    now = timezone.now()
    midnight = start_of_day(timezone.localdate(now) + datetime.timedelta(days=1))
    deadline = Tender.objects.filter(status=Tender.Status.PUBLISHED, deadline__gt=now).aggregate(
        next=Min("deadline"))["next"]
    return min(midnight, deadline) if deadline else midnight


def _tender_changed(sender, **kwargs) -> None:
    tender_list_changed()


def _organisation_changed(sender, instance, **kwargs) -> None:
    if instance.is_authority:
        tender_list_changed()


def register() -> None:
    from commissioning.models import Tender, TenderCpv
    from organisations.models import Organisation

    pagecache.register_scope(SCOPE, expires_at=next_change_at)
    for model in (Tender, TenderCpv):
        post_save.connect(_tender_changed, sender=model, dispatch_uid=f"list-{model.__name__}")
        post_delete.connect(_tender_changed, sender=model, dispatch_uid=f"list-{model.__name__}-")
    post_save.connect(_organisation_changed, sender=Organisation, dispatch_uid="list-org")
    post_delete.connect(_organisation_changed, sender=Organisation, dispatch_uid="list-org-")
