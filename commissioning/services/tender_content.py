"""Writes to what a tender contains: lots, CPV codes, documents, bid questions and slots, and
the conflicts assessment. Everything but documents and the conflicts assessment is fixed once
the tender is published; document changes after publication follow the late-change rule.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from commissioning import light_touch
from commissioning.listing import tender_list_changed
from commissioning.models import (
    ConflictsAssessment,
    DocumentSlot,
    Lot,
    Tender,
    TenderCpv,
    TenderDocument,
    TenderQuestion,
)
from commissioning.models.tenders import CPV_VALIDATOR
from commissioning.services.tenders import (
    _require_draft,
    _require_manager,
    tender_documents_changed,
)
from core.audit import audit_record
from core.documents import DocumentPolicy, document_store
from core.locks import lock_exclusive

TENDER_DOCUMENT_POLICY = DocumentPolicy(kinds=frozenset({"pdf", "docx", "xlsx", "odt"}))

LOT_FIELDS = ("title", "description", "estimated_value_ex_vat")
QUESTION_FIELDS = ("text", "guidance", "word_limit")
SLOT_FIELDS = ("name", "guidance", "required")


def _audit(actor, tender: Tender, action: str, summary: str, obj: Model | None = None,
           changes: dict | None = None) -> None:
    audit_record(actor=actor, action=action, obj=obj or tender, summary=summary,
                 organisation_id=tender.authority_id, changes=changes or {})


def _editable(actor, tender: Tender) -> None:
    _require_manager(actor, tender)
    _require_draft(tender)


def _next_number(queryset) -> int:
    return (queryset.aggregate(n=Max("number"))["n"] or 0) + 1


def _save_child(obj: Model, data: dict[str, Any], names: tuple[str, ...]) -> dict:
    changes = {n: [getattr(obj, n), data[n]] for n in names
               if n in data and getattr(obj, n) != data[n]}
    for name in changes:
        setattr(obj, name, data[name])
    obj.full_clean()
    obj.save()
    return changes


# -- lots ------------------------------------------------------------------------------------


@transaction.atomic
def lot_save(*, actor, tender: Tender, data: dict[str, Any], lot: Lot | None = None) -> Lot:
    """Add a lot (numbered after the last) or change one."""
    _editable(actor, tender)
    adding = lot is None
    lot = lot or Lot(tender=tender, number=_next_number(tender.lots))
    changes = _save_child(lot, data, LOT_FIELDS)
    _audit(actor, tender, "tender.lot_added" if adding else "tender.lot_changed",
           f"{'Added' if adding else 'Changed'} lot {lot.number} of {tender.reference}",
           changes=changes)
    return lot


@transaction.atomic
def lot_remove(*, actor, tender: Tender, lot: Lot) -> None:
    _editable(actor, tender)
    number = lot.number
    lot.delete()
    _audit(actor, tender, "tender.lot_removed", f"Removed lot {number} of {tender.reference}")


# -- CPV codes -------------------------------------------------------------------------------


def normalise_cpv_codes(text: str) -> list[str]:
    """Codes from free text (one a line or comma-separated), validated, duplicates removed."""
    codes: list[str] = []
    for raw in text.replace(",", "\n").splitlines():
        code = raw.strip()
        if not code:
            continue
        try:
            CPV_VALIDATOR(code)
        except ValidationError:
            raise ValidationError(
                f"“{code}” is not a CPV code: enter 8 digits, a hyphen and a check digit, "
                "like 85310000-5.") from None
        if code not in codes:
            codes.append(code)
    return codes


@transaction.atomic
def tender_cpv_set(*, actor, tender: Tender, codes: list[str], main: str) -> list[TenderCpv]:
    """Replace the tender's CPV codes; `main` must be one of them."""
    _editable(actor, tender)
    if not codes:
        raise ValidationError({"codes": "Enter at least one CPV code."})
    if main not in codes:
        raise ValidationError({"main": "The main CPV code must be one of the codes you entered."})
    tender.cpv_codes.all().delete()
    rows = TenderCpv.objects.bulk_create(
        [TenderCpv(tender=tender, code=code, is_main=code == main) for code in codes])
    was_light_touch = tender.is_light_touch
    assessment = light_touch.assess((code, code == main) for code in codes)
    tender.is_light_touch = assessment.is_light_touch
    tender.save(update_fields=["is_light_touch", "updated_at"])
    tender_list_changed()  # bulk_create sends no signal
    _audit(actor, tender, "tender.cpv_set", f"Set the CPV codes of {tender.reference}",
           changes={"codes": codes, "main": main,
                    "is_light_touch": [was_light_touch, tender.is_light_touch]})
    return rows


# -- documents -------------------------------------------------------------------------------


