"""Demo building blocks: the people, and each step of a grant through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from grants.models import Criterion, Question, Round
from grants.services import applications as apps
from grants.services import assessment, awards, payments
from grants.services.programmes import (
    programme_create,
    round_create,
    round_publish,
)
from organisations.demo import _person, _provider, _with_totp
from organisations.models import Membership, Organisation, Role
from socialvalue.models import Measure

AUTHORITY = "Northshire County Council"
DAY = datetime.timedelta(days=1)
STAFF = [("grants@example.org", "Dana Whitfield", Role.GRANT_MANAGER),
         ("assessor@example.org", "Imran Qureshi", Role.EVALUATOR)]
APPROVER = "commissioner@example.org"  # also a grant manager; approves the panel's decisions
RECIPIENTS = [
    ("Riverside Community Trust", "cio", "1187654", ""),
    ("Northby Food Bank", "charity", "1156782", ""),
    ("Hillcrest Youth Club", "cio", "1178923", ""),
    ("Canal Side Arts", "cic", "", "11223344"),
    ("Northby Men's Shed", "charity", "1145678", ""),
    ("Greenway Allotments Society", "society", "", "IP31234R"),
    ("Southby Carers Network", "cio", "1190011", ""),
    ("Dales Rural Transport", "cic", "", "10987654"),
    ("Little Acorns Playgroup", "charity", "1134567", ""),
    ("Northby Refugee Welcome", "cio", "1199876", ""),
    ("Beacon Mental Health Peer Support", "cio", "1167890", ""),
    ("Moor Lane Community Cafe", "cic", "", "12345678"),
    ("St Anne's Lunch Club", "charity", "1123456", ""),
    ("Northshire Care Mutual", "mutual", "", "09876543"),
    ("Repair Cafe Northby", "cic", "", "13579246"),
    ("Hillside Walking Group", "charity", "1112233", ""),
    ("Northby Credit Union", "society", "", "IP29876R"),
    ("Riverbank Boxing Academy", "cio", "1181818", ""),
    ("Kirk Street Library Friends", "charity", "1101010", ""),
    ("Valley Green Energy", "society", "", "IP30001R"),
    ("Oakfield Tenants Association", "charity", "1177777", ""),
]
BASE_PROGRAMME = dict(
    instruments=["revenue", "capital"], senior_officer="Director of Communities, Northshire",
    business_case="Approved by Cabinet: the case for investing in community groups.",
    business_case_approved_by="Northshire Cabinet",
    business_case_approved_on=datetime.date(2026, 4, 1),
    risk_assessment="Medium: many small first-time recipients; proportionate checks.",
    fraud_risk_assessed_on=datetime.date(2026, 4, 1),
    performance_measures="Volunteering hours; people supported; local spend.",
    ggis_scheme_id="GGIS-NSH-0001")

DEMO_TARGETS = {"CP-1.1-A": "200", "CP-5.1-B": "3", "CP-5.2-A": "150"}


class Cast:
    def __init__(self) -> None:
        self.authority = Organisation.objects.get(name=AUTHORITY, kind="authority")
        self.people = {}
        for email, name, role in STAFF:
            user = _person(email, name, is_admin=False)
            Membership.objects.get_or_create(user=user, organisation=self.authority, role=role)
            _with_totp(user)
            self.people[email] = user
        self.manager = self.people["grants@example.org"]
        self.assessor = self.people["assessor@example.org"]
        self.approver = _person(APPROVER, "Claire Walker", is_admin=False)
        Membership.objects.get_or_create(user=self.approver, organisation=self.authority,
                                         role=Role.GRANT_MANAGER)
        self.recipients = [self._recipient(*spec) for spec in RECIPIENTS]
        # Hours of community support and wellbeing gained (WELLBYs, a Green Book value), with
        # targets a small grant can reach; the order matters: applications choose the first two.
        found = {m.code: m for m in Measure.objects.filter(
            outcome__theme__framework__authority__isnull=True, code__in=DEMO_TARGETS)}
        self.measures = [found[code] for code in DEMO_TARGETS if code in found]

    def _recipient(self, name, legal_form, charity, company):
        fields = {"name": name, "legal_form": legal_form, "size": "micro" if charity else "small",
                  "is_vcse": True, "verification_status": "verified", "town": "Northby"}
        if charity:
            fields["charity_number"] = charity
        elif legal_form in ("society",):
            fields["fca_number"] = company
        else:
            fields["company_number"] = company
        org = _provider(fields)
        admin = org.memberships.filter(role=Role.PROVIDER_ADMIN).select_related("user").first()
        if admin is None:
            slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20]
            user = _person(f"{slug}@demo.example.org", f"Admin of {name}", is_admin=False)
            Membership.objects.get_or_create(user=user, organisation=org,
                                             role=Role.PROVIDER_ADMIN)
            return org, user
        return org, admin.user


# -- building blocks -------------------------------------------------------------------------

def create_programme(cast, code, title, budget, **fields):
    return programme_create(actor=cast.manager, authority=cast.authority, data={
        **BASE_PROGRAMME, "code": code, "title": title, "total_budget": Decimal(budget),
        "summary": fields.pop("summary"), "objectives": fields.pop("objectives"),
        "outcomes": fields.pop("outcomes", "Stronger, more connected communities."), **fields})


def publish_round(cast, programme, title, *, two_stage=False, kind="open", instrument="revenue",
           budget="300000", low="2000", high="50000", justification=""):
    now = timezone.now()
    round_ = round_create(actor=cast.manager, programme=programme, data={
        "title": title, "summary": f"{title}: grants from £{int(low):,} to £{int(high):,}.",
        "description": "We fund local groups to run activities that bring people together.",
        "who_can_apply": "Charities, CIOs, community interest companies and community "
                         "societies working in Northshire (postcodes LS and BD).",
        "how_to_apply": "Apply online. Check if you can apply first; it takes two minutes.",
        "kind": kind, "instrument": instrument, "is_two_stage": two_stage,
        "direct_award_justification": justification, "budget": Decimal(budget),
        "min_amount": Decimal(low), "max_amount": Decimal(high), "opens_at": now - 2 * DAY,
        "closes_at": now + 21 * DAY, "full_closes_at": now + 60 * DAY if two_stage else None,
        "eligible_legal_forms": [] if kind == "direct" else
        ["charity", "cio", "cic", "society", "mutual"],
        "eligible_postcode_areas": [] if kind == "direct" else ["LS", "BD"],
        "max_annual_income": None if kind == "direct" else Decimal("1000000"),
        "require_registration": True, "max_live_grants": None,
        "agreement_terms": "Spend the grant only on the funded activities and eligible costs "
                           "in your budget. Tell us at once about any change. Keep records "
                           "for six years. Unspent money is returned.",
        "reporting_every_months": 6})
    if kind != "direct":
        for number, (title_, weight) in enumerate((("Need for the project", 40),
                                                   ("Delivery plan", 35),
                                                   ("Value for money", 25)), 1):
            Criterion.objects.create(round=round_, number=number, title=title_, weight=weight,
                                     descriptors="0: no evidence\n3: adequate\n5: excellent")
        stages = ["eoi", "full"] if two_stage else ["full"]
        for stage in stages:
            _question(round_, stage, "Your project", 1, "text", "What will you do, and for whom?",
                      word_limit=250)
        _question(round_, "full", "Budget", 2, "budget", "Your budget")
        _question(round_, "full", "Outcomes", 3, "outcomes", "The outcomes you will deliver")
    return round_publish(actor=cast.manager, round_=round_)


def _question(round_, stage, section, number, kind, label, **extra):
    Question.objects.create(round=round_, stage=stage, section=section, number=number,
                            kind=kind, label=label, **extra)


def apply(cast, round_, org, user, amount, title, *, submit=True, stage=None):
    application = apps.application_start(actor=user, round_=round_, organisation=org)
    apps.application_details_save(actor=user, application=application, data={
        "project_title": title, "amount_requested": Decimal(amount),
        "project_summary": f"{title}: weekly sessions run by volunteers, open to everyone.",
        "annual_income": Decimal("85000"), "beneficiary_postcode": org.postcode})
    values = {}
    for q in round_.questions.filter(stage=application.stage):
        values[q.pk] = {"text": f"{title}. We will run it every week with local volunteers.",
                        "budget": {"rows": [{"item": "Staff and volunteers' costs",
                                             "amount": str(Decimal(amount) * 3 / 5)},
                                            {"item": "Venue and equipment",
                                             "amount": str(Decimal(amount) * 2 / 5)}],
                                   "total": str(Decimal(amount))},
                        "outcomes": [{"measure": m.pk, "target": DEMO_TARGETS[m.code]}
                                     for m in cast.measures[:2]]}[q.kind]
    apps.application_answers_save(actor=user, application=application, values=values)
    if submit:
        apps.application_submit(actor=user, application=application)
    application.refresh_from_db()
    return application


def close_round(round_, *, eoi_only=False):
    """Time passes: the deadline is now behind us."""
    now = timezone.now()
    if eoi_only:
        Round.objects.filter(pk=round_.pk).update(opens_at=now - 40 * DAY, closes_at=now - DAY)
    else:
        Round.objects.filter(pk=round_.pk).update(opens_at=now - 60 * DAY,
                                                  closes_at=now - 20 * DAY,
                                                  full_closes_at=None if not round_.is_two_stage
                                                  else now - 10 * DAY)
    round_.refresh_from_db()


def assess(cast, application, score=4):
    if application.status == "submitted":
        apps.application_screen(actor=cast.manager, application=application, eligible=True)
    assessment.assessment_save(
        actor=cast.assessor, application=application, recommendation="fund",
        comments="Clear need, realistic plan.", submit=True,
        scores={c.pk: {"score": score, "comment": "Evidence given in the answers."}
                for c in application.round.criteria.all()})


def decide(cast, application, outcome, amount=None):
    decision = assessment.decision_record(
        actor=cast.manager, application=application, outcome=outcome,
        rationale="The panel weighed need, delivery and value for money.",
        feedback="Thank you. The panel valued the clear account of local need; the budget "
                 "could show more match funding.", amount=Decimal(amount) if amount else None)
    assessment.decision_approve(actor=cast.approver, decision=decision)


def assign_assessor(cast, round_):
    assessment.assessor_assign(actor=cast.manager, round_=round_, assessor=cast.assessor)
    assessment.conflicts_declare(actor=cast.assessor, round_=round_, conflicts={})


def make_live(cast, award, user, *, pay_first=True):
    awards.agreement_accept(actor=user, award=award, name=user.full_name, position="Chair")
    awards.due_diligence_record(actor=cast.manager, award=award, kind="registration",
                                outcome="passed", notes="Checked on the public register.")
    today = timezone.localdate()
    half = (award.amount_awarded / 2).quantize(Decimal("0.01"))
    first = payments.instalment_schedule(actor=cast.manager, award=award, amount=half,
                                         due_on=today, milestone="Project start",
                                         timing="advance",
                                         advance_need="A small charity with no reserves to "
                                                      "pay staff before the grant arrives.")
    payments.instalment_schedule(actor=cast.manager, award=award,
                                 amount=award.amount_awarded - half, due_on=today + 180 * DAY,
                                 milestone="Six-month report accepted")
    if pay_first:
        payments.instalment_release(actor=cast.manager, instalment=first,
                                    claim_notes="Start-up claim with the signed agreement.")
    award.refresh_from_db()
    return award
