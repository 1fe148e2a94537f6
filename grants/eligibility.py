"""Eligibility as declarative rules, shared by the public pre-check and the check at submit.

Each rule reads `Facts` (what the pre-check asks, or what the organisation profile and the
application say) against the round's settings and either passes or says, in plain words, why
not. A rule the round does not use is not shown at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal

from core.money import format_gbp
from organisations.models import Organisation

LEGAL_FORMS = dict(Organisation.LegalForm.choices)


@dataclass(frozen=True)
class Facts:
    legal_form: str | None = None
    postcode: str | None = None
    annual_income: Decimal | None = None
    registered: bool | None = None
    amount: Decimal | None = None
    live_grants: int | None = None


@dataclass(frozen=True)
class Result:
    rule: str
    title: str
    passed: bool
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    applies: Callable[[object], bool]
    check: Callable[[object, Facts], str | None]


def outward_code(postcode: str) -> str:
    cleaned = (postcode or "").strip().upper()
    return cleaned.split()[0] if " " in cleaned else cleaned[:-3]


def postcode_in_areas(postcode: str, areas: list[str]) -> bool:
    """True when the postcode is in one of the areas (letters, like LS) or districts (LS6)."""
    outward = outward_code(postcode)
    letters = "".join(ch for ch in outward[:2] if ch.isalpha())
    for area in (a.strip().upper() for a in areas):
        if area.isalpha() and letters == area:
            return True
        if outward == area:
            return True
    return False


def _legal_form(round_, facts: Facts) -> str | None:
    allowed = ", ".join(LEGAL_FORMS.get(v, v).lower() for v in round_.eligible_legal_forms)
    if not facts.legal_form:
        return f"Tell us what kind of organisation you are. This round is for: {allowed}."
    if facts.legal_form not in round_.eligible_legal_forms:
        kind = LEGAL_FORMS.get(facts.legal_form, facts.legal_form).lower()
        return f"This round is only for: {allowed}. Your organisation is a {kind}."
    return None


def _area(round_, facts: Facts) -> str | None:
    areas = ", ".join(round_.eligible_postcode_areas)
    if not facts.postcode:
        return f"Tell us your postcode. This round funds work in postcode areas {areas}."
    if not postcode_in_areas(facts.postcode, round_.eligible_postcode_areas):
        return (f"This round funds work in postcode areas {areas} only; "
                f"{facts.postcode.upper()} is outside them.")
    return None


def _income(round_, facts: Facts) -> str | None:
    limit = format_gbp(round_.max_annual_income)
    if facts.annual_income is None:
        return f"Tell us your annual income. This round is for organisations with up to {limit}."
    if facts.annual_income > round_.max_annual_income:
        return (f"This round is for organisations with an annual income of {limit} or less; "
                f"yours is {format_gbp(facts.annual_income)}.")
    return None


def _registration(round_, facts: Facts) -> str | None:
    if not facts.registered:
        return ("This round is only for organisations registered with the Charity Commission, "
                "Companies House, the Scottish Charity Regulator or the FCA. Add your "
                "registered number to your organisation profile.")
    return None


def _amount(round_, facts: Facts) -> str | None:
    low, high = format_gbp(round_.min_amount), format_gbp(round_.max_amount)
    if facts.amount is None:
        return f"Tell us how much you want to ask for: between {low} and {high}."
    if not round_.min_amount <= facts.amount <= round_.max_amount:
        return (f"You can ask for between {low} and {high}; "
                f"{format_gbp(facts.amount)} is outside that range.")
    return None


def _previous_grants(round_, facts: Facts) -> str | None:
    limit = round_.max_live_grants
    if (facts.live_grants or 0) > limit:
        held = "none" if limit == 0 else f"at most {limit}"
        return (f"Organisations may hold {held} live grants from this programme when they "
                f"apply; yours holds {facts.live_grants}.")
    return None


RULES: tuple[Rule, ...] = (
    Rule("legal_form", "Type of organisation", lambda r: bool(r.eligible_legal_forms),
         _legal_form),
    Rule("area", "Where you work", lambda r: bool(r.eligible_postcode_areas), _area),
    Rule("income", "Annual income", lambda r: r.max_annual_income is not None, _income),
    Rule("registration", "Registration", lambda r: r.require_registration, _registration),
    Rule("amount", "Amount you ask for", lambda r: True, _amount),
    Rule("previous_grants", "Grants you already hold", lambda r: r.max_live_grants is not None,
         _previous_grants),
)


def rules_for(round_) -> list[Rule]:
    """The rules this round uses, in the order the pre-check asks them."""
    return [rule for rule in RULES if rule.applies(round_)]


def evaluate(round_, facts: Facts) -> list[Result]:
    results = []
    for rule in rules_for(round_):
        problem = rule.check(round_, facts)
        results.append(Result(rule.id, rule.title, problem is None, problem or "Met"))
    return results


def failures(results: list[Result]) -> list[Result]:
    return [result for result in results if not result.passed]


def facts_for_application(application, live_grants: int) -> Facts:
    """What the organisation profile (never re-keyed) and the application say."""
    organisation = application.organisation
    registered = bool(organisation.charity_number or organisation.company_number
                      or organisation.oscr_number or organisation.fca_number)
    return Facts(
        legal_form=organisation.legal_form,
        postcode=application.beneficiary_postcode or organisation.postcode,
        annual_income=application.annual_income, registered=registered,
        amount=application.amount_requested, live_grants=live_grants)
