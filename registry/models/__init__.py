"""All models, importable from one place (Alembic and the app load this module)."""

from registry.models.account import ApiToken, FailedLogin, Notice
from registry.models.appraisal import AgreedAppraisal, StudyAppraisal
from registry.models.audit import AuditEvent, AuditTrailIsAppendOnly
from registry.models.coding import CodedFinding, FindingAdjudication, FindingCoding
from registry.models.content import ContentGeneration
from registry.models.crosswalk import ExternalRating
from registry.models.decision import (
    AssessmentRound,
    DecisionVote,
    DomainRating,
    EvidenceDecision,
    OutcomeRating,
    PanelMember,
)
from registry.models.experience import PracticeExperience
from registry.models.guide import Guide, GuideVersion
from registry.models.imports import ImportBatch, ImportBatchItem, PendingDuplicate
from registry.models.intervention import Intervention, InterventionVersion
from registry.models.nomination import Nomination
from registry.models.organisation import Organisation
from registry.models.procedure import (
    Assessment,
    AssessmentScore,
    ConflictDeclaration,
    RoundAdvice,
    RoundComment,
    ScreeningReview,
    Submission,
)
from registry.models.reminder import DecisionReminder
from registry.models.saved_profile import ProfileDigest, SavedProfile
from registry.models.search_change import SearchChange, SearchReplica, SearchReplicaApplied
from registry.models.study import Finding, InterventionStudy, Study, StudyAuthor
from registry.models.usage import UsageCount
from registry.models.user import User, UserExpertise, UserRole
from registry.models.vocabulary import VocabularyRelease, VocabularyTerm

__all__ = [
    "ContentGeneration",
    "Guide",
    "GuideVersion",
    "ProfileDigest",
    "SavedProfile",
    "UsageCount",
    "ExternalRating",
    "PracticeExperience",
    "AgreedAppraisal",
    "StudyAppraisal",
    "ApiToken",
    "CodedFinding",
    "FindingAdjudication",
    "FindingCoding",
    "Assessment",
    "AssessmentScore",
    "ConflictDeclaration",
    "FailedLogin",
    "Nomination",
    "Notice",
    "RoundAdvice",
    "RoundComment",
    "ScreeningReview",
    "Submission",
    "AssessmentRound",
    "AuditEvent",
    "AuditTrailIsAppendOnly",
    "DecisionReminder",
    "DecisionVote",
    "EvidenceDecision",
    "Finding",
    "ImportBatch",
    "ImportBatchItem",
    "PendingDuplicate",
    "Intervention",
    "InterventionStudy",
    "InterventionVersion",
    "Organisation",
    "SearchChange",
    "SearchReplica",
    "SearchReplicaApplied",
    "DomainRating",
    "OutcomeRating",
    "PanelMember",
    "Study",
    "StudyAuthor",
    "User",
    "UserExpertise",
    "UserRole",
    "VocabularyRelease",
    "VocabularyTerm",
]
