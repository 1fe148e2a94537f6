"""Tender lifecycle writes: create, edit, publish, extend, cancel, register interest.

Publication runs every rule in one place (`publication_review`), so the review page and the
service agree. `criteria_problems` is reused by the award criteria screens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning import thresholds
from commissioning.models import (
    DeadlineChange,
    ProcedureStage,
    Project,
    SupplierInterest,
    Tender,
)
from commissioning.sealing import is_opened
from commissioning.selectors.pipeline import responding_organisation_ids
from commissioning.selectors.stages import round_participant_ids, stage_of
from commissioning.selectors.tenders import supplier_recipients, tender_supplier_recipients
from commissioning.services import notices
from commissioning.services.publication import release_publish
from commissioning.services.reservation import services_problems, terms_problems
from commissioning.timeline import TimelineCheck, Timetable, timeline_check
from commissioning.workflows import TENDER
from core.audit import audit_record
from core.calendar import LONDON
from core.locks import lock_exclusive
from core.notifications import notify
from core.templatetags.govuk import govuk_date
from core.workflows import transition
from organisations.models import Organisation

TENDER_FIELDS = (
    "title", "reference", "summary", "description", "procedure", "contract_type",
    "is_reserved_for_mutuals", "estimated_value_ex_vat",
    "estimated_value_inc_vat", "max_term_months", "max_lots_per_supplier", "lot_limit_rule",
    "suitable_for_sme", "suitable_for_vcse", "delivery_region", "delivery_location",
    "contract_starts_on", "contract_ends_on", "contact_name", "contact_email",
)
TIMELINE_FIELDS = ("questions_deadline", "deadline", "short_period_reason")
LATE_CHANGE_WINDOW = timedelta(days=6)
HUNDRED = Decimal("100")


# -- rules -----------------------------------------------------------------------------------


def tender_rule_problems(tender: Tender) -> dict[str, list[str]]:
    """Errors in the tender's own fields, by field name (empty when it is consistent)."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    ex, inc = tender.estimated_value_ex_vat, tender.estimated_value_inc_vat
    if ex is not None and inc is not None and inc < ex:
        add("estimated_value_inc_vat",
            "The value including VAT must be the same as or more than the value excluding VAT.")
    if tender.is_reserved_for_mutuals:
        for message in _mutual_reservation_problems(tender):
            add("is_reserved_for_mutuals", message)
    starts, ends = tender.contract_starts_on, tender.contract_ends_on
    if starts and ends and ends < starts:
        add("contract_ends_on", "The contract end date must be the same as or after its start "
                                "date.")
    if tender.max_lots_per_supplier is not None and not tender.lot_limit_rule.strip():
        add("lot_limit_rule", "Enter the objective rule used when a supplier would win more "
                              "lots than the maximum.")
    if tender.max_lots_per_supplier == 0:
        add("max_lots_per_supplier", "The maximum number of lots per supplier must be 1 or more.")
    duplicate = Tender.objects.filter(authority_id=tender.authority_id,
                                      reference__iexact=tender.reference).exclude(pk=tender.pk)
    if tender.reference and duplicate.exists():
        add("reference", "Your organisation already has a tender with this reference.")
    return problems


def _mutual_reservation_problems(tender: Tender) -> list[str]:
    problems = terms_problems(tender)
    # Light touch follows from the CPV codes, which come after the tender is created: judged
    # once there are codes (publication requires them).
    has_codes = tender.pk is not None and tender.cpv_codes.exists()
    if has_codes and not tender.is_light_touch:
        problems.append("Only a light-touch contract can be reserved for public service mutuals, "
                        "and its main CPV code is not a light-touch service: change the CPV "
                        "codes or remove the reservation.")
    return problems


def criteria_problems(tender: Tender) -> list[str]:
    """Problems with the award criteria (weights, social value minimum, scales, questions)."""
    from commissioning.services.criteria import criteria_problems as problems_of

    return problems_of(tender)


