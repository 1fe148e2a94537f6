"""OCDS publication: every lifecycle event produces a release (see commissioning/ocds.py).

Services call `release_publish(tender=..., tags=[...])` inside their transaction, after the
models reflect the event.
"""

from commissioning.models import Release, Tender


def release_publish(*, tender: Tender, tags: list[str], notice=None) -> Release | None:
    """Build and store the OCDS release for `tender` as it is now.

    With ``notice`` (a ``services.notices.NoticeDraft``), the release also carries the notice
    as a document, and the notice is stored as data with its release.
    """
    from commissioning import ocds

    if notice is not None:
        from commissioning.services.notices import notice_record

        return notice_record(draft=notice, tender=tender, tags=tags)
    return ocds.release_store(tender=tender, tags=tags)
