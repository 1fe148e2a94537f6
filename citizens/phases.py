"""The phases a panel moves through, each declaring the actions it allows. One registry.

Permissions ask ``phase_allows(action)`` (see ``citizens.rules``), so what a member can do
now follows from the panel's phase and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

COMMENT, SCORE, VOTE = "comment", "score", "vote"
ACTIONS = {COMMENT: "Discuss in threads", SCORE: "Score options", VOTE: "Vote"}


@dataclass(frozen=True)
class Phase:
    key: str
    label: str
    description: str
    actions: frozenset[str]
    colour: str


_registry: dict[str, Phase] = {}


def register(phase: Phase) -> Phase:
    _registry[phase.key] = phase
    return phase


def get(key: str) -> Phase:
    return _registry[key]


def all_phases() -> list[Phase]:
    return list(_registry.values())


def choices() -> list[tuple[str, str]]:
    return [(phase.key, phase.label) for phase in _registry.values()]


def allows(key: str, action: str) -> bool:
    phase = _registry.get(key)
    return phase is not None and action in phase.actions


RECRUITMENT = register(Phase(
    "recruitment", "Recruitment",
    "The pool is open and the panel is being drawn by lottery.", frozenset(), "blue"))
LEARNING = register(Phase(
    "learning", "Learning",
    "Members read the materials, hear from witnesses and ask questions.",
    frozenset({COMMENT}), "turquoise"))
DELIBERATION = register(Phase(
    "deliberation", "Deliberation",
    "Members discuss the options and score what is delegated to them.",
    frozenset({COMMENT, SCORE}), "purple"))
VOTING = register(Phase(
    "voting", "Voting", "Members vote on the panel's decisions.",
    frozenset({COMMENT, SCORE, VOTE}), "orange"))
RESPONSE = register(Phase(
    "response", "Response",
    "The panel has decided; the authority responds and reports on what it does.",
    frozenset(), "green"))


def action_for_method(method: str) -> str:
    """Scoring delegated questions is 'score'; every other ballot is a 'vote'."""
    return SCORE if method == "score" else VOTE
