"""Notices as data: each UK notice is stored with its fields and its OCDS release.

Lifecycle services hand a ``NoticeDraft`` to ``release_publish`` (tender-linked notices: UK4,
UK6, UK7, UK11, UK12, and UK9/UK10 from contract management); ``notice_record`` stores the
notice and the tender's release with the notice attached as a document. Planning notices
(UK1-UK3) and direct-award notices (UK5, UK6) have releases of their own
(``notice_record_standalone``).

Rules of the Act enforced here:

- UK4 above threshold after preliminary market engagement needs a UK2 for the project or a
  recorded reason (s.17, ``tender_notice_problems``);
- a UK3 published between 40 days and 1 year before the UK4 is "qualifying" and allows a
  10-day tendering period (``qualifying_planned_notice``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.models import (
    EngagementNoticeReason,
    Notice,
    NoticeType,
    Project,
    Tender,
)
from commissioning.ocds.notices import attach, standalone_release
from core.audit import audit_record
from core.calendar import LONDON, local_date
from core.templatetags.govuk import govuk_date

QUALIFYING_UK3_MIN_DAYS = 40
QUALIFYING_UK3_MAX_DAYS = 365
PLANNING_TYPES = (NoticeType.UK1, NoticeType.UK2, NoticeType.UK3)


@dataclass
class NoticeDraft:
    notice_type: str
    actor: Any
    title: str
    fields: dict = field(default_factory=dict)
    award: Any = None
    contract: Any = None
    change: Any = None
    extra: dict | None = None  # additions to the notice's OCDS section (amendments, milestones)
    planning: dict | None = None  # additions to the release's planning section


def _new_notice(draft: NoticeDraft, *, authority, ocid: str, now, **links) -> Notice:
    return Notice.objects.create(
        notice_type=draft.notice_type, authority=authority, title=draft.title[:300],
        fields=_jsonable(draft.fields), ocid=ocid, published_at=now,
        published_by=draft.actor, award=draft.award, contract=draft.contract,
        change=draft.change, **links)


def _jsonable(fields: dict) -> dict:
    return {str(key): str(value) for key, value in fields.items()}


def notice_record(*, draft: NoticeDraft, tender: Tender, tags: list[str]):
    """Store ``draft`` as a notice of ``tender`` and the tender's release that carries it."""
    from commissioning import ocds

    now = timezone.now()
    notice = _new_notice(draft, authority=tender.authority, ocid=ocds.ocid_for(tender), now=now,
                         tender=tender, project_id=tender.project_id)

    def amend(payload: dict) -> None:
        attach(payload, notice, draft.extra)
        if draft.planning:
            payload.setdefault("planning", {}).update(draft.planning)

    release = ocds.release_store(tender=tender, tags=tags, now=now, amend=amend)
    if release is not None:
        notice.ocid, notice.release_id, notice.release = (release.ocid, release.release_id,
                                                          release.payload)
        notice.save(update_fields=["ocid", "release_id", "release"])
    _audit(draft.actor, notice)
    return release


def notice_record_standalone(*, draft: NoticeDraft, authority, ocid: str,
                             release_fields: dict, **links) -> Notice:
    """Store a notice whose release is its own (no tender release behind it)."""
    now = timezone.now()
    notice = _new_notice(draft, authority=authority, ocid=ocid, now=now, **links)
    number = Notice.objects.filter(ocid=ocid).count()
    notice.release_id = f"{ocid}-{draft.notice_type.lower()}-{number}"
    notice.release = standalone_release(notice=notice, release_id=notice.release_id,
                                        authority=authority, now=now, **release_fields)
    notice.save(update_fields=["release_id", "release"])
    _audit(draft.actor, notice)
    return notice


def _audit(actor, notice: Notice) -> None:
    audit_record(actor=actor, action="notice.publish", obj=notice,
                 summary=f"{notice.get_notice_type_display()} published: {notice.title}",
                 changes={"notice_type": notice.notice_type, "ocid": notice.ocid},
                 organisation_id=notice.authority_id)


# -- planning notices (UK1, UK2, UK3) -------------------------------------------------------

def _require_runner(actor, authority) -> None:
    from commissioning.permissions.evaluation import RUNNERS
    from organisations.selectors import roles_of

    if not (getattr(actor, "is_authenticated", False)
            and roles_of(user=actor, organisation=authority) & RUNNERS):
        raise PermissionDenied("Only the authority's commissioners can publish its notices.")


