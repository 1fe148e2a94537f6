"""Award criteria, their scoring scales and weights, and the authority's social value floor.

Criteria are set while the tender is a draft (they are published with it and cannot change
afterwards). ``criteria_problems`` lists what stops publication, in words a commissioner can act
on; the tender's publish step calls it. Social value is a qualitative criterion weighted at
least at the authority's floor (``social_value_floor``): it is never a share of the contract
value. The floor is 10% fixed for central government authorities (PPN 002); other authorities
may raise it, but never below the portal-wide minimum (settings.PORTAL_MIN_SOCIAL_VALUE_WEIGHT),
which cannot be zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import rules
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction

from commissioning import scoring
from commissioning.models import (
    AuthorityProcurementSettings,
    AwardCriterion,
    ScaleDescriptor,
    Tender,
    TenderQuestion,
)
from core.audit import audit_record
from organisations.models import Organisation

DEFAULT_MIN_SOCIAL_VALUE_WEIGHT = Decimal("10.00")
PPN_002_WEIGHT = Decimal("10.00")  # central government's fixed floor (PPN 002, February 2025)
HUNDRED = Decimal("100")
Kind = AwardCriterion.Kind

_DESCRIPTORS = (
    "Unacceptable: no response, or the response does not address the requirement.",
    "Poor: does not meet the requirement in important respects.",
    "Weak: partly meets the requirement; the evidence is limited or unclear.",
    "Satisfactory: meets most of the requirement; some of the evidence is limited.",
    "Good: meets the requirement with relevant evidence and only minor weaknesses.",
    "Excellent: fully meets the requirement with detailed, relevant evidence.",
)
SCALES = {
    "0_100": ("0 to 100, in steps of 20", 100, [(i * 20, d) for i, d in enumerate(_DESCRIPTORS)]),
    "0_5": ("0 to 5", 5, list(enumerate(_DESCRIPTORS))),
}


@dataclass(frozen=True)
class SocialValueFloor:
    """The smallest social value weight an authority's tenders may have, and why."""

    weight: Decimal
    reason: str
    fixed: bool  # True for central government: the authority cannot change it


def portal_min_social_value_weight() -> Decimal:
    """The portal-wide minimum (more than 0% and at most 100%); a bad setting fails loudly."""
    raw = getattr(django_settings, "PORTAL_MIN_SOCIAL_VALUE_WEIGHT",
                  DEFAULT_MIN_SOCIAL_VALUE_WEIGHT)
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        value = Decimal("-1")
    if not Decimal("0") < value <= HUNDRED:
        raise ImproperlyConfigured("PORTAL_MIN_SOCIAL_VALUE_WEIGHT must be a percentage above 0 "
                                   f"and at most 100, not {raw!r}.")
    return value


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def social_value_floor(authority: Organisation) -> SocialValueFloor:
    """The authority's social value floor: fixed for central government, otherwise its own
    setting, never below the portal minimum (a lower stored setting is overridden, and said)."""
    portal = portal_min_social_value_weight()
    if authority.procurement_authority_type == Organisation.AuthorityType.CENTRAL:
        weight = max(PPN_002_WEIGHT, portal)
        return SocialValueFloor(weight, f"{_pct(weight)}: central government authorities weight "
                                "social value at least 10% (PPN 002)", fixed=True)
    own = AuthorityProcurementSettings.objects.filter(authority=authority).values_list(
        "min_social_value_weight", flat=True).first()
    if own is None:
        return SocialValueFloor(portal, f"{_pct(portal)}: the portal's minimum", fixed=False)
    if own < portal:
        return SocialValueFloor(portal, f"{_pct(portal)}: the portal's minimum, because your "
                                f"setting of {_pct(own)} is below it", fixed=False)
    return SocialValueFloor(own, f"{_pct(own)}: your authority's setting", fixed=False)


def min_social_value_weight(authority: Organisation) -> Decimal:
    """The authority's floor for the social value weight (see ``social_value_floor``)."""
    return social_value_floor(authority).weight


@transaction.atomic
def procurement_settings_update(*, authority: Organisation, actor,
                                min_social_value_weight: Decimal) -> AuthorityProcurementSettings:
    """Set the authority's minimum social value weight (authority administrators only)."""
    if not rules.has_perm("commissioning.change_procurement_settings", actor, authority):
        raise PermissionDenied("Only the authority's administrators can change this.")
    _check_floor_setting(authority, min_social_value_weight)
    settings, _ = AuthorityProcurementSettings.objects.get_or_create(authority=authority)
    before = settings.min_social_value_weight
    settings.min_social_value_weight = min_social_value_weight
    settings.save()
    audit_record(actor=actor, action="procurement_settings.update", obj=settings,
                 summary=f"Minimum social value weight set to {min_social_value_weight}%",
                 changes={"min_social_value_weight": [before, min_social_value_weight]},
                 organisation_id=authority.pk)
    return settings


