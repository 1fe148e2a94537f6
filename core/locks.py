"""Shared and exclusive locks on one object, for the rest of the current transaction.

Many requests may hold the shared lock on an object at once (bidders changing their own bids
on one tender); the exclusive lock waits until every shared holder has finished and keeps new
ones out until it is released (a deadline extension, the opening of bids, a workflow
transition). So work on one object runs side by side, and the few changes that must see it
still are never interleaved with it.

On PostgreSQL each lock is taken twice, in this order:

1. a transaction-level advisory lock on (model, primary key), shared or exclusive. PostgreSQL's
   lock manager queues requests fairly: once an exclusive request waits, later shared requests
   queue behind it, so a stream of bidders cannot starve an extension. Row locks alone give no
   such guarantee (a new ``FOR SHARE`` joins the current holders while a ``FOR UPDATE`` waits);
2. the row lock of the same mode (``FOR SHARE`` or ``FOR UPDATE``), so code that updates the row
   without asking for the advisory lock still waits for every shared holder.

Both are released at commit or rollback. Callers take these locks before any other row lock of
the same transaction, and never ask for the exclusive lock while holding the shared one (two
such holders would wait for each other). SQLite has one writer at a time and no row locks: the
object is read as it is.
"""

from __future__ import annotations

import zlib

from django.db import connections, models, transaction

_INT4 = 2**32


def advisory_key(model: type[models.Model], pk: int) -> tuple[int, int]:
    """The two int4 halves of the advisory lock key of one row (collisions only add waiting)."""
    label = zlib.crc32(model._meta.label_lower.encode())
    return _signed(label), _signed(int(pk) % _INT4)


def _signed(value: int) -> int:
    return value - _INT4 if value >= 2**31 else value


def lock_shared(queryset: models.QuerySet, pk: int) -> models.Model:
    """The row of ``queryset`` with primary key ``pk``, share-locked until the transaction ends."""
    return _lock(queryset, pk, exclusive=False)


def lock_exclusive(queryset: models.QuerySet, pk: int) -> models.Model:
    """The row, locked against every other holder, shared or exclusive, until the end."""
    return _lock(queryset, pk, exclusive=True)


def _lock(queryset: models.QuerySet, pk: int, *, exclusive: bool) -> models.Model:
    connection = connections[queryset.db]
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "Locks last until the end of the transaction: take them inside transaction.atomic.")
    if connection.vendor != "postgresql":
        return queryset.get(pk=pk)
    model = queryset.model
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", advisory_key(model, pk))
        if exclusive:
            return queryset.select_for_update(of=("self",)).get(pk=pk)
        table, column = model._meta.db_table, model._meta.pk.column
        quote = connection.ops.quote_name
        # Names from the model's own metadata, quoted; the key is a parameter.
        sql = f"SELECT 1 FROM {quote(table)} WHERE {quote(column)} = %s FOR SHARE"  # noqa: S608
        cursor.execute(sql, [pk])
    # Read after the lock is granted: READ COMMITTED gives this statement a new snapshot, so it
    # sees the row as the last exclusive holder committed it, and nobody can change it now.
    return queryset.get(pk=pk)
