"""Mutuals models: evidence, definitions and recognition; support applications and plans."""

from mutuals.models.evidence import (  # noqa: F401
    PERCENT,
    DeclaredReservedContract,
    Definition,
    MutualProfile,
    MutualService,
    Recognition,
    Region,
    Sector,
    SocialValueProfileEntry,
)
from mutuals.models.support import (  # noqa: F401
    AdviceDay,
    Adviser,
    AdviserAllocation,
    Milestone,
    SubsidyDeclaration,
    SupportApplication,
    SupportAssessment,
    SupportPlan,
    SupportScheme,
)