@dataclass
class PublicationReview:
    problems: list[str] = field(default_factory=list)
    field_problems: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    above_threshold: bool | None = None
    threshold: Decimal | None = None
    authority_type: str = ""
    notifiable: bool | None = None
    notifiable_value: Decimal | None = None
    timeline: TimelineCheck | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def publication_review(tender: Tender, *, at: datetime | None = None) -> PublicationReview:
    """Everything that would stop `tender` being published at `at` (now), and the warnings."""
    at = at or timezone.now()
    review = PublicationReview()
    review.above_threshold, review.threshold = _threshold(tender, at)
    _below_threshold_notice(review, tender)
    if tender.status != Tender.Status.DRAFT:
        review.problems.append("Only a draft tender can be published.")
    for messages in tender_rule_problems(tender).values():
        review.problems.extend(messages)
    if tender.procedure == Tender.Procedure.BELOW_THRESHOLD and review.above_threshold:
        review.problems.append(
            f"The value including VAT is at or above the threshold of £{review.threshold:,.0f}: "
            "choose the open or competitive flexible procedure.")
    review.problems.extend(_content_problems(tender))
    review.problems.extend(notices.tender_notice_problems(
        tender, above_threshold=review.above_threshold))
    if tender.is_reserved_for_mutuals:
        review.problems.extend(_reservable_services_problems(tender))
    review.problems.extend(criteria_problems(tender))
    social_value_problems, social_value_warnings = _social_value_review(tender)
    review.problems.extend(social_value_problems)
    review.timeline = timeline_check(_timetable(tender, review.above_threshold, at))
    for messages in review.timeline.errors.values():
        review.problems.extend(messages)
    review.warnings = [*review.timeline.warnings, *social_value_warnings]
    return review


def _reservable_services_problems(tender: Tender) -> list[str]:
    return services_problems(tender) if tender.cpv_codes.exists() else []


def _social_value_review(tender: Tender) -> tuple[list[str], list[str]]:
    from commissioning.services.tender_social_value import social_value_review

    return social_value_review(tender)


def _threshold(tender: Tender, at: datetime) -> tuple[bool, Decimal]:
    return thresholds.is_above_threshold(
        value_inc_vat=tender.estimated_value_inc_vat, contract_type=tender.contract_type,
        is_light_touch=tender.is_light_touch, on=at.astimezone(LONDON).date(),
        authority_type=tender.authority.procurement_authority_type)


def _below_threshold_notice(review: PublicationReview, tender: Tender) -> None:
    """Below threshold: is the contract notifiable for this type of authority (s.86-88)?"""
    authority_type = tender.authority.procurement_authority_type
    review.authority_type = authority_type
    if review.above_threshold:
        return
    review.notifiable_value = thresholds.notifiable_value(authority_type=authority_type)
    review.notifiable = thresholds.is_notifiable(value_inc_vat=tender.estimated_value_inc_vat,
                                                 authority_type=authority_type)


def _timetable(tender: Tender, above: bool, at: datetime) -> Timetable:
    reason = tender.short_period_reason
    if not reason.strip() and notices.qualifying_planned_notice(tender, at) is not None:
        reason = "A qualifying planned procurement notice (UK3) was published."
    return Timetable(above_threshold=above, is_light_touch=tender.is_light_touch,
                     short_period_reason=reason, starts_at=at,
                     questions_deadline=tender.questions_deadline, deadline=tender.deadline)


def _content_problems(tender: Tender) -> list[str]:
    problems = []
    if not tender.conflicts_assessments.exists():
        problems.append("Prepare the conflicts assessment before publishing "
                        "(Procurement Act 2023, section 83).")
    if not (tender.questions.exists() or tender.document_slots.exists()):
        problems.append("Add at least one question or document for bidders to answer.")
    cpv = list(tender.cpv_codes.values_list("is_main", flat=True))
    if not cpv or sum(cpv) != 1:
        problems.append("Add the CPV codes of the contract, with one main code.")
    return problems


# -- writes ----------------------------------------------------------------------------------


