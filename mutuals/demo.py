"""Demo mutuals: two recognised mutuals on the register and a programme officer.

Northshire Care Mutual (spun out of the council's adult social care, staff hold most board
seats) is recognised under both the programme and the section 33 definitions; Northshire
Libraries and Culture Trust (staff hold 2 of 7 seats and run an employee council) only under
the programme definition. Both go through the real services: evidence, request, decision.
Idempotent: an organisation that already has evidence is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from mutuals import services
from mutuals.models import Adviser, MutualProfile, SupportApplication, SupportScheme
from organisations.demo import AUTHORITY, _person, _provider, _with_totp
from organisations.models import Membership, Organisation, Role

OFFICER = ("officer@example.org", "Nadia Karim")
ADVISER = ("adviser@example.org", "Imran Qureshi")
TEAM_LEAD = ("team@example.org", "Helen Ward")
TEAM = {
    "name": "Northshire Reablement Team",
    "answers": {
        "in_england": True, "definition_key": "programme",
        "growth_case": "The 60-strong reablement team wants to leave the council as a staff-owned "
                       "mutual, keep its contract for hospital discharge support and bid for the "
                       "two neighbouring councils' reablement services, growing to 90 staff "
                       "within three years and adding a falls prevention service.",
        "services_and_model": "Short-term care at home after a hospital stay for about 900 "
                              "people a year, with therapists and support workers.",
        "transformation_plans": "Self-managing neighbourhood teams, and the people who use the "
                                "service on the board.",
        "senior_sponsor": "Director of Adult Social Services, Northshire County Council",
        "support_needed": ["legal", "hr", "finance"], "advisory_days_requested": 12,
    },
}
LIBRARIES = {
    "name": "Northshire Libraries and Culture Trust", "legal_form": "cic",
    "company_number": "11223344", "size": "small", "is_vcse": True,
    "verification_status": "verified", "town": "Northby",
}
LIBRARIES_ADMIN = ("libraries@example.org", "Ruth Ellis")
MUTUALS = [
    {
        "organisation": "Northshire Care Mutual", "admin": "mutual@example.org",
        "keys": ["programme", "s33"],
        "statement": "Staff voted 81% for the spin-out in 2016; the employee members elect "
                     "five of the eight directors.",
        "evidence": {
            "sector": "adult_social_care", "region": "yorkshire",
            "public_summary": "Home care, day services and reablement for older and disabled "
                              "people across Northshire, owned and run by the people who "
                              "deliver them.",
            "delivers_public_services": True, "reservable_income_percent": Decimal("92"),
            "profit_use": MutualProfile.ProfitUse.NOT_FOR_PROFIT, "board_seats": 8,
            "employee_board_seats": 5, "employee_ownership_percent": Decimal("100"),
            "has_employee_council": True, "stakeholder_participation": True,
            "origin": MutualProfile.Origin.SPUN_OUT, "spun_out_on": datetime.date(2016, 4, 1),
            "staff_count": 240, "staff_ballot_support_percent": Decimal("81"),
            "staff_ballot_turnout_percent": Decimal("77"),
        },
        "services": [("85312000-9", "Day care and reablement"),
                     ("85311000-2", "Home care for older and disabled people")],
    },
    {
        "organisation": LIBRARIES["name"], "admin": LIBRARIES_ADMIN[0], "keys": ["programme"],
        "statement": "Library staff hold two board seats and elect the employee council that "
                     "the board must consult on every change to services.",
        "evidence": {
            "sector": "leisure", "region": "yorkshire",
            "public_summary": "Northshire's 14 public libraries, the county archive and two "
                              "museums, spun out of the council in 2019.",
            "delivers_public_services": True, "reservable_income_percent": Decimal("64"),
            "profit_use": MutualProfile.ProfitUse.NOT_FOR_PROFIT, "board_seats": 7,
            "employee_board_seats": 2, "employee_ownership_percent": Decimal("0"),
            "has_employee_council": True, "stakeholder_participation": True,
            "origin": MutualProfile.Origin.SPUN_OUT, "spun_out_on": datetime.date(2019, 10, 1),
            "staff_count": 130,
        },
        "services": [("92511000-6", "Library services"), ("92521000-9", "Museum services")],
    },
]


def seed(stdout) -> None:
    build()
    build_support()
    stdout.write("Mutuals demo: Northshire Care Mutual (section 33 and programme definitions) "
                 "and Northshire Libraries and Culture Trust (programme definition only) are on "
                 f"the register; programme officer {OFFICER[0]}; {TEAM['name']} is spinning "
                 f"out with a support plan half done and adviser {ADVISER[0]} logging days.")


@transaction.atomic
def build() -> None:
    """The officer and the two recognised mutuals (commissioning's demo needs them first)."""
    services.definitions_install_first_versions()
    authority = Organisation.objects.get(name=AUTHORITY["name"])
    officer = _person(*OFFICER, is_admin=False)
    Membership.objects.get_or_create(user=officer, organisation=authority,
                                     role=Role.PROGRAMME_OFFICER)
    _with_totp(officer)
    libraries = _provider(LIBRARIES)
    admin = _person(*LIBRARIES_ADMIN, is_admin=False)
    Membership.objects.get_or_create(user=admin, organisation=libraries,
                                     role=Role.PROVIDER_ADMIN)
    for spec in MUTUALS:
        _mutual(spec, authority, officer)


def _mutual(spec: dict, authority: Organisation, officer) -> None:
    organisation = Organisation.objects.get(name=spec["organisation"])
    if MutualProfile.objects.filter(organisation=organisation).exists():
        return
    admin = User.objects.get(email=spec["admin"])
    services.profile_save(actor=admin, organisation=organisation,
                          data={**spec["evidence"], "parent_body": authority},
                          services=spec["services"])
    for key in spec["keys"]:
        request = services.recognition_request(actor=admin, organisation=organisation,
                                               definition_key=key, statement=spec["statement"])
        services.recognition_decide(actor=officer, recognition=request, recognise=True,
                                    reasons="Evidence checked against the articles and the "
                                            "board register.")


SCHEME = {
    "name": "Northshire Mutuals Support Programme",
    "summary": "Advice from approved advisers, and grants of up to £25,000, for council teams "
               "planning to spin out as public service mutuals and for mutuals in their first "
               "five years.",
}


@transaction.atomic
def build_support() -> None:
    """A team spinning out of adult social care, with a support plan half done."""
    authority = Organisation.objects.get(name=AUTHORITY["name"])
    officer = _person(*OFFICER, is_admin=False)
    scheme, _ = SupportScheme.objects.get_or_create(
        authority=authority, name=SCHEME["name"], defaults={"summary": SCHEME["summary"]})
    adviser_user = _person(*ADVISER, is_admin=False)
    adviser, _ = Adviser.objects.get_or_create(
        scheme=scheme, user=adviser_user, defaults={
            "firm": "Castlegate Legal LLP", "specialisms": ["legal", "governance", "hr"],
            "day_rate": Decimal("850.00")})
    if SupportApplication.objects.filter(scheme=scheme, team_name=TEAM["name"]).exists():
        return
    lead = _person(*TEAM_LEAD, is_admin=False)
    application = services.application_start(actor=lead, scheme=scheme, kind="team",
                                              team_name=TEAM["name"], parent_body=authority)
    services.application_save(actor=lead, application=application, data=TEAM["answers"])
    services.application_submit(actor=lead, application=application)
    services.assessment_declare(actor=officer, application=application, has_conflict=False)
    keys = ("growth_case", "staff_engagement", "deliverability", "value_for_money")
    services.assessment_score(
        actor=officer, application=application,
        scores={"growth_case": 4, "staff_engagement": 5, "deliverability": 4,
                "value_for_money": 3},
        comments=dict.fromkeys(keys, "Well evidenced in the expression of interest."),
        recommendation="support")
    plan = services.application_decide(
        actor=officer, application=application, approve=True, advisory_days=12,
        feedback="A strong case with clear staff support. Start with the legal structure.").plan
    allocation = services.adviser_allocate(actor=officer, plan=plan, adviser=adviser,
                                           specialism="legal", days=Decimal("6"))
    today = timezone.localdate()
    for offset, summary, sign_off in (
            (20, "Options appraisal workshop with the team and the council.", True),
            (12, "Legal structures compared: CIC, society and company limited by guarantee.",
             True),
            (3, "Draft articles with an employee members' class.", None)):
        day = services.advice_day_log(actor=adviser_user, allocation=allocation,
                                      worked_on=today - datetime.timedelta(days=offset),
                                      days=Decimal("1"), summary=summary)
        if sign_off:
            services.advice_day_review(actor=lead, day=day, sign_off=True)
    milestones = list(plan.milestones.all())
    for milestone in milestones[:3]:
        services.milestone_evidence_submit(actor=lead, milestone=milestone,
                                           note=f"{milestone.title}: agreed by the team board.")
        services.milestone_review(actor=officer, milestone=milestone, sign_off=True)
    services.milestone_evidence_submit(actor=lead, milestone=milestones[3],
                                       note="Five-year business plan and cash flow model.")
