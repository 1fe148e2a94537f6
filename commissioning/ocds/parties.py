"""OCDS parties: organisations with their identifiers, roles and UK details.

A party's ``id`` is its org-id.guide identifier (``GB-CHC-1234567``) when it has one; otherwise
a local id built from our own OCID prefix (``ocds-zz9zz9-party-42``), which no one else issues.
Details follow the UK extension: ``scale`` (``sme`` or ``large``),
``vcse`` and ``publicServiceMissionOrganization`` for public service mutuals.
"""

from __future__ import annotations

import re

from django.conf import settings

from organisations.models import Organisation

_ORG_ID = re.compile(r"^(?P<scheme>[A-Z]{2}-[A-Z]+)-(?P<id>.+)$")


def party_id(organisation: Organisation) -> str:
    return organisation.org_id or f"{settings.OCDS_OCID_PREFIX}-party-{organisation.pk}"


def reference(organisation: Organisation) -> dict:
    """An OrganizationReference: how other sections point at a party."""
    return {"id": party_id(organisation), "name": organisation.name}


def _identifier(scheme: str, number: str, organisation: Organisation) -> dict:
    return {"scheme": scheme, "id": number, "legalName": organisation.name}


def _identifiers(organisation: Organisation) -> tuple[dict | None, list[dict]]:
    primary = None
    match = _ORG_ID.match(organisation.org_id or "")
    if match:
        primary = _identifier(match["scheme"], match["id"], organisation)
    registered = (
        ("GB-CHC", organisation.charity_number),
        ("GB-SC", organisation.oscr_number),
        ("GB-COH", organisation.company_number),
        ("GB-MPR", organisation.fca_number),
        ("GB-LAE", organisation.authority_code),
    )
    additional = [
        _identifier(scheme, number.upper(), organisation)
        for scheme, number in registered
        if number and not (primary and primary["scheme"] == scheme)
    ]
    return primary, additional


# The authority's type as Find a Tender classifies a buyer under the Procurement Act 2023
# (scheme UK_CA_TYPE). An NHS body is treated as central government. The codes for a devolved
# Welsh authority and for a utility (public authority, public undertaking or private utility)
# depend on facts the portal does not hold, so those types are not classified.
AUTHORITY_CLASSIFICATION = {
    Organisation.AuthorityType.CENTRAL: "publicAuthorityCentralGovernment",
    Organisation.AuthorityType.NHS: "publicAuthorityCentralGovernment",
    Organisation.AuthorityType.SUB_CENTRAL: "publicAuthoritySubCentralGovernment",
}


def _details(organisation: Organisation) -> dict | None:
    if organisation.kind == Organisation.Kind.AUTHORITY:
        code = AUTHORITY_CLASSIFICATION.get(organisation.authority_type)
        if code is None:
            return None
        return {"classifications": [{"scheme": "UK_CA_TYPE", "id": code,
                                     "description": organisation.get_authority_type_display()}]}
    return {
        "scale": "sme" if organisation.is_sme else "large",
        "vcse": organisation.is_vcse,
        "publicServiceMissionOrganization": (
            organisation.legal_form == Organisation.LegalForm.MUTUAL
        ),
    }


def party(organisation: Organisation, roles: list[str], contact: dict | None = None) -> dict:
    """The full party entry for ``organisation`` holding ``roles`` in this process."""
    primary, additional = _identifiers(organisation)
    entry: dict = {"id": party_id(organisation), "name": organisation.name}
    if primary:
        entry["identifier"] = primary
    if additional:
        entry["additionalIdentifiers"] = additional
    entry["address"] = {
        "streetAddress": ", ".join(
            line for line in (organisation.address_line_1, organisation.address_line_2) if line
        ),
        "locality": organisation.town,
        "postalCode": organisation.postcode,
        "countryName": "United Kingdom",
    }
    point = {**(contact or {}), **({"url": organisation.website} if organisation.website else {})}
    if point:
        entry["contactPoint"] = point
    entry["roles"] = roles
    details = _details(organisation)
    if details:
        entry["details"] = details
    return entry


class PartyList:
    """Collects the organisations a release mentions, each once, with all their roles."""

    def __init__(self) -> None:
        self._organisations: dict[int, Organisation] = {}
        self._roles: dict[int, list[str]] = {}
        self._contacts: dict[int, dict] = {}

    def add(self, organisation: Organisation, *roles: str) -> dict:
        self._organisations.setdefault(organisation.pk, organisation)
        held = self._roles.setdefault(organisation.pk, [])
        held.extend(role for role in roles if role not in held)
        return reference(organisation)

    def contact(self, organisation: Organisation, *, name: str = "", email: str = "") -> None:
        """The contact this process names for ``organisation`` (a tender's contact for
        suppliers)."""
        point = {key: value for key, value in (("name", name), ("email", email)) if value}
        if point:
            self._contacts[organisation.pk] = point

    def as_list(self) -> list[dict]:
        return [party(org, self._roles[pk], self._contacts.get(pk))
                for pk, org in self._organisations.items()]