def _apply(tender: Tender, data: dict[str, Any], names: tuple[str, ...]) -> dict[str, list]:
    changes = {}
    for name in names:
        if name in data and getattr(tender, name) != data[name]:
            changes[name] = [getattr(tender, name), data[name]]
            setattr(tender, name, data[name])
    return changes


def _validate(tender: Tender) -> None:
    problems = tender_rule_problems(tender)
    if problems:
        raise ValidationError(problems)


def _require_manager(actor, tender: Tender) -> None:
    if not actor.has_perm("commissioning.manage_tender", tender):
        raise PermissionDenied("You cannot manage this tender.")


def _require_draft(tender: Tender) -> None:
    if tender.status != Tender.Status.DRAFT:
        raise ValidationError("A published tender can no longer be changed this way.")


@transaction.atomic
def tender_create(*, actor, authority: Organisation, data: dict[str, Any],
                  project: Project | None = None) -> Tender:
    """A commissioner starts a draft tender, optionally from a pipeline project."""
    if not actor.has_perm("commissioning.create_tender", authority):
        raise PermissionDenied("You cannot create tenders for this organisation.")
    if project is not None and project.authority_id != authority.pk:
        raise ValidationError("The project belongs to another organisation.")
    tender = Tender(authority=authority, project=project, created_by=actor)
    _apply(tender, data, TENDER_FIELDS)
    _validate(tender)
    tender.save()
    if project is not None and project.status != Project.Status.PROCUREMENT:
        project.status = Project.Status.PROCUREMENT
        project.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="tender.created", obj=tender, organisation_id=authority.pk,
                 summary=f"Created draft tender {tender.reference}: {tender.title}",
                 changes={"project": project.pk if project else None})
    return tender


@transaction.atomic
def tender_update(*, actor, tender: Tender, data: dict[str, Any]) -> Tender:
    """Change a draft tender's description, procedure, value and lot rules."""
    _require_manager(actor, tender)
    _require_draft(tender)
    changes = _apply(tender, data, TENDER_FIELDS)
    _validate(tender)
    tender.save()
    audit_record(actor=actor, action="tender.updated", obj=tender,
                 organisation_id=tender.authority_id, summary=f"Edited tender {tender.reference}",
                 changes=changes)
    return tender


@transaction.atomic
def tender_set_timeline(*, actor, tender: Tender, questions_deadline: datetime,
                        deadline: datetime, short_period_reason: str = "") -> TimelineCheck:
    """Set a draft's deadlines; errors block, warnings are returned to show the commissioner."""
    _require_manager(actor, tender)
    _require_draft(tender)
    changes = _apply(tender, {"questions_deadline": questions_deadline, "deadline": deadline,
                              "short_period_reason": short_period_reason.strip()},
                     TIMELINE_FIELDS)
    above, _ = _threshold(tender, timezone.now())
    check = timeline_check(_timetable(tender, above, timezone.now()))
    if check.errors:
        raise ValidationError(check.errors)
    tender.save()
    audit_record(actor=actor, action="tender.timeline_set", obj=tender,
                 organisation_id=tender.authority_id,
                 summary=f"Set the timeline of tender {tender.reference}", changes=changes)
    return check


