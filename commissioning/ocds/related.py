"""``relatedProcesses``: the other contracting processes a release follows on from.

Only links whose facts the portal holds are made, each to a public OCID (scheme ``ocid``) with
a relationship from the OCDS 1.1.5 ``relatedProcess`` codelist:

- ``planning``: a tender of a project whose pipeline (UK1) or preliminary market engagement
  (UK2) notice was published; those notices are a process of their own (``<prefix>-p<pk>``).
  A planned procurement notice (UK3) shares the tender's OCID, so it needs no link.
- ``unsuccessfulProcess``: a direct award switched from a terminated competition (s.43),
  when that competition was published (so its OCID is public).

The stages of a staged procedure are rounds of the same procurement that are never published
(ADR 0022): they are described in the procedure's own tender, not linked. The portal holds no
frameworks, so no ``framework`` link is made.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from commissioning.models import Notice, NoticeType, Tender

PLANNING_NOTICES = (NoticeType.UK1, NoticeType.UK2)


def _url(name: str, *args) -> str | None:
    try:
        return f"{settings.PORTAL_BASE_URL}{reverse(name, args=args)}"
    except NoReverseMatch:
        return None  # the public pages are not mounted


def _link(*, key: str, relationship: str, title: str, ocid: str, uri: str | None) -> dict:
    entry = {"id": key, "relationship": [relationship], "title": title, "scheme": "ocid",
             "identifier": ocid}
    if uri:
        entry["uri"] = uri
    return entry


def planning_process(project) -> dict | None:
    """The project's planning process, when a UK1 or UK2 of it was published."""
    if project is None:
        return None
    notice = (Notice.objects.filter(project_id=project.pk, tender__isnull=True,
                                    notice_type__in=PLANNING_NOTICES)
              .order_by("-published_at", "-pk").only("pk", "ocid").first())
    if notice is None:
        return None
    return _link(key=f"planning-{project.pk}", relationship="planning", title=project.title,
                 ocid=notice.ocid, uri=_url("commissioning:notice_release", notice.pk))


def unsuccessful_process(tender: Tender | None) -> dict | None:
    """The terminated competition a direct award switched from, when it was public."""
    if tender is None or tender.published_at is None:
        return None
    from commissioning.ocds import ocid_for

    ocid = ocid_for(tender)
    return _link(key=f"unsuccessful-{tender.pk}", relationship="unsuccessfulProcess",
                 title=tender.title, ocid=ocid, uri=_url("commissioning:ocds_record", ocid))


def related_processes(*, project=None, switched_from: Tender | None = None) -> list[dict]:
    return [link for link in (planning_process(project), unsuccessful_process(switched_from))
            if link]


def of_tender(tender: Tender) -> list[dict]:
    """The related processes of a tender's release (its project; for a direct award's
    procurement record, the competition it switched from)."""
    switched = None
    if tender.procedure == Tender.Procedure.DIRECT:
        direct = getattr(tender, "direct_award", None)
        switched = direct.switched_from if direct is not None else None
    return related_processes(project=tender.project if tender.project_id else None,
                             switched_from=switched)
