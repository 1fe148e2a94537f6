"""Citizen-commissioner panels: the space, its pool and lottery, its meetings and its votes."""

from citizens.models.decisions import (
    Ballot,
    Criterion,
    Decision,
    DecisionOption,
    ImplementationUpdate,
    NamedVote,
    OfficialResponse,
    PaperBallotEntry,
    VoterRollEntry,
)
from citizens.models.panels import (
    Material,
    Panel,
    PanelMembership,
    PanelRole,
    Post,
    Thread,
)
from citizens.models.recruitment import PoolEntry, Quota, SensitiveAnswers
from citizens.models.selection import SelectionRun
from citizens.models.sessions import Attendance, ExpenseClaim, PanelSession, PaymentRun

__all__ = [
    "Attendance", "Ballot", "Criterion", "Decision", "DecisionOption", "ExpenseClaim",
    "ImplementationUpdate", "Material", "NamedVote", "OfficialResponse", "PaperBallotEntry",
    "Panel", "PanelMembership", "PanelRole", "PanelSession", "PaymentRun", "PoolEntry", "Post",
    "Quota", "SelectionRun", "SensitiveAnswers", "Thread", "VoterRollEntry",
]
