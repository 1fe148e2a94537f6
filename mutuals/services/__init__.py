"""Mutuals services: evidence and recognition; support applications and plans."""

from mutuals.services.recognition import (  # noqa: F401
    PROFILE_FIELDS,
    RULES_POLICY,
    declared_contract_add,
    declared_contract_remove,
    definition_version_create,
    definitions_install_first_versions,
    profile_save,
    recognition_assess,
    recognition_decide,
    recognition_request,
    recognition_withdraw,
    social_value_entry_remove,
    social_value_entry_save,
)
from mutuals.services.support import (  # noqa: F401
    advice_day_log,
    advice_day_review,
    adviser_allocate,
    application_decide,
    application_save,
    application_start,
    application_submit,
    application_withdraw,
    assessment_declare,
    assessment_score,
    milestone_evidence_submit,
    milestone_review,
    subsidy_add,
    subsidy_remove,
    support_grant_make,
)
