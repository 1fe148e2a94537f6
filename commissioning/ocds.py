"""OCDS 1.1.5 serialisation of commissioning data (releases, records, packages)."""

from commissioning.models import Release, Tender


def release_store(*, tender: Tender, tags: list[str]) -> Release | None:
    # Filled in by the OCDS work: until then no release is stored.
    return None
