"""Demo grants: Northshire's programmes with rounds in every state and 20+ awards.

`seed(stdout)` runs after the organisations and social value demos. Everything goes through the
real services (audit entries, status history, GovS 015 results, notifications). The one
shortcut is time: a round's dates are moved into the past once its applications are in, as
the passing weeks would. Idempotent: each programme is keyed on its code and skipped when it
exists.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from grants.models import Criterion, Programme, Question, Round
from grants.services import applications as apps
from grants.services import assessment, awards, monitoring, payments
from grants.services.programmes import (
    contribution_add,
    programme_create,
    round_create,
    round_move,
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
        self.measures = list(Measure.objects.filter(
            outcome__theme__framework__authority__isnull=True).order_by("code")[:3])

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


def seed(stdout) -> None:
    if not Organisation.objects.filter(name=AUTHORITY, kind="authority").exists():
        stdout.write("Grants demo skipped: the demo authority is missing.")
        return
    cast = Cast()
    if not cast.measures:
        stdout.write("Grants demo skipped: load the social value catalogue first.")
        return
    for code, build in (("NCF", _communities_fund), ("SEGF", _growth_fund),
                        ("MSP", _mutual_support)):
        if not Programme.objects.filter(code=code).exists():
            with transaction.atomic():
                build(cast)
    stdout.write(f"Grants: {Programme.objects.count()} programmes, "
                 f"{Round.objects.count()} rounds; grant manager grants@example.org, "
                 "assessor assessor@example.org, applicant charity@example.org.")


# -- building blocks -------------------------------------------------------------------------

def _programme(cast, code, title, budget, **fields):
    return programme_create(actor=cast.manager, authority=cast.authority, data={
        **BASE_PROGRAMME, "code": code, "title": title, "total_budget": Decimal(budget),
        "summary": fields.pop("summary"), "objectives": fields.pop("objectives"),
        "outcomes": fields.pop("outcomes", "Stronger, more connected communities."), **fields})


def _round(cast, programme, title, *, two_stage=False, kind="open", instrument="revenue",
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


def _apply(cast, round_, org, user, amount, title, *, submit=True, stage=None):
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
                        "outcomes": [{"measure": m.pk, "target": "200"}
                                     for m in cast.measures[:2]]}[q.kind]
    apps.application_answers_save(actor=user, application=application, values=values)
    if submit:
        apps.application_submit(actor=user, application=application)
    application.refresh_from_db()
    return application


def _close(round_, *, eoi_only=False):
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


def _assess(cast, application, score=4):
    if application.status == "submitted":
        apps.application_screen(actor=cast.manager, application=application, eligible=True)
    assessment.assessment_save(
        actor=cast.assessor, application=application, recommendation="fund",
        comments="Clear need, realistic plan.", submit=True,
        scores={c.pk: {"score": score, "comment": "Evidence given in the answers."}
                for c in application.round.criteria.all()})


def _decide(cast, application, outcome, amount=None):
    decision = assessment.decision_record(
        actor=cast.manager, application=application, outcome=outcome,
        rationale="The panel weighed need, delivery and value for money.",
        feedback="Thank you. The panel valued the clear account of local need; the budget "
                 "could show more match funding.", amount=Decimal(amount) if amount else None)
    assessment.decision_approve(actor=cast.approver, decision=decision)


def _assign(cast, round_):
    assessment.assessor_assign(actor=cast.manager, round_=round_, assessor=cast.assessor)
    assessment.conflicts_declare(actor=cast.assessor, round_=round_, conflicts={})


def _live(cast, award, user, *, pay_first=True):
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


# -- the programmes --------------------------------------------------------------------------

def _communities_fund(cast):
    programme = _programme(cast, "NCF", "Northshire Communities Fund", "2500000",
                           summary="Grants for community groups across Northshire.",
                           objectives="Bring people together; reduce isolation; support "
                                      "volunteering.")
    southby, _ = Organisation.objects.get_or_create(
        name="Southby City Council", kind=Organisation.Kind.AUTHORITY, defaults={
            "legal_form": "public_body", "size": "large", "verification_status": "verified",
            "authority_code": "SBY", "address_line_1": "Civic Centre", "town": "Southby",
            "postcode": "BD1 1HY"})
    contribution_add(actor=cast.manager, programme=programme, funder=southby,
                     amount=Decimal("500000"), committed_on=datetime.date(2026, 5, 1),
                     notes="Pooled for projects on the Northby–Southby border.")
    _awarded_round(cast, programme)
    _assessment_round(cast, programme)
    _panel_round(cast, programme)
    _eoi_round(cast, programme)
    _full_stage_round(cast, programme)


def _awarded_round(cast, programme):
    round_ = _round(cast, programme, "Community grants 2026", budget="600000")
    _assign(cast, round_)
    applications = []
    for index, (org, user) in enumerate(cast.recipients[1:18]):
        applications.append((_apply(cast, round_, org, user, 8000 + 1500 * index,
                                    f"{org.name}: community project"), org, user))
    _close(round_)
    round_move(actor=cast.manager, round_=round_, name="start_assessment")
    for application, _, _ in applications:
        _assess(cast, application)
    round_move(actor=cast.manager, round_=round_, name="to_panel")
    today = timezone.localdate()
    for index, (application, _org, user) in enumerate(applications):
        if index == len(applications) - 1:
            _decide(cast, application, "reject")
            continue
        _decide(cast, application, "fund", application.amount_requested)
        award = awards.award_make(actor=cast.manager, application=application,
                                  planned_start=today, planned_end=today + 364 * DAY)
        if index == len(applications) - 2:
            continue  # offered, agreement not yet accepted
        award = _live(cast, award, user)
        if index == 0:
            _report_and_close(cast, award, user)
        elif index == 1:
            report = award.reports.order_by("number").first()
            monitoring.report_submit(actor=user, report=report, progress="Sessions started.",
                                     spend_to_date=award.amount_paid,
                                     results={m.pk: Decimal("60") for m in award.measures.all()})
    round_move(actor=cast.manager, round_=round_, name="decide")


def _report_and_close(cast, award, user):
    """A grant run to the end, with an underspend returned and recovered."""
    second = award.instalments.filter(status="scheduled").first()
    payments.instalment_release(actor=cast.manager, instalment=second,
                                claim_notes="Final claim with receipts.")
    award.refresh_from_db()
    spent = award.amount_paid - Decimal("750")
    for report in award.reports.order_by("number"):
        monitoring.report_submit(actor=user, report=report, progress="Delivered as planned.",
                                 spend_to_date=spent,
                                 results={m.pk: Decimal("210") for m in award.measures.all()})
        monitoring.report_review(actor=cast.manager, report=report, accept=True)
    review = award.annual_reviews.first()
    monitoring.annual_review_complete(actor=cast.manager, review=review,
                                      spend_planned=award.amount_awarded, spend_actual=spent,
                                      delivery_summary="Targets met.", decision="continue")
    payments.recovery_record(actor=cast.manager, award=award, kind="underspend",
                             amount=Decimal("750"), reason="Venue costs came in under budget.",
                             received_on=timezone.localdate())
    monitoring.award_close(actor=cast.manager, award=award,
                           notes="Delivered; underspend of £750 returned.")


def _assessment_round(cast, programme):
    round_ = _round(cast, programme, "Warm spaces winter 2026", budget="150000", high="15000")
    _assign(cast, round_)
    apps_in = [_apply(cast, round_, org, user, 6000 + 1000 * i, f"Warm space at {org.name}")
               for i, (org, user) in enumerate(cast.recipients[16:20])]
    _close(round_)
    round_move(actor=cast.manager, round_=round_, name="start_assessment")
    for application in apps_in[:2]:
        _assess(cast, application, score=3)
    apps.application_screen(actor=cast.manager, application=apps_in[2], eligible=True)


def _panel_round(cast, programme):
    round_ = _round(cast, programme, "Community transport 2026", budget="200000",
                    high="40000")
    _assign(cast, round_)
    apps_in = [_apply(cast, round_, org, user, 20000 + 5000 * i, f"Minibus for {org.name}")
               for i, (org, user) in enumerate(cast.recipients[5:8])]
    _close(round_)
    round_move(actor=cast.manager, round_=round_, name="start_assessment")
    for application in apps_in:
        _assess(cast, application, score=4)
    round_move(actor=cast.manager, round_=round_, name="to_panel")
    assessment.decision_record(actor=cast.manager, application=apps_in[0], outcome="fund",
                               rationale="Strongest case.", feedback="Well evidenced need.",
                               amount=apps_in[0].amount_requested,
                               external_recommendation={
                                   "source": "Northby citizens' panel",
                                   "summary": "Ranked first of three for the transport budget."})


def _eoi_round(cast, programme):
    round_ = _round(cast, programme, "Neighbourhood grants 2027", two_stage=True,
                    budget="400000")
    riverside, charity_admin = cast.recipients[0]
    _apply(cast, round_, riverside, charity_admin, 12000, "Riverside lunch club",
           submit=False)
    for org, user in cast.recipients[8:10]:
        _apply(cast, round_, org, user, 15000, f"{org.name}: neighbourhood project")


def _full_stage_round(cast, programme):
    round_ = _round(cast, programme, "Youth futures 2027", two_stage=True, budget="250000")
    _assign(cast, round_)
    riverside, charity_admin = cast.recipients[0]
    eois = [_apply(cast, round_, riverside, charity_admin, 18000, "Riverside youth mentoring")]
    eois += [_apply(cast, round_, org, user, 14000, f"{org.name}: youth project")
             for org, user in cast.recipients[10:12]]
    _close(round_, eoi_only=True)
    for index, eoi in enumerate(eois):
        _assess(cast, eoi)
        _decide(cast, eoi, "invite" if index < 2 else "reject")
    full = apps.application_start(actor=charity_admin, round_=round_, organisation=riverside)
    full.refresh_from_db()


def _growth_fund(cast):
    programme = _programme(cast, "SEGF", "Social Enterprise Growth Fund", "1000000",
                           instruments=["repayable", "capital"],
                           summary="Repayable grants for social enterprises ready to grow.",
                           objectives="Help social enterprises invest, then recycle the money "
                                      "when they are profitable.")
    round_ = _round(cast, programme, "Growth capital 2026", instrument="repayable",
                    budget="300000", low="10000", high="60000")
    _assign(cast, round_)
    people = [cast.recipients[i] for i in (3, 11, 14)]
    apps_in = [_apply(cast, round_, org, user, 30000 + 10000 * i, f"{org.name}: growth plan")
               for i, (org, user) in enumerate(people)]
    _close(round_)
    round_move(actor=cast.manager, round_=round_, name="start_assessment")
    today = timezone.localdate()
    for index, application in enumerate(apps_in):
        _assess(cast, application)
        _decide(cast, application, "fund", application.amount_requested)
        award = awards.award_make(
            actor=cast.manager, application=application, planned_start=today,
            planned_end=today + 729 * DAY,
            repayment={"trigger": "revenue" if index else "profit",
                       "revenue_threshold": Decimal("250000") if index else None})
        award = _live(cast, award, people[index][1])
        if index == 0:
            payments.repayment_trigger(actor=cast.manager, award=award, triggered_on=today,
                                       evidence="2026 accounts show a surplus of £42,000.",
                                       first_repayment_due=today + 30 * DAY)
            payments.repayment_record(actor=cast.manager, award=award, amount=Decimal("2500"),
                                      received_on=today, reference="SEGF-RP-0001")


def _mutual_support(cast):
    programme = _programme(cast, "MSP", "Public Service Mutual Support", "200000",
                           summary="Support grants for staff spinning out public services.",
                           objectives="Help new public service mutuals through their first "
                                      "two years.")
    round_ = _round(cast, programme, "Mutual support 2026 (direct awards)", kind="direct",
                    budget="200000", low="5000", high="75000",
                    justification="Only recognised public service mutuals leaving the council "
                                  "can receive this support; there is no market to compete.")
    today = timezone.localdate()
    for index in (13, 4):
        org, user = cast.recipients[index]
        award = awards.grant_direct_award(
            actor=cast.manager, round=round_, organisation=org, amount=Decimal("40000"),
            justification=round_.direct_award_justification,
            title=f"Spin-out support for {org.name}",
            description="Legal, finance and governance support in the first two years.",
            planned_start=today, planned_end=today + 729 * DAY,
            measures=[(cast.measures[0].pk, Decimal("500"))])
        _live(cast, award, user, pay_first=index == 13)
