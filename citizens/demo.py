"""Demo panels, run through the real services (logins in README.md).

* Northshire Food Futures Panel: 300 generated volunteers (a mailout's replies and online
  registrations) drawn by maximin into 15 seats with a public seed; sessions with attendance,
  claims and a payment run; a ranked (IRV) vote, a consent decision and a £100,000
  participatory budget across 6 applications (Method of Equal Shares), each with the
  authority's response; an approval vote still open for members.
* Northshire Young Commissioners: 40 young volunteers drawn into 8 seats, guardians'
  consent; the commissioning demo delegates the quality questions of its youth mental health
  tender to them (``young_panel``), and they score the easy-read answers.

Idempotent: a panel that exists is left as it is.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from citizens.models import Decision, Panel, PanelMembership, PanelRole
from citizens.services import decisions, panels, recruitment, selection, sessions
from organisations.models import Organisation

PASSWORD = "Commission-2026!"
AUTHORITY = "Northshire County Council"
OFFICER = "commissioner@example.org"
FACILITATOR = ("facilitator@example.org", "Fiona Grant")
MEMBER = "member@example.org"
YOUNG = "young@example.org"
YOUNG_PANEL = "Northshire Young Commissioners"
FIRST = ["Amira", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hamza", "Isla", "Jack",
         "Kiran", "Lily", "Mo", "Nia", "Oscar", "Priya", "Quinn", "Ruth", "Sol", "Tara"]
LAST = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hussain", "Iqbal",
        "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Owen", "Patel", "Quinn", "Roberts"]
POSTCODES = ["LS1 1UR", "LS2 7HY", "LS6 1AN", "LS7 3QB", "LS8 2PF", "LS9 8AG", "LS11 5DR"]
ADULT_QUOTAS = [
    ("gender", "Gender", "woman", "Woman", 7, 8), ("gender", "Gender", "man", "Man", 7, 8),
    ("deprivation", "Area deprivation (IMD)", "high", "Most deprived 30% of areas", 5, 7),
    ("deprivation", "Area deprivation (IMD)", "middle", "Middle 40% of areas", 4, 6),
    ("deprivation", "Area deprivation (IMD)", "low", "Least deprived 30% of areas", 3, 5),
]
YOUNG_QUOTAS = [
    ("gender", "Gender", "girl", "Girl", 4, 4), ("gender", "Gender", "boy", "Boy", 4, 4),
    ("age_band", "Age", "12-13", "12 to 13", 2, 3), ("age_band", "Age", "14-15", "14 to 15", 2, 3),
    ("age_band", "Age", "16-18", "16 to 18", 2, 4),
]
FOOD_OPTIONS = [
    ("Community fridges", "Shared fridges in 6 community centres, stocked by local shops."),
    ("Cooking classes", "Free weekly cooking classes for families on low incomes."),
    ("Food bank van", "A van that takes the food bank to villages without one."),
    ("School holiday meals", "Lunches and activities for children in school holidays."),
]
APPLICATIONS = [
    ("Hillside Youth Kitchen", "A youth club that cooks a hot meal together.", "40000"),
    ("Riverside Food Bank van", "Takes the food bank to 9 villages every week.", "30000"),
    ("Park growing beds", "Raised beds where neighbours grow vegetables.", "10000"),
    ("Digital food skills", "Teaches people to shop and budget for food online.", "25000"),
    ("Community fridges", "Shared fridges in community centres.", "20000"),
    ("Holiday lunch club", "Lunches and games for children in the holidays.", "35000"),
]


def seed(stdout) -> None:
    authority = Organisation.objects.filter(name=AUTHORITY).first()
    officer = User.objects.filter(email=OFFICER).first()
    if authority is None or officer is None:
        return
    facilitator = _account(*FACILITATOR)
    adults = Panel.objects.filter(authority=authority,
                                  title="Northshire Food Futures Panel").first()
    if adults is None:
        adults = _adult_panel(authority, officer, facilitator)
    young = young_panel()
    stdout.write(f"Citizen panels: “{adults.title}” and “{young.title}”. Logins: "
                 f"{FACILITATOR[0]} (facilitator), {MEMBER} (panel member), {YOUNG} "
                 f"(young member), password {PASSWORD}.")


def _account(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
        EmailAddress.objects.get_or_create(user=user, email=email,
                                           defaults={"verified": True, "primary": True})
    return user


def _quota_rows(spec):
    return [{"feature": f, "feature_label": fl, "value": v, "value_label": vl, "minimum": lo,
             "maximum": hi} for f, fl, v, vl, lo, hi in spec]


def _pool_csv(rng: random.Random, count: int, features: dict[str, list[str]], age_bands,
              prefix: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(recruitment.IMPORT_COLUMNS + list(features))
    for n in range(count):
        household = n if n % 25 else n - 1  # a few households with two volunteers
        writer.writerow([f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                         f"{prefix}{n:03}@example.org",
                         "", f"{household + 1} {rng.choice(['Mill', 'Park', 'Church'])} Lane",
                         rng.choice(POSTCODES), rng.choice(age_bands), "yes", "yes",
                         rng.choice(["yes", "no"])] + [rng.choice(v) for v in features.values()])
    return out.getvalue().encode()


def _draw(panel: Panel, officer: User, seed: int, source: str) -> None:
    run = selection.selection_freeze(actor=officer, panel=panel)
    run = selection.selection_seed(actor=officer, run=run, seed=seed, seed_source=source)
    selection.selection_execute(run_id=run.pk)


def _accept_all(panel: Panel, first: str, prefix: str, guardian: bool) -> list[User]:
    accepted = []
    invited = panel.memberships.filter(status=PanelMembership.Status.INVITED).select_related(
        "pool_entry").order_by("pool_entry__full_name")
    for n, membership in enumerate(invited):
        email = first if n == 0 else f"{prefix}{n}@example.org"
        name = membership.pool_entry.full_name
        if guardian:
            name = name.split(" ")[0]  # young commissioners are known by first name only
        person = _account(email, name)
        selection.invitation_respond(actor=person, token=membership.invitation_token,
                                     accept=True, guardian_email=f"parent.{n}@example.org")
        if guardian:
            membership.refresh_from_db()
            selection.guardian_consent(token=membership.guardian_token,
                                       guardian_name=f"Parent of {name}", consent=True)
        accepted.append(person)
    return accepted


def _panel(authority, officer, **data) -> Panel:
    today = timezone.localdate()
    base = {"term_start": today - datetime.timedelta(days=60),
            "term_end": today + datetime.timedelta(days=240), "retention_days": 180,
            "session_quorum": 0, "honorarium_per_session": Decimal("50.00"),
            "expenses_cap_per_session": Decimal("30.00")}
    return panels.panel_create(actor=officer, authority=authority, data={**base, **data})


def _adult_panel(authority, officer, facilitator) -> Panel:
    panel = _panel(authority, officer, title="Northshire Food Futures Panel", size=15,
                   purpose="Decide how Northshire spends its community food budget, so that "
                           "the services reach the people who need them.",
                   remit="Recommend which food services the council commissions in 2027 and "
                         "allocate the £100,000 community food grant pot.",
                   feeds_decision="Community food services 2027 and the community food grants")
    panels.membership_appoint(actor=officer, panel=panel, user=facilitator,
                              role=PanelRole.FACILITATOR)
    recruitment.quotas_replace(actor=officer, panel=panel, rows=_quota_rows(ADULT_QUOTAS))
    panels.panel_set_registration(actor=officer, panel=panel, open_=True)
    rng = random.Random(2026)
    features = {"gender": ["woman", "man"], "deprivation": ["high", "middle", "low"]}
    bands = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
    recruitment.pool_import(actor=officer, panel=panel,
                            csv_bytes=_pool_csv(rng, 290, features, bands, "volunteer"))
    for n in range(10):
        recruitment.pool_register(panel=panel, person={
            "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "email": f"online{n}@example.org", "address_line_1": f"{n + 2} High Street",
            "postcode": rng.choice(POSTCODES), "age_band": rng.choice(bands),
            "gender": rng.choice(features["gender"]),
            "deprivation": rng.choice(features["deprivation"]),
            "consent_selection": True, "consent_contact": True, "consent_statistics": True})
    _draw(panel, officer, 41736, "Three ten-sided dice rolled twice at the full council "
                                 "meeting, witnessed by the chair and two residents.")
    members = _accept_all(panel, MEMBER, "panelist", guardian=False)
    panels.panel_move(actor=facilitator, panel=panel, name="start_learning")
    _materials_and_threads(panel, facilitator, members)
    _sessions(panel, officer, facilitator, members)
    panels.panel_move(actor=facilitator, panel=panel, name="start_voting")
    _adult_decisions(panel, officer, facilitator, members)
    return panel


def _materials_and_threads(panel, facilitator, members) -> None:
    panels.material_add(actor=facilitator, panel=panel, title="Food insecurity in Northshire",
                        summary="One in seven households skipped meals last winter. The need "
                                "is highest in the three most deprived wards.",
                        easy_read_summary="Many families do not have enough food.")
    panels.material_add(actor=facilitator, panel=panel, title="What the budget can pay for",
                        summary="£100,000 a year for up to three years, for services run by "
                                "local charities and social enterprises.")
    thread = panels.thread_start(actor=members[0], panel=panel, title="Reaching villages",
                                 body="How will people in the villages get to any of this?")
    panels.post_add(actor=members[1], thread=thread, body="The food bank van would help them.")


def _sessions(panel, officer, facilitator, members) -> None:
    now = timezone.now()
    attending = {person.pk for person in members[:12]}
    voting = list(panel.memberships.filter(role=PanelRole.MEMBER, status="active"))
    for days, title in ((28, "Welcome and the evidence"), (14, "Hearing from providers")):
        meeting = sessions.session_create(actor=facilitator, panel=panel, data={
            "title": title, "starts_at": now - datetime.timedelta(days=days),
            "ends_at": now - datetime.timedelta(days=days, hours=-2), "mode": "hybrid",
            "location": "County Hall, Committee Room 2",
            "online_link": "https://meet.example.org/food-futures", "agenda": "1. Welcome\n"
            "2. Evidence\n3. Questions\n4. Next steps"})
        sessions.attendance_record(actor=facilitator, session=meeting, statuses={
            m.pk: "present" if m.user_id in attending else "apologies" for m in voting})
        for i, person in enumerate(members[:4]):
            claim = sessions.claim_submit(
                actor=person, session=meeting, kind="honorarium", amount=Decimal("50.00"),
                description="", account_name=person.full_name, sort_code="30-94-57",
                account_number=f"{12345670 + i}")
            if days == 28:
                sessions.claim_decide(actor=officer, claim=claim, approve=True)
    sessions.payment_run_create(actor=officer, panel=panel)
    sessions.session_create(actor=facilitator, panel=panel, data={
        "title": "Deciding together", "starts_at": now + datetime.timedelta(days=7),
        "ends_at": now + datetime.timedelta(days=7, hours=2), "mode": "in_person",
        "location": "Northby Library", "online_link": "", "agenda": "Votes and next steps"})


def _vote_all(decision: Decision, members, contents) -> None:
    option_ids = [str(pk) for pk in decision.options.values_list("pk", flat=True)]
    for person, content in zip(members, contents, strict=False):
        decisions.ballot_cast(actor=person, decision=decision, content=content(option_ids))


def _adult_decisions(panel, officer, facilitator, members) -> None:
    base = {"quorum_percent": 50, "threshold_percent": 50}
    ranked = decisions.decision_create(actor=facilitator, panel=panel, options=[
        {"label": label, "easy_read_summary": summary, "reference": f"service-{i}"}
        for i, (label, summary) in enumerate(FOOD_OPTIONS)], data={
        **base, "title": "Which food service should be commissioned first?",
        "question": "Rank the services in the order you would commission them.",
        "method": "irv"})
    ranked = decisions.decision_open(actor=facilitator, decision=ranked)
    rng = random.Random(7)
    rankings = [rng.sample(range(4), 3) for _ in range(13)]
    _vote_all(ranked, members, [lambda o, r=r: {"ranking": [o[i] for i in r]}
                                for r in rankings])
    decisions.decision_close(actor=facilitator, decision=ranked)
    consent = decisions.decision_create(actor=facilitator, panel=panel, options=[
        {"label": "Adopt the draft service specification", "easy_read_summary":
         "Do you agree with the plan for the new food service?"}], data={
        **base, "title": "Adopt the draft service specification", "method": "consent",
        "question": "Do you consent to the draft specification going to market?",
        "threshold_percent": 75})
    consent = decisions.decision_open(actor=facilitator, decision=consent)
    choices = ["agree"] * 9 + ["abstain"] * 2 + ["disagree"]
    _vote_all(consent, members, [lambda o, c=c: {"choice": c} for c in choices])
    consent = decisions.decision_close(actor=facilitator, decision=consent)
    budget = decisions.decision_create(actor=facilitator, panel=panel, options=[
        {"label": label, "easy_read_summary": summary, "reference": f"application-{i + 1}",
         "cost": Decimal(cost)} for i, (label, summary, cost) in enumerate(APPLICATIONS)],
        data={**base, "title": "Community food grants: allocate £100,000",
              "question": "Approve every application you would fund.", "method": "budget",
              "budget": Decimal("100000")})
    budget = decisions.decision_open(actor=facilitator, decision=budget)
    approvals = [[0, 2], [0, 1], [1, 3], [0, 5], [2, 4], [1, 4], [0, 2, 4], [3, 5], [1, 2],
                 [4, 5], [0, 1, 2], [2, 3, 4], [5]]
    _vote_all(budget, members, [lambda o, a=a: {"approved": [o[i] for i in a]}
                                for a in approvals])
    budget = decisions.decision_close(actor=facilitator, decision=budget)
    response = decisions.response_publish(
        actor=officer, decision=budget, stance="accepted",
        text="The council accepts the panel's allocation in full. Grant agreements will be "
             "offered to the chosen applicants this month.")
    decisions.implementation_update_add(actor=officer, response=response, status="in_progress",
                                        note="Grant agreements sent to all chosen applicants.")
    decisions.response_publish(actor=officer, decision=consent, stance="accepted",
                               text="The specification goes to market as the panel agreed.")
    still_open = decisions.decision_create(actor=facilitator, panel=panel, options=[
        {"label": label, "easy_read_summary": summary} for label, summary in (
            ("Saturday mornings", "Meet on Saturdays, 10am to 12pm."),
            ("Weekday evenings", "Meet on weekdays, 6pm to 8pm."),
            ("Online only", "Meet online, any evening."))], data={
        **base, "title": "When should the panel meet next term?", "method": "approval",
        "question": "Choose every time you could come.", "min_choices": 1, "max_choices": 3})
    still_open = decisions.decision_open(actor=facilitator, decision=still_open)
    _vote_all(still_open, members[1:8], [lambda o: {"approved": [o[0]]}] * 7)


def young_panel() -> Panel | None:
    """The young commissioners' panel, drawn and in deliberation, ready to score (built once).

    The commissioning demo asks for it first: it delegates a tender's questions to it."""
    authority = Organisation.objects.filter(name=AUTHORITY).first()
    officer = User.objects.filter(email=OFFICER).first()
    if authority is None or officer is None:
        return None
    panel = Panel.objects.filter(authority=authority, title=YOUNG_PANEL).first()
    return panel or _young_panel(authority, officer, _account(*FACILITATOR))


