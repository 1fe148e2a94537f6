"""OCDS publication: every lifecycle event produces a release (see commissioning/ocds.py).

Services call `release_publish(tender=..., tags=[...])` inside their transaction, after the
models reflect the event.
"""

from commissioning.models import Release, Tender


def release_publish(*, tender: Tender, tags: list[str]) -> Release | None:
    """Build and store the OCDS release for `tender` as it is now."""
    from commissioning import ocds

    return ocds.release_store(tender=tender, tags=tags)
