"""What project pages may offer the user: manage, respond to the market, comment."""

from __future__ import annotations

import rules
from django.utils import timezone

from commissioning.models import Project
from commissioning.permissions.tenders import is_verified_provider_member


def project_actions(user, project: Project) -> dict:
    return {
        "can_manage": user.has_perm("commissioning.manage_project", project),
        "can_create_tender": rules.has_perm("commissioning.create_tender", user,
                                            project.authority),
        "can_comment": user.has_perm("commissioning.comment_on_project", project),
        "can_respond": (project.status == Project.Status.ENGAGEMENT and project.is_public
                        and is_verified_provider_member.test(user)),
        "now": timezone.now(),
    }
