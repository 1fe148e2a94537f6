"""The lifecycle of a tender. Services check their own business rules, then transition."""

from core.workflows import State, Transition, Workflow


def _authority_staff(actor, tender) -> bool:
    from organisations.models import AUTHORITY_ROLES
    from organisations.selectors import roles_of

    return bool(roles_of(user=actor, organisation=tender.authority) & AUTHORITY_ROLES)


TENDER = Workflow(
    name="tender",
    states=[
        State("draft", "Draft", "Draft", "grey"),
        State("published", "Open for bids", "Open for bids", "green"),
        State("opened", "Bids opened", "Closed: evaluating", "blue"),
        State("evaluation", "Evaluation", "Closed: evaluating", "blue"),
        State("awarding", "Award decision", "Closed: evaluating", "purple"),
        State("standstill", "Standstill", "Award intended", "yellow"),
        State("contracted", "Contract entered", "Awarded", "turquoise"),
        State("cancelled", "Procurement terminated", "Terminated", "red"),
    ],
    transitions=[
        Transition("publish", ("draft",), "published", "Publish tender", _authority_staff),
        Transition("open", ("published",), "opened", "Open bids", _authority_staff),
        Transition("start_evaluation", ("opened",), "evaluation", "Start evaluation",
                   _authority_staff),
        Transition("propose_award", ("evaluation",), "awarding", "Propose award",
                   _authority_staff),
        Transition("publish_award", ("awarding",), "standstill", "Publish contract award notice",
                   _authority_staff),
        Transition("enter_contract", ("standstill",), "contracted", "Enter into contract",
                   _authority_staff),
        Transition("cancel", ("draft", "published", "opened", "evaluation", "awarding",
                              "standstill"), "cancelled", "Terminate procurement",
                   _authority_staff, requires_reason=True),
    ],
)