def _check_floor_setting(authority: Organisation, weight: Decimal) -> None:
    if authority.procurement_authority_type == Organisation.AuthorityType.CENTRAL:
        raise ValidationError({"min_social_value_weight": (
            "Central government authorities weight social value at least 10% (PPN 002): the "
            "floor is fixed. Set a higher weight on each tender's social value criterion.")})
    portal = portal_min_social_value_weight()
    if not portal <= weight <= HUNDRED:
        raise ValidationError({"min_social_value_weight": (
            f"Enter a weight from {_pct(portal)} (the portal's minimum) to 100%.")})


def _check_editable(tender: Tender, actor) -> None:
    if not rules.has_perm("commissioning.change_criteria", actor, tender):
        if tender.status != "draft":
            raise ValidationError("Award criteria cannot change once the tender is published.")
        raise PermissionDenied("Only the tender's commissioners can change its award criteria.")


def _clean_fields(*, tender: Tender, kind: str, weight: Decimal,
                  parent: AwardCriterion | None) -> dict[str, str]:
    errors = {}
    if kind == Kind.PASS_FAIL and weight != 0:
        errors["weight"] = "A pass or fail criterion has a weight of 0%."
    elif kind != Kind.PASS_FAIL and not Decimal("0") < weight <= HUNDRED:
        errors["weight"] = "Enter a weight above 0% and no more than 100%."
    if parent is not None:
        if parent.tender_id != tender.pk or parent.parent_id is not None:
            errors["parent"] = "Choose a main criterion of this tender."
        elif parent.kind not in (Kind.QUALITY, Kind.SOCIAL_VALUE) or parent.kind != kind:
            errors["parent"] = ("Sub-criteria belong under a quality or social value criterion "
                                "of the same kind.")
    return errors


@transaction.atomic
def criterion_create(*, tender: Tender, actor, kind: str, name: str, weight: Decimal,
                     description: str = "", parent: AwardCriterion | None = None,
                     scale: str = "0_100") -> AwardCriterion:
    """Add a criterion with a default scoring scale (none for price or pass or fail)."""
    _check_editable(tender, actor)
    errors = _clean_fields(tender=tender, kind=kind, weight=weight, parent=parent)
    if kind == Kind.PRICE and tender.criteria.filter(kind=Kind.PRICE).exists():
        errors["kind"] = "This tender already has a price criterion."
    if scale not in SCALES:
        errors["scale"] = "Choose a scoring scale."
    if errors:
        raise ValidationError(errors)
    max_score = 1 if kind == Kind.PASS_FAIL else SCALES[scale][1]
    criterion = AwardCriterion.objects.create(
        tender=tender, kind=kind, name=name.strip(), description=description.strip(),
        weight=weight, parent=parent, max_score=100 if kind == Kind.PRICE else max_score,
        order=tender.criteria.count() + 1)
    if kind in (Kind.QUALITY, Kind.SOCIAL_VALUE):
        ScaleDescriptor.objects.bulk_create(
            ScaleDescriptor(criterion=criterion, score=score, descriptor=text)
            for score, text in SCALES[scale][2])
    audit_record(actor=actor, action="criterion.create", obj=criterion,
                 summary=f"Award criterion added: {criterion.name} ({weight}%)",
                 changes={"kind": kind, "weight": weight, "parent": getattr(parent, "pk", None)},
                 organisation_id=tender.authority_id)
    return criterion


@transaction.atomic
def criterion_update(*, criterion: AwardCriterion, actor, name: str, weight: Decimal,
                     description: str = "") -> AwardCriterion:
    """Change a criterion's name, description or weight (its kind and scale stay)."""
    _check_editable(criterion.tender, actor)
    errors = _clean_fields(tender=criterion.tender, kind=criterion.kind, weight=weight,
                           parent=criterion.parent)
    if errors:
        raise ValidationError(errors)
    before = {"name": criterion.name, "weight": criterion.weight}
    criterion.name, criterion.description = name.strip(), description.strip()
    criterion.weight = weight
    criterion.save(update_fields=["name", "description", "weight"])
    audit_record(actor=actor, action="criterion.update", obj=criterion,
                 summary=f"Award criterion changed: {criterion.name}",
                 changes={"before": before, "after": {"name": criterion.name, "weight": weight}},
                 organisation_id=criterion.tender.authority_id)
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: AwardCriterion, actor) -> None:
    """Remove a criterion with its sub-criteria; questions linked to it become unlinked."""
    _check_editable(criterion.tender, actor)
    audit_record(actor=actor, action="criterion.delete", obj=criterion,
                 summary=f"Award criterion removed: {criterion.name}",
                 organisation_id=criterion.tender.authority_id)
    criterion.delete()


