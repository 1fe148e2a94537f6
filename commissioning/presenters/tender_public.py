"""The parts of a public tender page that Find a Tender shows beyond the notice: where and when
the contract runs, whom to contact, how bids are judged, and who won at what value."""

from __future__ import annotations

from commissioning.models import AwardCriterion, Tender
from core.templatetags.govuk import gbp, govuk_date


def contract_rows(tender: Tender) -> list[dict]:
    """Location, expected contract dates and the buyer's contact, as summary list rows."""
    place = ", ".join(p for p in (tender.delivery_location,
                                  tender.get_delivery_region_display()) if p)
    if tender.contract_starts_on and tender.contract_ends_on:
        dates = (f"{govuk_date(tender.contract_starts_on)} to "
                 f"{govuk_date(tender.contract_ends_on)}")
    elif tender.contract_starts_on:
        dates = f"From {govuk_date(tender.contract_starts_on)}"
    else:
        dates = "Not stated"
    rows = [("Where the contract is delivered", place or "Not stated"),
            ("Expected contract dates", dates),
            ("Buyer's address", _address(tender.authority))]
    if tender.contact_name or tender.contact_email:
        rows.append(("Contact", ", ".join(v for v in (tender.contact_name,
                                                       tender.contact_email) if v)))
    if tender.authority.website:
        rows.append(("Buyer's website", tender.authority.website))
    return [{"key": key, "value": value} for key, value in rows]


def _address(organisation) -> str:
    return ", ".join(p for p in (organisation.address_line_1, organisation.address_line_2,
                                 organisation.town, organisation.postcode) if p)


def _weight(criterion: AwardCriterion) -> str:
    if criterion.kind == AwardCriterion.Kind.PASS_FAIL:
        return "Pass or fail"
    return f"{criterion.weight.normalize():f}%"


def criteria_rows(criteria: list[AwardCriterion]) -> list[dict]:
    """One row per criterion, sub-criteria indented under their parent."""
    rows = []
    for criterion in criteria:
        rows.append({"name": criterion.name, "kind": criterion.get_kind_display(),
                     "weight": _weight(criterion), "sub": False})
        for child in criterion.sub_criteria.all():
            rows.append({"name": child.name, "kind": child.get_kind_display(),
                         "weight": _weight(child), "sub": True})
    return rows


def award_rows(awards) -> list[dict]:
    """Who won, at what value and when (the award notice), and the contract once published."""
    rows = []
    for award in awards:
        contract = award.public_contract
        value = contract.value if contract else award.value
        rows.append({
            "lot": f"Lot {award.lot.number}: {award.lot.title}" if award.lot_id else "",
            "supplier": award.supplier.name,
            "value": f"{gbp(value, False)} excluding VAT",
            "date": govuk_date(award.notice_published_at),
            "status": award.get_status_display(),
            "contract": (f"{govuk_date(contract.starts_on)} to {govuk_date(contract.ends_on)}"
                         if contract else ""),
        })
    return rows


def notice_rows(notices) -> list[dict]:
    """One row per published notice: its UK number, what kind of notice, when, and its page."""
    from django.urls import reverse

    rows = []
    for notice in notices:
        label = notice.get_notice_type_display()
        rows.append({"number": notice.notice_type, "kind": label.split(" ", 1)[-1],
                     "title": notice.title, "published_at": notice.published_at,
                     "href": reverse("commissioning:notice", args=[notice.pk])})
    return rows
