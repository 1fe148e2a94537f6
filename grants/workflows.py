"""Lifecycles of rounds, applications, awards and monitoring reports (see core.workflows).

Business checks that need more than the row (GovS 015 rules, eligibility, the deadline) live
in the services, which call `transition` once they pass.
"""

from __future__ import annotations

from core.workflows import State, Transition, Workflow
from grants.rules import is_applicant_member, manages


def _system(actor, obj) -> bool:
    """Moves made by the services on behalf of a checked actor."""
    return True


def _round_has_criteria(round_) -> str | None:
    if round_.kind == "direct":
        return None
    if not round_.criteria.exists():
        return "Add at least one assessment criterion."
    if sum(round_.criteria.values_list("weight", flat=True)) != 100:
        return "The criteria's weights must add up to 100%."
    return None


def _round_has_questions(round_) -> str | None:
    if round_.kind == "direct":
        return None
    stages = set(round_.questions.values_list("stage", flat=True))
    if round_.is_two_stage and "eoi" not in stages:
        return "Add the expression of interest questions."
    if "full" not in stages:
        return "Add the application form's questions."
    return None


def _round_has_dates(round_) -> str | None:
    if round_.kind == "direct":
        return None
    if not (round_.opens_at and round_.closes_at):
        return "Set when the round opens and closes."
    if round_.is_two_stage and (not round_.full_closes_at
                                or round_.full_closes_at <= round_.closes_at):
        return "Set a full application deadline after the expression of interest deadline."
    return None


ROUND = Workflow(
    name="grant_round",
    states=[
        State("draft", "Draft", "Draft", "grey"),
        State("published", "Published", "Open", "green"),
        State("assessment", "In assessment", "Closed: in assessment", "blue"),
        State("panel", "At panel", "Closed: at panel", "purple"),
        State("decided", "Decisions made", "Decisions made", "turquoise"),
        State("cancelled", "Cancelled", "Cancelled", "red"),
    ],
    transitions=[
        Transition("publish", ("draft",), "published", "Publish the round", manages,
                   guards=(_round_has_criteria, _round_has_questions, _round_has_dates)),
        Transition("start_assessment", ("published",), "assessment", "Start assessment",
                   manages),
        Transition("to_panel", ("assessment",), "panel", "Send to panel", manages),
        Transition("decide", ("panel",), "decided", "Close the panel", manages),
        Transition("cancel", ("draft", "published", "assessment"), "cancelled",
                   "Cancel the round", manages, requires_reason=True),
    ],
)

APPLICATION = Workflow(
    name="grant_application",
    states=[
        State("draft", "Draft", "Not submitted yet", "grey"),
        State("submitted", "Submitted", "Submitted", "blue"),
        State("withdrawn", "Withdrawn", "Withdrawn", "grey"),
        State("ineligible", "Not eligible", "Not eligible", "red"),
        State("eligible", "In assessment", "Being assessed", "light-blue"),
        State("invited", "Invited to apply in full", "Invited to apply in full", "green"),
        State("not_invited", "Not invited", "Not taken forward", "red"),
        State("successful", "Successful", "Successful", "green"),
        State("unsuccessful", "Unsuccessful", "Unsuccessful", "red"),
    ],
    transitions=[
        Transition("submit", ("draft",), "submitted", "Submit the application", _system),
        Transition("withdraw", ("draft", "submitted"), "withdrawn", "Withdraw the application",
                   is_applicant_member),
        Transition("screen_in", ("submitted",), "eligible", "Mark as eligible", manages),
        Transition("screen_out", ("submitted",), "ineligible", "Mark as not eligible", manages,
                   requires_reason=True),
        Transition("invite", ("eligible",), "invited", "Invite a full application", _system),
        Transition("not_invite", ("eligible",), "not_invited", "Do not invite", _system),
        Transition("succeed", ("eligible",), "successful", "Approve funding", _system),
        Transition("fail", ("eligible",), "unsuccessful", "Decline funding", _system),
    ],
)

AWARD = Workflow(
    name="grant_award",
    states=[
        State("offered", "Offered", "Offered", "blue"),
        State("live", "Live", "Live", "green"),
        State("closed", "Closed", "Closed", "grey"),
        State("declined", "Offer declined", "Offer declined", "red"),
        State("withdrawn", "Offer withdrawn", "Offer withdrawn", "red"),
    ],
    transitions=[
        Transition("accept", ("offered",), "live", "Accept the agreement", _system),
        Transition("decline", ("offered",), "declined", "Decline the offer", _system,
                   requires_reason=True),
        Transition("withdraw", ("offered",), "withdrawn", "Withdraw the offer", manages,
                   requires_reason=True),
        Transition("close", ("live",), "closed", "Close the grant", _system),
    ],
)

REPORT = Workflow(
    name="grant_report",
    states=[
        State("due", "Due", "Due", "blue"),
        State("submitted", "Submitted", "Submitted", "light-blue"),
        State("accepted", "Accepted", "Accepted", "green"),
        State("returned", "Returned for changes", "Returned for changes", "orange"),
    ],
    transitions=[
        Transition("submit", ("due", "returned"), "submitted", "Submit the report", _system),
        Transition("accept", ("submitted",), "accepted", "Accept the report", _system),
        Transition("return", ("submitted",), "returned", "Return the report", _system,
                   requires_reason=True),
    ],
)