@transaction.atomic
def scale_update(*, criterion: AwardCriterion, actor, descriptors: dict[int, str]) -> None:
    """Reword the descriptors of the criterion's scale points (each needs words)."""
    _check_editable(criterion.tender, actor)
    empty = [score for score, text in descriptors.items() if not text.strip()]
    if empty:
        raise ValidationError({f"descriptor_{s}": f"Describe what a score of {s} means."
                               for s in empty})
    for point in criterion.scale.all():
        if point.score in descriptors:
            point.descriptor = descriptors[point.score].strip()
            point.save(update_fields=["descriptor"])
    audit_record(actor=actor, action="criterion.scale_update", obj=criterion,
                 summary=f"Scoring scale reworded: {criterion.name}",
                 organisation_id=criterion.tender.authority_id)


@transaction.atomic
def scoring_method_update(*, tender: Tender, actor, price_formula: str,
                          tie_break: str) -> Tender:
    """Choose the price formula and the tie-break rule published with the tender."""
    _check_editable(tender, actor)
    errors = {}
    if price_formula not in Tender.PriceFormula.values:
        errors["price_formula"] = "Choose how price is scored."
    if tie_break not in scoring.TIE_BREAK_RULES:
        errors["tie_break"] = "Choose how tied bids are ranked."
    if errors:
        raise ValidationError(errors)
    tender.price_formula = price_formula
    tender.tie_break_rule = scoring.TIE_BREAK_RULES[tie_break]
    tender.save(update_fields=["price_formula", "tie_break_rule", "updated_at"])
    audit_record(actor=actor, action="tender.scoring_method", obj=tender,
                 summary="Price formula and tie-break rule set",
                 changes={"price_formula": price_formula, "tie_break_rule": tie_break},
                 organisation_id=tender.authority_id)
    return tender


@transaction.atomic
def questions_link(*, tender: Tender, actor, links: dict[int, AwardCriterion | None]) -> None:
    """Say which criterion each question's answer is scored against."""
    _check_editable(tender, actor)
    scored = {c.pk for c in scored_criteria(tender)} - set(
        tender.criteria.filter(kind=Kind.PRICE).values_list("pk", flat=True))
    errors = {f"question_{qid}": "Choose a criterion that evaluators score."
              for qid, c in links.items() if c is not None and c.pk not in scored}
    if errors:
        raise ValidationError(errors)
    for question in TenderQuestion.objects.filter(tender=tender, pk__in=links):
        question.criterion = links[question.pk]
        question.save(update_fields=["criterion"])
    audit_record(actor=actor, action="tender.questions_link", obj=tender,
                 summary="Questions linked to award criteria",
                 changes={str(q): getattr(c, "pk", None) for q, c in links.items()},
                 organisation_id=tender.authority_id)


def scored_criteria(tender: Tender) -> list[AwardCriterion]:
    """The criteria a bid gets a score or a pass or fail against: leaves of the tree."""
    criteria = list(tender.criteria.all())
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents]


def criteria_problems(tender: Tender) -> list[str]:
    """What must be fixed in the award criteria before the tender can be published."""
    criteria = list(tender.criteria.prefetch_related("scale"))
    if not criteria:
        return ["Add the award criteria: price, quality and social value, with their weights."]
    main = [c for c in criteria if c.parent_id is None]
    problems = []
    total = sum((c.weight for c in main), Decimal("0"))
    if total != HUNDRED:
        problems.append(f"The weights of the main criteria add up to {total.normalize():f}%: "
                        "they must add up to 100%.")
    for parent in main:
        subs = [c for c in criteria if c.parent_id == parent.pk]
        sub_total = sum((c.weight for c in subs), Decimal("0"))
        if subs and sub_total != parent.weight:
            problems.append(f"The sub-criteria of {parent.name} add up to "
                            f"{sub_total.normalize():f}%: they must add up to its "
                            f"{parent.weight.normalize():f}%.")
    problems += _social_value_problems(tender, main)
    for criterion in criteria:
        if criterion.kind == Kind.PASS_FAIL and criterion.weight != 0:
            problems.append(f"{criterion.name} is pass or fail: give it a weight of 0%.")
        if criterion.kind in (Kind.QUALITY, Kind.SOCIAL_VALUE) and not criterion.scale.all():
            problems.append(f"{criterion.name} needs a scoring scale.")
    unlinked = tender.questions.filter(criterion__isnull=True).values_list("number", flat=True)
    problems += [f"Question {n} is not linked to an award criterion." for n in unlinked]
    return problems


def _social_value_problems(tender: Tender, main: list[AwardCriterion]) -> list[str]:
    floor = min_social_value_weight(tender.authority)
    social = [c for c in main if c.kind == Kind.SOCIAL_VALUE]
    if not social:
        return [f"Add a social value criterion weighted at least {floor.normalize():f}% of the "
                "total score."]
    weight = sum((c.weight for c in social), Decimal("0"))
    if weight < floor:
        return [f"The social value criterion is weighted {weight.normalize():f}%: "
                f"{tender.authority.name} requires at least {floor.normalize():f}% of the total "
                "score."]
    return []


criteria_validate = criteria_problems