@transaction.atomic
def tender_publish(*, actor, tender: Tender) -> Tender:
    """Publish a draft tender (the tender notice): every rule is checked again at this moment."""
    _require_manager(actor, tender)
    tender = (Tender.objects.select_for_update(of=("self",))
              .select_related("authority", "project").get(pk=tender.pk))
    if ProcedureStage.objects.filter(round_id=tender.pk).exists():
        raise ValidationError("This is a stage of a procedure: open it from the procedure's "
                              "stages page. Only the procedure's tender notice is published.")
    now = timezone.now()
    review = publication_review(tender, at=now)
    if not review.ok:
        raise ValidationError(review.problems)
    tender.above_threshold, tender.threshold_applied = review.above_threshold, review.threshold
    tender.published_at = now
    tender.ocid = tender.ocid or f"{settings.OCDS_OCID_PREFIX}-{tender.pk}"
    tender.save(update_fields=["above_threshold", "threshold_applied", "published_at", "ocid",
                               "updated_at"])
    tender.documents.filter(published_at__isnull=True, withdrawn_at__isnull=True).update(
        published_at=now)
    transition(obj=tender, workflow=TENDER, name="publish", actor=actor,
               organisation_id=tender.authority_id)
    audit_record(actor=actor, action="tender.published", obj=tender,
                 organisation_id=tender.authority_id,
                 summary=f"Published tender {tender.reference}: {tender.title}",
                 changes={"above_threshold": tender.above_threshold, "ocid": tender.ocid,
                          "threshold_applied": tender.threshold_applied,
                          "deadline": tender.deadline, "warnings": review.warnings})
    release_publish(tender=tender, tags=["tender"],
                    notice=notices.tender_notice_draft(actor=actor, tender=tender))
    _notify_market_respondents(tender)
    return tender


def _notify_market_respondents(tender: Tender) -> None:
    if tender.project_id is None:
        return
    recipients = supplier_recipients(
        organisation_ids=responding_organisation_ids(project=tender.project))
    notify(recipients=recipients, subject=f"New tender: {tender.title}",
           body=f"{tender.authority.name} has published a tender from a project you helped "
                f"shape: {tender.title}. Bids are due by {_london(tender.deadline)}.",
           url=reverse("commissioning:tender_detail", args=[tender.pk]))


def _london(moment: datetime) -> str:
    return govuk_date(moment, with_time=True)


@transaction.atomic
def tender_extend_deadline(*, actor, tender: Tender, new_deadline: datetime, reason: str,
                           kind: str = DeadlineChange.Kind.OTHER) -> DeadlineChange:
    """Move the deadline of an open tender later, for every bidder alike, and tell them.

    A round of a staged procedure (ADR 0022) is extended the same way, until its two-person
    opening and never past the final tenders' deadline; only the suppliers taking part in it
    are told, and nothing is published (a round is not public).
    """
    _require_manager(actor, tender)
    # Exclusive: every bid request is judged wholly before or wholly after the new deadline.
    tender = lock_exclusive(Tender.objects.select_related("authority"), tender.pk)
    stage = stage_of(tender)
    if stage is not None and is_opened(tender.pk):
        raise ValidationError("The submissions of this stage have been opened: its deadline "
                              "can no longer be extended.")
    _check_open(tender)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the new deadline."})
    if new_deadline <= tender.deadline:
        raise ValidationError({"new_deadline": "The new deadline must be later than the "
                                               f"current one ({_london(tender.deadline)})."})
    if stage is not None:
        _check_within_procedure(stage, new_deadline)
    change = _move_deadline(tender, actor, new_deadline, reason, kind)
    if stage is None:
        release_publish(tender=tender, tags=["tenderUpdate"])
        recipients = tender_supplier_recipients(tender=tender)
        url, what = reverse("commissioning:tender_detail", args=[tender.pk]), "bids"
    else:
        recipients = supplier_recipients(organisation_ids=round_participant_ids(stage))
        url, what = reverse("commissioning:supplier_round", args=[stage.pk]), "submissions"
    notify(recipients=recipients, subject=f"Deadline extended: {tender.title}",
           body=f"The deadline for {what} is now {_london(new_deadline)}. "
                f"Reason: {reason.strip()}", url=url)
    return change


def _check_within_procedure(stage, new_deadline: datetime) -> None:
    final = (Tender.objects.values_list("deadline", flat=True)
             .get(pk=stage.procedure.tender_id))
    if final is not None and new_deadline >= final:
        raise ValidationError({"new_deadline": "A stage must close before the final tenders "
                               f"are due ({_london(final)})."})


def _check_open(tender: Tender) -> None:
    if tender.status != Tender.Status.PUBLISHED or tender.deadline <= timezone.now():
        raise ValidationError("This tender is no longer open for bids.")


