"""The verification lifecycle of a provider organisation."""

from core.workflows import State, Transition, Workflow
from organisations.rules import is_org_admin, is_platform_admin

VERIFICATION = Workflow(
    name="organisation_verification",
    field_name="verification_status",
    states=[
        State("pending", "Awaiting verification", "Awaiting verification", "blue"),
        State("verified", "Verified", "Verified", "green"),
        State("rejected", "Rejected", "Not verified", "red"),
    ],
    transitions=[
        Transition(
            name="verify", sources=("pending",), target="verified",
            label="Verify organisation", allowed=is_platform_admin,
        ),
        Transition(
            name="reject", sources=("pending",), target="rejected",
            label="Reject organisation", allowed=is_platform_admin, requires_reason=True,
        ),
        Transition(
            name="resubmit", sources=("rejected",), target="pending",
            label="Send for verification again", allowed=is_org_admin,
        ),
    ],
)
