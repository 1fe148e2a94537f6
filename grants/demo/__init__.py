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

from grants.demo.build import (
    DAY,
    Cast,
    apply,
    assess,
    assign_assessor,
    close_round,
    create_programme,
    decide,
    make_live,
    publish_round,
)
from grants.models import Programme, Round
from grants.services import applications as apps
from grants.services import assessment, awards, monitoring, payments
from grants.services.programmes import contribution_add, round_move
from organisations.models import Organisation

AUTHORITY = "Northshire County Council"


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


# -- the programmes --------------------------------------------------------------------------

def _communities_fund(cast):
    programme = create_programme(cast, "NCF", "Northshire Communities Fund", "2500000",
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
    round_ = publish_round(cast, programme, "Community grants 2026", budget="600000")
    assign_assessor(cast, round_)
    applications = []
    for index, (org, user) in enumerate(cast.recipients[1:18]):
        applications.append((apply(cast, round_, org, user, 8000 + 1500 * index,
                                    f"{org.name}: community project"), org, user))
    close_round(round_)
    round_move(actor=cast.manager, round_=round_, name="start_assessment")
    for application, _, _ in applications:
        assess(cast, application)
    round_move(actor=cast.manager, round_=round_, name="to_panel")
    today = timezone.localdate()
    for index, (application, _org, user) in enumerate(applications):
        if index == len(applications) - 1:
            decide(cast, application, "reject")
            continue
        decide(cast, application, "fund", application.amount_requested)
        award = awards.award_make(actor=cast.manager, application=application,
                                  planned_start=today, planned_end=today + 364 * DAY)
        if index == len(applications) - 2:
            continue  # offered, agreement not yet accepted
        award = make_live(cast, award, user)
        if index == 0:
            _report_and_close(cast, award, user)
        elif index == 1:
            report = award.reports.order_by("number").first()
            monitoring.report_submit(actor=user, report=report, progress="Sessions started.",
                                     spend_to_date=award.amount_paid,
                                     results={m.pk: share(m.target, "0.3")
                                              for m in award.measures.all()})
    round_move(actor=cast.manager, round_=round_, name="decide")


def share(target: Decimal, fraction: str) -> Decimal:
    """A part of a measure's target, as a report of what was delivered so far."""
    return (target * Decimal(fraction)).quantize(Decimal("0.01"))


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
                                 results={m.pk: share(m.target, "0.55")
                                          for m in award.measures.all()})
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
    round_ = publish_round(cast, programme, "Warm spaces winter 2026", budget="150000",
                           high="15000")
    assign_assessor(cast, round_)
    apps_in = [apply(cast, round_, org, user, 6000 + 1000 * i, f"Warm space at {org.name}")
               for i, (org, user) in enumerate(cast.recipients[16:20])]
    close_round(round_)
    round_move(actor=cast.manager, round_=round_, name="start_assessment")
    for application in apps_in[:2]:
        assess(cast, application, score=3)
    apps.application_screen(actor=cast.manager, application=apps_in[2], eligible=True)


def _panel_round(cast, programme):
    round_ = publish_round(cast, programme, "Community transport 2026", budget="200000",
                    high="40000")
    assign_assessor(cast, round_)
    apps_in = [apply(cast, round_, org, user, 20000 + 5000 * i, f"Minibus for {org.name}")
               for i, (org, user) in enumerate(cast.recipients[5:8])]
    close_round(round_)
    round_move(actor=cast.manager, round_=round_, name="start_assessment")
    for application in apps_in:
        assess(cast, application, score=4)
    round_move(actor=cast.manager, round_=round_, name="to_panel")
    assessment.decision_record(actor=cast.manager, application=apps_in[0], outcome="fund",
                               rationale="Strongest case.", feedback="Well evidenced need.",
                               amount=apps_in[0].amount_requested,
                               external_recommendation={
                                   "source": "Northby citizens' panel",
                                   "summary": "Ranked first of three for the transport budget."})


def _eoi_round(cast, programme):
    round_ = publish_round(cast, programme, "Neighbourhood grants 2027", two_stage=True,
                    budget="400000")
    riverside, charity_admin = cast.recipients[0]
    apply(cast, round_, riverside, charity_admin, 12000, "Riverside lunch club",
           submit=False)
    for org, user in cast.recipients[8:10]:
        apply(cast, round_, org, user, 15000, f"{org.name}: neighbourhood project")


def _full_stage_round(cast, programme):
    round_ = publish_round(cast, programme, "Youth futures 2027", two_stage=True, budget="250000")
    assign_assessor(cast, round_)
    riverside, charity_admin = cast.recipients[0]
    eois = [apply(cast, round_, riverside, charity_admin, 18000, "Riverside youth mentoring")]
    eois += [apply(cast, round_, org, user, 14000, f"{org.name}: youth project")
             for org, user in cast.recipients[10:12]]
    close_round(round_, eoi_only=True)
    for index, eoi in enumerate(eois):
        assess(cast, eoi)
        decide(cast, eoi, "invite" if index < 2 else "reject")
    full = apps.application_start(actor=charity_admin, round_=round_, organisation=riverside)
    full.refresh_from_db()


def _growth_fund(cast):
    programme = create_programme(cast, "SEGF", "Social Enterprise Growth Fund", "1000000",
                           instruments=["repayable", "capital"],
                           summary="Repayable grants for social enterprises ready to grow.",
                           objectives="Help social enterprises invest, then recycle the money "
                                      "when they are profitable.")
    round_ = publish_round(cast, programme, "Growth capital 2026", instrument="repayable",
                    budget="300000", low="10000", high="60000")
    assign_assessor(cast, round_)
    people = [cast.recipients[i] for i in (3, 11, 14)]
    apps_in = [apply(cast, round_, org, user, 30000 + 10000 * i, f"{org.name}: growth plan")
               for i, (org, user) in enumerate(people)]
    close_round(round_)
    round_move(actor=cast.manager, round_=round_, name="start_assessment")
    today = timezone.localdate()
    for index, application in enumerate(apps_in):
        assess(cast, application)
        decide(cast, application, "fund", application.amount_requested)
        award = awards.award_make(
            actor=cast.manager, application=application, planned_start=today,
            planned_end=today + 729 * DAY,
            repayment={"trigger": "revenue" if index else "profit",
                       "revenue_threshold": Decimal("250000") if index else None})
        award = make_live(cast, award, people[index][1])
        if index == 0:
            payments.repayment_trigger(actor=cast.manager, award=award, triggered_on=today,
                                       evidence="2026 accounts show a surplus of £42,000.",
                                       first_repayment_due=today + 30 * DAY)
            payments.repayment_record(actor=cast.manager, award=award, amount=Decimal("2500"),
                                      received_on=today, reference="SEGF-RP-0001")


def _mutual_support(cast):
    programme = create_programme(cast, "MSP", "Public Service Mutual Support", "200000",
                           summary="Support grants for staff spinning out public services.",
                           objectives="Help new public service mutuals through their first "
                                      "two years.")
    round_ = publish_round(cast, programme, "Mutual support 2026 (direct awards)", kind="direct",
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
        make_live(cast, award, user, pay_first=index == 13)