def _move_deadline(tender: Tender, actor, new_deadline: datetime, reason: str,
                   kind: str) -> DeadlineChange:
    change = DeadlineChange.objects.create(
        tender=tender, kind=kind, previous_deadline=tender.deadline, new_deadline=new_deadline,
        reason=reason.strip(), changed_by=actor)
    tender.deadline = new_deadline
    tender.save(update_fields=["deadline", "updated_at"])
    audit_record(actor=actor, action="tender.deadline_changed", obj=tender,
                 organisation_id=tender.authority_id,
                 summary=f"Deadline of {tender.reference} moved to {_london(new_deadline)}",
                 changes={"deadline": [change.previous_deadline, new_deadline], "kind": kind,
                          "reason": reason.strip()})
    return change


def tender_documents_changed(*, actor, tender: Tender, summary: str,
                             new_deadline: datetime | None = None, reason: str = "") -> None:
    """Rules for a change to a published tender's documents (call inside the change's
    transaction): within 6 days of the deadline the deadline must move to at least 6 days away.
    """
    if tender.status == Tender.Status.DRAFT:
        return
    _check_open(tender)
    now = timezone.now()
    late = tender.deadline - now < LATE_CHANGE_WINDOW
    if late and (new_deadline is None or new_deadline - now < LATE_CHANGE_WINDOW):
        raise ValidationError({"new_deadline": (
            "The deadline is less than 6 days away: changing the tender documents needs a new "
            "deadline at least 6 days from now, so every supplier has time to respond.")})
    if new_deadline is not None and new_deadline <= tender.deadline:
        raise ValidationError({"new_deadline": "The new deadline must be later than the "
                                               "current one."})
    body = f"{summary}."
    if new_deadline is not None:
        _move_deadline(tender, actor, new_deadline, reason or summary,
                       DeadlineChange.Kind.DOCUMENT_CHANGE)
        body += f" The deadline for bids is now {_london(new_deadline)}."
    release_publish(tender=tender, tags=["tenderUpdate"])
    notify(recipients=tender_supplier_recipients(tender=tender),
           subject=f"Tender documents changed: {tender.title}", body=body,
           url=reverse("commissioning:tender_detail", args=[tender.pk]))


@transaction.atomic
def tender_cancel(*, actor, tender: Tender, reason: str) -> Tender:
    """Terminate the procurement (procurement termination notice) and tell every supplier."""
    _require_manager(actor, tender)
    was_published = tender.published_at is not None
    transition(obj=tender, workflow=TENDER, name="cancel", actor=actor, reason=reason,
               organisation_id=tender.authority_id)
    tender.cancellation_reason = reason.strip()
    tender.save(update_fields=["cancellation_reason", "updated_at"])
    if was_published:
        release_publish(tender=tender, tags=["tenderCancellation"], notice=notices.NoticeDraft(
            notice_type="UK12", actor=actor, title=tender.title,
            fields={"Reason": reason.strip()}))
        notify(recipients=tender_supplier_recipients(tender=tender),
               subject=f"Procurement terminated: {tender.title}",
               body=f"{tender.authority.name} has terminated this procurement and will not "
                    f"award a contract from it. Reason: {reason.strip()}",
               url=reverse("commissioning:tender_detail", args=[tender.pk]))
    return tender


@transaction.atomic
def supplier_interest_register(*, actor, tender: Tender,
                               organisation: Organisation) -> SupplierInterest:
    """An organisation follows an open tender: it hears of answers and changes."""
    if not actor.has_perm("commissioning.register_interest", tender):
        raise PermissionDenied("This tender is not open to register interest.")
    if not (organisation.is_verified and organisation.kind == Organisation.Kind.PROVIDER
            and organisation.memberships.filter(user=actor).exists()):
        raise PermissionDenied("Register interest on behalf of a verified organisation.")
    interest, created = SupplierInterest.objects.get_or_create(tender=tender,
                                                               organisation=organisation)
    if created:
        audit_record(actor=actor, action="tender.interest_registered", obj=tender,
                     organisation_id=organisation.pk,
                     summary=f"{organisation.name} registered interest in {tender.reference}")
    return interest
