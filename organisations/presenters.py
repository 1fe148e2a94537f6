"""What organisation pages show: rows, status tag and the actions a user may take."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html

from organisations.models import Organisation
from organisations.workflows import VERIFICATION


@dataclass
class OrganisationPresenter:
    organisation: Organisation
    user: object

    @property
    def status_tag(self) -> dict[str, str]:
        state = VERIFICATION.state(self.organisation.verification_status)
        return {"text": state.staff_label, "colour": state.colour}

    @property
    def rows(self) -> list[dict[str, str]]:
        o = self.organisation
        parts = (o.address_line_1, o.address_line_2, o.town, o.postcode)
        address = ", ".join(p for p in parts if p)
        rows = [
            ("Name", o.name),
            ("Type", o.get_kind_display()),
            ("Legal form", o.get_legal_form_display()),
            ("Organisation identifier", o.org_id or "None yet"),
        ]
        rows += [(label, value) for label, value in self._numbers() if value]
        rows += [("Address", address), ("Website", o.website or "Not given"),
                 ("Governing document", self._document_link())]
        if o.is_authority:
            rows.insert(2, ("Authority type", self._authority_type()))
        else:
            rows += [
                ("Size", o.get_size_display()),
                ("VCSE", "Yes" if o.is_vcse else "No"),
                ("SME", "Yes" if o.is_sme else "No"),
            ]
        return [{"key": key, "value": value} for key, value in rows]

    def _numbers(self):
        o = self.organisation
        return (
            ("Charity Commission number", o.charity_number),
            ("Companies House number", o.company_number),
            ("OSCR number", o.oscr_number),
            ("FCA register number", o.fca_number),
            ("Local authority code", o.authority_code),
        )

    def _authority_type(self) -> str:
        o = self.organisation
        label = (o.get_authority_type_display() if o.authority_type
                 else "Not recorded: treated as a sub-central authority")
        if not self.can_set_authority_type:
            return label
        return format_html('{} <a class="govuk-link" href="{}">Change<span '
                           'class="govuk-visually-hidden"> authority type</span></a>', label,
                           reverse("organisations:authority_type", args=[o.pk]))

    @property
    def can_set_authority_type(self) -> bool:
        return self.organisation.is_authority and self.user.has_perm(
            "organisations.set_authority_type", self.organisation)

    def _document_link(self) -> str:
        if self.document_url is None:
            return "Not given"
        return format_html('<a class="govuk-link" href="{}">{}</a>', self.document_url,
                           self.organisation.governing_document.original_name)

    @property
    def can_edit(self) -> bool:
        return self.user.has_perm("organisations.change_organisation", self.organisation)

    @property
    def can_resubmit(self) -> bool:
        return self.can_edit and self.organisation.verification_status == "rejected"

    @property
    def can_verify(self) -> bool:
        return self.user.has_perm("organisations.verify_organisation", self.organisation)

    @property
    def document_url(self) -> str | None:
        if self.organisation.governing_document_id is None:
            return None
        return reverse("organisations:governing_document", args=[self.organisation.pk])