@transaction.atomic
def tender_document_add(*, actor, tender: Tender, uploaded_file, title: str,
                        new_deadline: datetime | None = None, reason: str = "") -> TenderDocument:
    """Upload a tender document. After publication it is published at once and suppliers are
    told; within 6 days of the deadline a later deadline is required."""
    _require_manager(actor, tender)
    tender = lock_exclusive(Tender.objects.select_related("authority"), tender.pk)
    published = tender.status != Tender.Status.DRAFT
    if published:
        tender_documents_changed(actor=actor, tender=tender, new_deadline=new_deadline,
                                 reason=reason, summary=f"A document was added: {title}")
    document = document_store(uploaded_file=uploaded_file, actor=actor,
                              policy=TENDER_DOCUMENT_POLICY)
    row = TenderDocument.objects.create(tender=tender, document=document, title=title.strip(),
                                        published_at=timezone.now() if published else None)
    _audit(actor, tender, "tender.document_added", f"Added document “{row.title}” to "
           f"{tender.reference}", changes={"sha256": document.sha256, "published": published})
    return row


@transaction.atomic
def tender_document_withdraw(*, actor, tender: Tender, document: TenderDocument,
                             new_deadline: datetime | None = None, reason: str = "") -> None:
    """Remove a draft's document, or withdraw a published one (kept for the record)."""
    _require_manager(actor, tender)
    tender = lock_exclusive(Tender.objects.select_related("authority"), tender.pk)
    if tender.status == Tender.Status.DRAFT:
        document.delete()
        _audit(actor, tender, "tender.document_removed",
               f"Removed document “{document.title}” from {tender.reference}")
        return
    tender_documents_changed(actor=actor, tender=tender, new_deadline=new_deadline,
                             reason=reason, summary=f"A document was withdrawn: {document.title}")
    document.withdrawn_at = timezone.now()
    document.save(update_fields=["withdrawn_at", "updated_at"])
    _audit(actor, tender, "tender.document_withdrawn",
           f"Withdrew document “{document.title}” from {tender.reference}", obj=document)


# -- bid questions and document slots --------------------------------------------------------


@transaction.atomic
def tender_question_save(*, actor, tender: Tender, data: dict[str, Any],
                         question: TenderQuestion | None = None) -> TenderQuestion:
    """Add a question every bid answers (numbered after the last), or change one."""
    _editable(actor, tender)
    adding = question is None
    question = question or TenderQuestion(tender=tender, number=_next_number(tender.questions))
    changes = _save_child(question, data, QUESTION_FIELDS)
    _audit(actor, tender, "tender.question_saved",
           f"{'Added' if adding else 'Changed'} question {question.number} of "
           f"{tender.reference}", changes=changes)
    return question


@transaction.atomic
def tender_question_remove(*, actor, tender: Tender, question: TenderQuestion) -> None:
    _editable(actor, tender)
    number = question.number
    question.delete()
    _audit(actor, tender, "tender.question_removed",
           f"Removed question {number} of {tender.reference}")


@transaction.atomic
def document_slot_save(*, actor, tender: Tender, data: dict[str, Any],
                       slot: DocumentSlot | None = None) -> DocumentSlot:
    """Add or change a file every bid must (or may) include."""
    _editable(actor, tender)
    adding = slot is None
    slot = slot or DocumentSlot(tender=tender)
    changes = _save_child(slot, data, SLOT_FIELDS)
    _audit(actor, tender, "tender.slot_saved",
           f"{'Added' if adding else 'Changed'} the document “{slot.name}” bids must include",
           changes=changes)
    return slot


@transaction.atomic
def document_slot_remove(*, actor, tender: Tender, slot: DocumentSlot) -> None:
    _editable(actor, tender)
    name = slot.name
    slot.delete()
    _audit(actor, tender, "tender.slot_removed", f"Removed the document “{name}” from bids")


# -- conflicts assessment --------------------------------------------------------------------


@transaction.atomic
def conflicts_assessment_record(*, actor, tender: Tender, summary: str,
                                mitigations: str = "") -> ConflictsAssessment:
    """Prepare or revise the conflicts assessment (s.83); each revision is a new version."""
    _require_manager(actor, tender)
    if tender.status == Tender.Status.CANCELLED:
        raise ValidationError("This procurement has been terminated.")
    if not summary.strip():
        raise ValidationError({"summary": "Describe the conflicts identified, or say that none "
                                          "were found and how you checked."})
    latest = tender.conflicts_assessments.order_by("-version").first()
    assessment = ConflictsAssessment.objects.create(
        tender=tender, summary=summary.strip(), mitigations=mitigations.strip(),
        prepared_by=actor, version=(latest.version + 1) if latest else 1)
    _audit(actor, tender, "tender.conflicts_assessed",
           f"Conflicts assessment version {assessment.version} for {tender.reference}",
           obj=assessment, changes={"version": assessment.version})
    return assessment
