"""The grants data model, one module per part of the lifecycle."""

from grants.models.applications import Answer, Application, ApplicationReceipt
from grants.models.assessment import (
    Assessment,
    AssessorAssignment,
    ConflictDeclaration,
    CriterionScore,
    Moderation,
    PanelDecision,
)
from grants.models.awards import (
    Agreement,
    Award,
    DueDiligenceCheck,
    OfferCondition,
    Repayment,
    RepaymentTerms,
)
from grants.models.govs015 import RuleResult
from grants.models.monitoring import (
    AnnualReview,
    AwardMeasure,
    MeasureResult,
    MonitoringReport,
    Variation,
)
from grants.models.payments import Instalment, Recovery
from grants.models.programmes import (
    Criterion,
    FundingContribution,
    Instrument,
    InvitedOrganisation,
    Programme,
    Question,
    Round,
    Stage,
)

__all__ = [
    "Agreement", "AnnualReview", "Answer", "Application", "ApplicationReceipt", "Assessment",
    "AssessorAssignment", "Award", "AwardMeasure", "ConflictDeclaration", "Criterion",
    "CriterionScore", "DueDiligenceCheck", "FundingContribution", "Instalment", "Instrument",
    "InvitedOrganisation", "MeasureResult", "Moderation", "MonitoringReport", "OfferCondition",
    "PanelDecision", "Programme", "Question", "Recovery", "Repayment", "RepaymentTerms",
    "Round", "RuleResult", "Stage", "Variation",
]
