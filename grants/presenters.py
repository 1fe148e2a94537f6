"""What the grants templates show: labels, tags, plain-words summaries, available actions."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from core.clock import format_deadline
from core.money import format_gbp
from grants import answers as answer_rules
from grants.eligibility import LEGAL_FORMS, rules_for
from grants.selectors.rounds import open_stage, stage_deadline
from grants.workflows import APPLICATION, AWARD, REPORT, ROUND


def tag(workflow, value: str, public: bool = False) -> dict:
    state = workflow.state(value)
    return {"text": state.public_label if public else state.staff_label, "colour": state.colour}


def round_public_tag(round_, now=None) -> dict:
    now = now or timezone.now()
    stage = open_stage(round_, now)
    if stage == "eoi":
        return {"text": "Open for expressions of interest", "colour": "green"}
    if stage == "full":
        return {"text": "Open" if not round_.is_two_stage else "Full applications (invited)",
                "colour": "green"}
    if round_.status == "published" and round_.opens_at and now < round_.opens_at:
        return {"text": "Opening soon", "colour": "blue"}
    return {"text": "Closed", "colour": "grey"}


def round_rows(page) -> list[dict]:
    now = timezone.now()
    return [{"round": r, "url": reverse("grants:round_detail", args=[r.pk]),
             "tag": round_public_tag(r, now),
             "amounts": f"{format_gbp(r.min_amount)} to {format_gbp(r.max_amount)}"}
            for r in page]


class RoundPresenter:
    def __init__(self, round_, user) -> None:
        self.round, self.user = round_, user
        self.now = timezone.now()
        self.stage = open_stage(round_, self.now)

    @property
    def tag(self) -> dict:
        return round_public_tag(self.round, self.now)

    def who_can_apply(self) -> list[str]:
        """The round's eligibility rules, as sentences."""
        r, said = self.round, []
        if r.eligible_legal_forms:
            said.append("Organisations that are: " + ", ".join(
                LEGAL_FORMS.get(v, v).lower() for v in r.eligible_legal_forms) + ".")
        if r.eligible_postcode_areas:
            said.append(f"Work in postcode areas {', '.join(r.eligible_postcode_areas)}.")
        if r.max_annual_income is not None:
            said.append(f"An annual income of {format_gbp(r.max_annual_income)} or less.")
        if r.require_registration:
            said.append("Registered with the Charity Commission, Companies House, OSCR or "
                        "the FCA.")
        if r.max_live_grants is not None:
            said.append(f"Holding no more than {r.max_live_grants} live grants from this "
                        "programme.")
        said.append(f"Grants from {format_gbp(r.min_amount)} to {format_gbp(r.max_amount)}.")
        if r.kind == "closed":
            said.append("By invitation only.")
        return said

    def deadlines(self) -> list[dict]:
        r = self.round
        rows = []
        if r.opens_at:
            rows.append({"key": "Opens", "value": format_deadline(r.opens_at)})
        if r.closes_at:
            label = "Expressions of interest close" if r.is_two_stage else "Closes"
            rows.append({"key": label, "value": format_deadline(r.closes_at)})
        if r.is_two_stage and r.full_closes_at:
            rows.append({"key": "Invited full applications close",
                         "value": format_deadline(r.full_closes_at)})
        rows.append({"key": "Type of funding", "value": r.get_instrument_display()})
        rows.append({"key": "Funder", "value": r.programme.authority.name})
        return rows

    @property
    def has_precheck(self) -> bool:
        return bool(rules_for(self.round))

    @property
    def can_apply(self) -> bool:
        return self.stage is not None


def task_list(application, sections, answers) -> list[dict]:
    """The applicant's task list: organisation, project details, each section, submit."""
    pk = application.pk
    details_done = bool(application.project_title and application.project_summary
                        and application.amount_requested is not None)
    items = [
        {"title": "Your organisation", "href": reverse("grants:application_organisation",
                                                       args=[pk]),
         "hint": "From your organisation profile: you do not type it again.",
         "status": "Completed"},
        _item("About your project", reverse("grants:application_details", args=[pk]),
              details_done, started=bool(application.project_title)),
    ]
    for index, (section, questions) in enumerate(sections, 1):
        problems = [p for q in questions for p in answer_rules.problems(q, answers.get(q.pk))]
        started = any(q.pk in answers for q in questions)
        items.append(_item(section, reverse("grants:application_section", args=[pk, index]),
                           not problems, started=started))
    return items


def _item(title, href, done, *, started) -> dict:
    if done:
        return {"title": title, "href": href, "status": "Completed"}
    return {"title": title, "href": href, "status": "In progress" if started else "Not started",
            "status_colour": "light-blue" if started else "blue"}


def deadline_text(application) -> str:
    deadline = stage_deadline(application.round, application.stage)
    return format_deadline(deadline) if deadline else ""


def application_tag(application, public: bool = True) -> dict:
    return tag(APPLICATION, application.status, public)


def award_tag(award) -> dict:
    return tag(AWARD, award.status)


def report_tag(report) -> dict:
    overdue = report.status in ("due", "returned") and report.due_on < timezone.localdate()
    if overdue:
        return {"text": "Overdue", "colour": "red"}
    return tag(REPORT, report.status)


def round_tag(round_) -> dict:
    return tag(ROUND, round_.status)
