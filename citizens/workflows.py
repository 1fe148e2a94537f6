"""The panel's lifecycle through the phase registry, as a core workflow on ``Panel.phase``."""

from citizens import phases
from core.workflows import State, Transition, Workflow


def _runs_panel(actor, panel) -> bool:
    from citizens.rules import can_manage_panel

    return bool(can_manage_panel.test(actor, panel))


def _has_members(panel) -> str | None:
    from citizens.models import PanelMembership
    from citizens.models.panels import VOTING_ROLES

    active = PanelMembership.objects.filter(
        panel=panel, role__in=VOTING_ROLES, status=PanelMembership.Status.ACTIVE).exists()
    return None if active else "The panel has no members who have accepted their place yet."


PANEL = Workflow(
    name="citizens_panel",
    field_name="phase",
    states=[State(p.key, p.label, p.label, p.colour) for p in phases.all_phases()],
    transitions=[
        Transition("start_learning", ("recruitment",), "learning", "Start the learning phase",
                   _runs_panel, guards=(_has_members,)),
        Transition("start_deliberation", ("learning",), "deliberation",
                   "Start deliberation", _runs_panel),
        Transition("start_voting", ("learning", "deliberation"), "voting", "Start voting",
                   _runs_panel),
        Transition("return_to_deliberation", ("voting",), "deliberation",
                   "Return to deliberation", _runs_panel, requires_reason=True),
        Transition("start_response", ("voting", "deliberation"), "response",
                   "Hand over for the authority's response", _runs_panel),
    ],
)
