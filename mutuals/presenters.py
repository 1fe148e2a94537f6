"""What the mutuals pages show: register rows, evidence summaries, recognition states."""

from __future__ import annotations

import datetime

from django.urls import reverse

from mutuals.models import MutualProfile, Recognition

STATUS_TAGS = {
    Recognition.Status.REQUESTED: ("Awaiting review", "blue"),
    Recognition.Status.RECOGNISED: ("Recognised", "green"),
    Recognition.Status.REFUSED: ("Refused", "red"),
    Recognition.Status.WITHDRAWN: ("Withdrawn", "grey"),
}


def recognition_tag(recognition: Recognition, today: datetime.date) -> dict[str, str]:
    if recognition.status == Recognition.Status.RECOGNISED and recognition.valid_until < today:
        return {"text": "Lapsed", "colour": "grey"}
    text, colour = STATUS_TAGS[recognition.status]
    return {"text": text, "colour": colour}


def origin_text(profile: MutualProfile) -> str:
    if profile.origin == MutualProfile.Origin.SPUN_OUT:
        year = f" in {profile.spun_out_on:%Y}" if profile.spun_out_on else ""
        return f"Spun out of {profile.spun_out_of}{year}"
    return "Community-led"


def register_row(organisation) -> dict:
    profile = organisation.mutual_profile
    return {
        "organisation": organisation, "profile": profile,
        "url": reverse("mutuals:register_entry", args=[organisation.pk]),
        "origin": origin_text(profile),
        "definitions": [r.definition.short_label for r in organisation.current_recognitions],
        "services": list(profile.services.all()),
    }


def open_data_row(organisation) -> dict:
    """One register entry as open data: public facts only, never private evidence."""
    profile = organisation.mutual_profile
    return {
        "name": organisation.name, "orgId": organisation.org_id,
        "legalForm": organisation.get_legal_form_display(), "town": organisation.town,
        "website": organisation.website, "sector": profile.get_sector_display(),
        "region": profile.get_region_display(), "origin": origin_text(profile),
        "summary": profile.public_summary,
        "services": [{"cpv": s.cpv_code, "description": s.description}
                     for s in profile.services.all()],
        "recognitions": [
            {"definition": r.definition_key, "definitionVersion": r.definition.version,
             "recognisedOn": r.valid_from.isoformat(), "validUntil": r.valid_until.isoformat()}
            for r in organisation.current_recognitions],
    }


def evidence_rows(profile: MutualProfile) -> list[dict]:
    yes_no = {True: "Yes", False: "No"}
    rows = [
        ("Sector", profile.get_sector_display()),
        ("Region", profile.get_region_display()),
        ("Delivers public services", yes_no[profile.delivers_public_services]),
        ("Income from reservable light-touch services", f"{profile.reservable_income_percent}%"),
        ("How profits are used", profile.get_profit_use_display()),
        ("Board", f"{profile.employee_board_seats} of {profile.board_seats} seats held by "
                  f"employees ({profile.employee_board_percent}%)"),
        ("Owned by employees", f"{profile.employee_ownership_percent}%"),
        ("Employee council", yes_no[profile.has_employee_council]),
        ("Stakeholder participation", yes_no[profile.stakeholder_participation]),
        ("Origin", origin_text(profile)),
        ("Staff", str(profile.staff_count)),
    ]
    if profile.staff_ballot_support_percent is not None:
        turnout = (f" on a {profile.staff_ballot_turnout_percent}% turnout"
                   if profile.staff_ballot_turnout_percent is not None else "")
        rows.append(("Staff ballot", f"{profile.staff_ballot_support_percent}% in favour{turnout}"))
    rows.append(("Articles or rules", profile.governing_rules.original_name
                 if profile.governing_rules_id else "Not uploaded"))
    return [{"key": key, "value": value} for key, value in rows]


def limb_rows(results: list[dict]) -> list[dict]:
    """Each limb's label, result and reason, as a decision stores them."""
    return [{"label": r["label"], "passed": r["passed"], "reason": r["reason"]} for r in results]



THRESHOLD_LABELS = {
    "min_employee_board_percent": "Employees' share of board seats (%)",
    "min_employee_ownership_percent": "Employees' share of ownership (%)",
    "employee_council_counts": "An employee council counts as influence",
    "min_reservable_percent": "Income from reservable light-touch services (%)",
}


def threshold_rows(definition) -> list[dict]:
    def shown(value):
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return f"{value:g}" if isinstance(value, float) else str(value)

    return [{"key": THRESHOLD_LABELS.get(name, name), "value": shown(value)}
            for name, value in definition.thresholds.items()]
