"""What tender pages show: public summary rows, status tags and the actions a user may take."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from commissioning import reservable
from commissioning.models import Tender
from commissioning.workflows import TENDER
from core.templatetags.govuk import gbp, govuk_date


def optional_url(name: str, *args) -> str | None:
    """The URL of `name`, or None when that screen is not (yet) mounted."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def is_open(tender: Tender) -> bool:
    return (tender.status == Tender.Status.PUBLISHED and tender.deadline is not None
            and tender.deadline > timezone.now())


def public_tag(tender: Tender) -> dict[str, str]:
    if tender.status == Tender.Status.PUBLISHED and not is_open(tender):
        return {"text": "Closed", "colour": "grey"}
    state = TENDER.state(tender.status)
    return {"text": state.public_label, "colour": state.colour}


def staff_tag(tender: Tender) -> dict[str, str]:
    state = TENDER.state(tender.status)
    return {"text": state.staff_label, "colour": state.colour}


def main_cpv(tender: Tender) -> str:
    codes = list(tender.cpv_codes.all())  # prefetched by the list selectors, main first
    return codes[0].code if codes else ""


@dataclass
class TenderPresenter:
    """The public view of one tender."""

    tender: Tender
    user: object

    @property
    def tag(self) -> dict[str, str]:
        return public_tag(self.tender)

    @property
    def is_open(self) -> bool:
        return is_open(self.tender)

    @property
    def rows(self) -> list[dict]:
        t = self.tender
        rows = [
            ("Buyer", t.authority.name),
            ("Reference", t.reference),
            ("Procedure", t.get_procedure_display()),
            ("Type of contract", t.get_contract_type_display()),
            ("Estimated value", f"{gbp(t.estimated_value_ex_vat, False)} excluding VAT "
                                f"({gbp(t.estimated_value_inc_vat, False)} including VAT)"),
            ("Threshold", self._threshold()),
            ("Published", govuk_date(t.published_at, True) if t.published_at else "Not yet"),
            ("Questions close", govuk_date(t.questions_deadline, True) or "Not set"),
            ("Deadline for bids", govuk_date(t.deadline, True) or "Not set"),
        ]
        if t.max_term_months:
            rows.append(("Maximum term", f"{t.max_term_months} months"))
        rows += self._suitability()
        return [{"key": key, "value": value} for key, value in rows]

    def _threshold(self) -> str:
        t = self.tender
        if t.above_threshold is None:
            return "Decided at publication"
        side = "Above" if t.above_threshold else "Below"
        return f"{side} the threshold of {gbp(t.threshold_applied, False)} including VAT"

    def _suitability(self) -> list[tuple[str, str]]:
        t = self.tender
        suited = [label for flag, label in (
            (t.suitable_for_sme, "small and medium-sized enterprises"),
            (t.suitable_for_vcse, "voluntary, community and social enterprises")) if flag]
        rows = [("Particularly suitable for", " and ".join(suited).capitalize() or "Not stated")]
        if t.is_light_touch:
            rows.append(("Special regime", "Light-touch contract"))
        if t.is_reserved_for_mutuals:
            rows.append(("Reserved", "For public service mutuals "
                                     f"({reservable.regime_for(t).citation})"))
        if t.max_lots_per_supplier:
            rows.append(("Lots one supplier can win", f"{t.max_lots_per_supplier}. "
                                                      f"{t.lot_limit_rule}"))
        return rows

    @cached_property
    def can_manage(self) -> bool:
        return self.user.has_perm("commissioning.view_tender_admin", self.tender)

    @cached_property
    def can_register_interest(self) -> bool:
        return self.user.has_perm("commissioning.register_interest", self.tender)

    @cached_property
    def can_ask(self) -> bool:
        return self.user.has_perm("commissioning.ask_clarification", self.tender)

    @property
    def bid_url(self) -> str | None:
        if not self.is_open or not self.can_register_interest:
            return None
        return optional_url("commissioning:bid_start", self.tender.pk)

    @property
    def sign_in_prompt(self) -> bool:
        return self.is_open and not self.user.is_authenticated


def tender_list_rows(tenders) -> list[dict]:
    """Rows for the public list, formatted here rather than by template filters in the loop;
    every value comes from the prefetched page (no queries)."""
    rows = []
    for tender in tenders:
        rows.append({
            "tender": tender, "tag": public_tag(tender),
            "cpv": main_cpv(tender), "summary": Truncator(tender.summary).words(40),
            "value": gbp(tender.estimated_value_inc_vat, False),
            "closes": govuk_date(tender.deadline, True),
            "url": reverse("commissioning:tender_detail", args=[tender.pk]),
        })
    return rows


def cpv_text(tender: Tender) -> str:
    codes = list(tender.cpv_codes.order_by("-is_main", "code"))
    if not codes:
        return "None yet"
    return ", ".join(f"{c.code}{' (main)' if c.is_main else ''}" for c in codes)


def document_link(tender: Tender, document) -> str:
    url = reverse("commissioning:tender_document", args=[tender.pk, document.pk])
    return format_html('<a class="govuk-link" href="{}" download>{}<span '
                       'class="govuk-visually-hidden"> ({})</span></a>', url, document.title,
                       document.document.original_name)
