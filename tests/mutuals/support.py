"""Mutual evidence and recognitions for tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from mutuals import services
from mutuals.models import MutualProfile, MutualService, Recognition
from mutuals.selectors import definition_current
from tests import factories

# Facts that meet all three definitions: spun out, public services, employee majority board.
PASSING = {
    "sector": "adult_social_care", "region": "yorkshire",
    "public_summary": "Home care and day services for older people, run by their staff.",
    "delivers_public_services": True, "reservable_income_percent": Decimal("90"),
    "profit_use": MutualProfile.ProfitUse.NOT_FOR_PROFIT, "board_seats": 7,
    "employee_board_seats": 4, "employee_ownership_percent": Decimal("100"),
    "has_employee_council": True, "stakeholder_participation": False,
    "origin": MutualProfile.Origin.SPUN_OUT, "parent_body_name": "Northby Council",
    "spun_out_on": datetime.date(2016, 4, 1), "staff_count": 120,
    "staff_ballot_support_percent": Decimal("78"), "staff_ballot_turnout_percent": Decimal("84"),
}


def profile(organisation, *, services=(("85312000-9", "Day care for older people"),),
            **overrides) -> MutualProfile:
    record = MutualProfile.objects.create(organisation=organisation, **{**PASSING, **overrides})
    MutualService.objects.bulk_create(
        MutualService(profile=record, cpv_code=code, description=text) for code, text in services)
    return record


def recognise(organisation, *, key: str = "s33", on: datetime.date | None = None,
              until: datetime.date | None = None) -> Recognition:
    """A recognition decided on `on` (today by default), as recognition_decide records it.

    It lasts a year unless `until` says otherwise.
    """
    services.definitions_install_first_versions()  # a flushed database has lost them
    day = on or timezone.localdate()
    officer = factories.UserFactory()
    return Recognition.objects.create(
        organisation=organisation, definition_key=key, status=Recognition.Status.RECOGNISED,
        requested_by=officer, requested_at=timezone.now(), definition=definition_current(key=key),
        decided_by=officer, decided_at=timezone.now(), valid_from=day,
        valid_until=until or day.replace(year=day.year + 1))


def mutual(*, key: str = "s33", name: str = "Care Workers Mutual",
           on: datetime.date | None = None, until: datetime.date | None = None,
           **profile_overrides):
    """A verified provider with passing evidence, recognised under `key` on `on` (today)."""
    organisation = factories.OrganisationFactory(name=name, legal_form="society",
                                                 charity_number="")
    profile(organisation, **profile_overrides)
    recognise(organisation, key=key, on=on, until=until)
    return organisation


GROWTH = ("We will move from one contract to three by offering reablement to the hospital "
          "trust and day services to two neighbouring councils, hiring twelve care workers "
          "from the local area and training four team leaders in the first year.")


def scheme(authority, **fields):
    from mutuals.models import SupportScheme

    return SupportScheme.objects.create(authority=authority, name="Mutuals Support",
                                        summary="Advice and grants for new mutuals.", **fields)


def submitted_team_application(scheme, lead, **answers):
    council = factories.AuthorityFactory(name=f"Parent Council {scheme.pk}")
    application = services.application_start(actor=lead, scheme=scheme, kind="team",
                                              team_name="Adult social care team",
                                              parent_body=council)
    services.application_save(actor=lead, application=application, data={
        "in_england": True, "definition_key": "programme", "growth_case": GROWTH,
        "services_and_model": "Home care for 400 people.",
        "transformation_plans": "Staff-led rotas and reablement.",
        "senior_sponsor": "Director of Adult Services", "support_needed": ["legal"],
        "advisory_days_requested": 10, **answers})
    return services.application_submit(actor=lead, application=application)


def approved_plan(scheme, lead, officer, *, advisory_days: int = 6):
    application = submitted_team_application(scheme, lead)
    services.assessment_declare(actor=officer, application=application, has_conflict=False)
    keys = ("growth_case", "staff_engagement", "deliverability", "value_for_money")
    services.assessment_score(actor=officer, application=application,
                              scores=dict.fromkeys(keys, 4),
                              comments=dict.fromkeys(keys, "Clear evidence."),
                              recommendation="support")
    return services.application_decide(actor=officer, application=application, approve=True,
                                       feedback="Agreed.", advisory_days=advisory_days).plan