def _young_panel(authority, officer, facilitator) -> Panel:
    panel = _panel(authority, officer, title=YOUNG_PANEL, size=8,
                   is_young=True, purpose="Young people help commission the new youth "
                   "service, as Sutton's and Central Bedfordshire's young commissioners do.",
                   remit="Score the answers to the youth mental health tender's questions "
                         "delegated to the panel, and say what matters most to young people.",
                   feeds_decision="Youth mental health early support service (NSH-2026-012), "
                                  "questions 1 and 2")
    panels.membership_appoint(actor=officer, panel=panel, user=facilitator,
                              role=PanelRole.FACILITATOR)
    recruitment.quotas_replace(actor=officer, panel=panel, rows=_quota_rows(YOUNG_QUOTAS))
    panels.panel_set_registration(actor=officer, panel=panel, open_=True)
    rng = random.Random(12)
    recruitment.pool_import(actor=officer, panel=panel, csv_bytes=_pool_csv(
        rng, 40, {"gender": ["girl", "boy"]}, ["12-13", "14-15", "16-18"], "youngvolunteer"))
    _draw(panel, officer, 5521, "A ball drawn from a bag of 9,999 at the youth forum.")
    _accept_all(panel, YOUNG, "youngcommissioner", guardian=True)
    panels.panel_move(actor=facilitator, panel=panel, name="start_learning")
    panels.panel_move(actor=facilitator, panel=panel, name="start_deliberation")
    return panel
