"""Commissioning permissions: one module per screen family, registered on import."""

from commissioning.permissions import awards, bids, evaluation, notices, stages, tenders  # noqa: F401