@transaction.atomic
def planning_notice_publish(*, actor, notice_type: str, project: Project | None = None,
                            tender: Tender | None = None, description: str = "") -> Notice:
    """Publish a pipeline (UK1) or market engagement (UK2) notice of a project, or a planned
    procurement notice (UK3) of a draft tender."""
    if notice_type not in PLANNING_TYPES:
        raise ValidationError("Choose a pipeline, market engagement or planned procurement "
                              "notice.")
    if notice_type == NoticeType.UK3:
        if tender is None or tender.status != Tender.Status.DRAFT:
            raise ValidationError("A planned procurement notice is published before the "
                                  "tender notice, while the tender is a draft.")
        from commissioning.selectors.stages import stage_of

        if stage_of(tender) is not None:
            raise ValidationError("A stage of a procedure has no notices of its own: publish "
                                  "the planned procurement notice of the procedure's tender.")
        subject, authority = tender, tender.authority
        ocid = tender.ocid or f"{settings.OCDS_OCID_PREFIX}-{tender.pk}"
        Tender.objects.filter(pk=tender.pk, ocid="").update(ocid=ocid)
        tender.ocid = ocid
        links = {"tender": tender, "project_id": tender.project_id}
        value = tender.estimated_value_ex_vat
    else:
        if project is None:
            raise ValidationError("Choose the project the notice is about.")
        subject, authority = project, project.authority
        ocid = f"{settings.OCDS_OCID_PREFIX}-p{project.pk}"
        links = {"project": project}
        value = project.budget
    _require_runner(actor, authority)
    title = subject.title
    draft = NoticeDraft(notice_type=notice_type, actor=actor, title=title,
                        fields={"Description": description or getattr(subject, "need", "")
                                or getattr(subject, "summary", "")})
    return notice_record_standalone(
        draft=draft, authority=authority, ocid=ocid, release_fields={
            "title": title, "description": draft.fields["Description"], "value": value},
        **links)


def qualifying_planned_notice(tender: Tender, at: datetime.datetime) -> Notice | None:
    """The tender's UK3 published 40 days to 1 year before ``at``, if any."""
    day = local_date(at)
    for notice in Notice.objects.filter(tender=tender, notice_type=NoticeType.UK3):
        age = (day - local_date(notice.published_at)).days
        if QUALIFYING_UK3_MIN_DAYS <= age <= QUALIFYING_UK3_MAX_DAYS:
            return notice
    return None


def engagement_happened(tender: Tender) -> bool:
    project = tender.project
    return project is not None and (project.events.exists() or project.questions.exists())


def tender_notice_problems(tender: Tender, *, above_threshold: bool) -> list[str]:
    """What stops the tender notice (UK4) under the notice rules."""
    if not above_threshold or not engagement_happened(tender):
        return []
    has_uk2 = Notice.objects.filter(project_id=tender.project_id,
                                    notice_type=NoticeType.UK2).exists()
    has_reason = EngagementNoticeReason.objects.filter(tender=tender).exists()
    if has_uk2 or has_reason:
        return []
    return ["This project held preliminary market engagement: publish a preliminary market "
            "engagement notice (UK2) first, or record why there was none (Procurement Act "
            "2023, section 17)."]


@transaction.atomic
def engagement_notice_reason_record(*, actor, tender: Tender, reason: str
                                    ) -> EngagementNoticeReason:
    """Record why no UK2 was published for a tender that followed market engagement."""
    if not actor.has_perm("commissioning.manage_tender", tender):
        raise PermissionDenied("You cannot manage this tender.")
    if not reason.strip():
        raise ValidationError({"reason": "Explain why no market engagement notice was "
                                         "published."})
    row, _ = EngagementNoticeReason.objects.update_or_create(
        tender=tender, defaults={"reason": reason.strip(), "recorded_by": actor})
    audit_record(actor=actor, action="tender.engagement_notice_reason", obj=tender,
                 summary="Reason recorded for publishing no market engagement notice",
                 changes={"reason": row.reason}, organisation_id=tender.authority_id)
    return row


def tender_notice_draft(*, actor, tender: Tender) -> NoticeDraft:
    """The UK4 of ``tender`` as it is at publication."""
    reason = EngagementNoticeReason.objects.filter(tender=tender).first()
    fields = {"Procedure": tender.get_procedure_display(), "Summary": tender.summary,
              "Estimated value excluding VAT": f"£{tender.estimated_value_ex_vat:,.2f}",
              "Suitable for SMEs": "Yes" if tender.suitable_for_sme else "No",
              "Suitable for VCSEs": "Yes" if tender.suitable_for_vcse else "No",
              "Reserved for public service mutuals":
                  "Yes" if tender.is_reserved_for_mutuals else "No"}
    if tender.deadline:
        fields["Tender deadline"] = f"{govuk_date(tender.deadline)}, " \
            f"{tender.deadline.astimezone(LONDON):%H:%M} (UK time)"
    planning = {"noEngagementNoticeRationale": reason.reason} if reason else None
    return NoticeDraft(notice_type=NoticeType.UK4, actor=actor, title=tender.title,
                       fields=fields, planning=planning)
