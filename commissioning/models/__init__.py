"""Commissioning data, one module per stage: pipeline, tenders, bids, evaluation, awards, OCDS."""

from commissioning.models.awards import AssessmentSummary, Award, Contract, ContractKpi
from commissioning.models.bids import Bid, BidFile, BidReceipt, ConsortiumMember
from commissioning.models.evaluation import (
    AwardCriterion,
    CitizensDelegation,
    ConflictDeclaration,
    DelegatedAnswerSummary,
    ModeratedScore,
    Opening,
    ScaleDescriptor,
    Score,
    TenderEvaluator,
)
from commissioning.models.notices import (
    ContractChange,
    DirectAward,
    EngagementNoticeReason,
    KpiRating,
    Notice,
    NoticeType,
)
from commissioning.models.pipeline import (
    CitizenComment,
    EngagementEvent,
    MarketQuestion,
    MarketResponse,
    Project,
)
from commissioning.models.publication import Release
from commissioning.models.reference import CpvCode
from commissioning.models.reminders import BidDeadlineReminder
from commissioning.models.searches import SavedSearch, TenderAlert
from commissioning.models.stages import (
    CriteriaRefinement,
    DialogueMeeting,
    ProcedureStage,
    ShortlistEntry,
    StagedProcedure,
    SubmissionSupplierInformation,
    SupplierInformation,
)
from commissioning.models.tenders import (
    AuthorityProcurementSettings,
    Clarification,
    ConflictsAssessment,
    DeadlineChange,
    DocumentSlot,
    Lot,
    SupplierInterest,
    Tender,
    TenderCpv,
    TenderDocument,
    TenderKey,
    TenderQuestion,
)

__all__ = [
    "CitizensDelegation",
    "DelegatedAnswerSummary",
    "CpvCode", "SavedSearch", "TenderAlert",
    "AssessmentSummary", "AuthorityProcurementSettings", "Award", "AwardCriterion", "Bid",
    "BidDeadlineReminder", "BidFile", "BidReceipt", "CitizenComment", "Clarification",
    "ConflictDeclaration", "ConflictsAssessment", "ConsortiumMember", "Contract",
    "ContractChange", "ContractKpi", "DeadlineChange", "DirectAward", "DocumentSlot",
    "EngagementNoticeReason", "KpiRating", "Notice", "NoticeType", "EngagementEvent", "Lot",
    "MarketQuestion", "MarketResponse",
    "ModeratedScore", "Opening", "Project", "Release", "ScaleDescriptor", "Score",
    "SupplierInterest", "Tender", "TenderCpv", "TenderDocument", "TenderEvaluator", "TenderKey",
    "TenderQuestion",
    "CriteriaRefinement", "DialogueMeeting", "ProcedureStage", "ShortlistEntry", "StagedProcedure",
    "SubmissionSupplierInformation", "SupplierInformation",
]
