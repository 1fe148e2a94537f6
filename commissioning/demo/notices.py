"""Demo notices: a market engagement notice (UK2) for each project in engagement, and a direct
award under Schedule 5 (urgency) with its transparency notice (UK5), in its standstill.

The tenders' own notices (UK4, UK6, UK7, UK12) are issued by the lifecycle services the demo
runs. Idempotent: a project with a UK2 and an existing direct award reference are skipped.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from commissioning.demo import content as text
from commissioning.models import DirectAward, Notice, NoticeType, Project
from commissioning.services.direct_awards import (
    direct_award_create,
    direct_award_transparency_publish,
)
from commissioning.services.notices import planning_notice_publish

DIRECT_AWARD_REFERENCE = "NCC-DA-001"


def seed(cast) -> None:
    for project in Project.objects.filter(authority=cast.authority,
                                          status=Project.Status.ENGAGEMENT):
        if not Notice.objects.filter(project=project, notice_type=NoticeType.UK2).exists():
            planning_notice_publish(actor=cast.commissioner, notice_type=NoticeType.UK2,
                                    project=project)
    if DirectAward.objects.filter(authority=cast.authority,
                                  reference=DIRECT_AWARD_REFERENCE).exists():
        return
    today = timezone.localdate()
    award = direct_award_create(actor=cast.commissioner, authority=cast.authority, data={
        "reference": DIRECT_AWARD_REFERENCE,
        "title": "Emergency supported housing after a provider closure",
        "description": "Supported housing for 14 tenants whose provider closed, for 6 months "
                       "while the service is re-procured.",
        "supplier": cast.organisations[text.MUTUAL], "basis": DirectAward.Basis.SCHEDULE_5,
        "ground": DirectAward.Ground.URGENCY,
        "justification": "The previous provider entered administration with 7 days' notice; "
                         "14 tenants would lose their support. There is no time for a "
                         "competitive procedure, and the urgency was not caused by the "
                         "council.",
        "value_ex_vat": Decimal("185000.00"), "starts_on": today + timedelta(days=21),
        "ends_on": today + timedelta(days=21 + 182)})
    direct_award_transparency_publish(actor=cast.commissioner, award=award)
