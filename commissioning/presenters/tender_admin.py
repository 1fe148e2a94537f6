"""What the commissioner's tender overview shows: a task list with the status of each part."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse

from commissioning import light_touch
from commissioning.models import Tender
from commissioning.presenters.tenders import cpv_text, optional_url, staff_tag
from commissioning.services.tenders import criteria_problems, publication_review
from core.templatetags.govuk import gbp, govuk_date


def _status(done: bool, optional: bool = False) -> dict:
    if done:
        return {"status": "Completed"}
    if optional:
        return {"status": "Optional", "status_colour": "grey"}
    return {"status": "Incomplete", "status_colour": "blue"}


@dataclass
class TenderAdminPresenter:
    tender: Tender
    user: object

    @property
    def tag(self) -> dict:
        return staff_tag(self.tender)

    @cached_property
    def is_draft(self) -> bool:
        return self.tender.status == Tender.Status.DRAFT

    @cached_property
    def light_touch(self) -> dict:
        """Why the contract is (or is not) light touch, from its CPV codes."""
        assessment = light_touch.assess_tender(self.tender)
        differs = (not self.is_draft and assessment.main is not None
                   and assessment.is_light_touch != self.tender.is_light_touch)
        recorded = "light touch" if self.tender.is_light_touch else "not light touch"
        return {"assessment": assessment, "consequences": light_touch.consequences(assessment),
                "recorded": (f"This tender was published as {recorded}, before the portal "
                             "derived it from the CPV codes: it keeps the rules it was "
                             "published under." if differs else "")}

    @cached_property
    def can_manage(self) -> bool:
        return self.user.has_perm("commissioning.manage_tender", self.tender)

    def _url(self, name: str) -> str:
        return reverse(f"commissioning:{name}", args=[self.tender.pk])

    @cached_property
    def tasks(self) -> list[dict]:
        t = self.tender
        criteria_url = optional_url("commissioning:criteria", t.pk)
        items = [
            ("Describe the contract", "tender_edit", True, False),
            ("Set the timeline", "tender_timeline",
             t.deadline is not None and t.questions_deadline is not None, False),
            ("Add CPV codes", "tender_cpv", t.cpv_codes.exists(), False),
            ("Divide into lots", "tender_lots", t.lots.exists(), True),
            ("Add tender documents", "tender_documents", t.documents.exists(), True),
            ("Set questions and documents for bidders", "tender_questions",
             t.questions.exists() or t.document_slots.exists(), False),
            ("Design social value", "tender_social_value",
             t.social_value_plan_id is not None and not self._social_value_problems(), True),
            ("Prepare the conflicts assessment", "tender_conflicts",
             t.conflicts_assessments.exists(), False),
        ]
        rows = [{"title": title, "href": self._url(name), **_status(done, optional)}
                for title, name, done, optional in items]
        rows.insert(6, {"title": "Set the award criteria", "href": criteria_url,
                        **_status(not criteria_problems(t)),
                        "hint": "" if criteria_url else "Set in the evaluation screens."})
        return rows

    def _social_value_problems(self) -> list[str]:
        from commissioning.services.tender_social_value import social_value_review

        return social_value_review(self.tender)[0]

    @cached_property
    def review(self):
        return publication_review(self.tender)

    @property
    def rows(self) -> list[dict]:
        t = self.tender
        return [{"key": k, "value": v} for k, v in (
            ("Reference", t.reference), ("Status", staff_tag(t)["text"]),
            ("Procedure", t.get_procedure_display()),
            ("Estimated value", f"{gbp(t.estimated_value_ex_vat)} excluding VAT, "
                                f"{gbp(t.estimated_value_inc_vat)} including VAT"),
            ("CPV codes", cpv_text(t)),
            ("Questions close", govuk_date(t.questions_deadline, True) or "Not set"),
            ("Deadline for bids", govuk_date(t.deadline, True) or "Not set"),
            ("OCID", t.ocid or "Given at publication"),
        )]

    @property
    def links(self) -> list[dict]:
        """The evaluation and award screens that apply at the tender's stage."""
        stage = ["draft", "published", "opened", "evaluation", "awarding", "standstill",
                 "contracted"]
        reached = stage.index(self.tender.status) if self.tender.status in stage else -1
        candidates = [("Award criteria", "commissioning:criteria", 0),
                      ("Evaluation panel", "commissioning:panel", 1),
                      ("Opening of bids", "commissioning:opening", 1),
                      ("Evaluation", "commissioning:evaluation", 2),
                      ("Ranking", "commissioning:ranking", 3),
                      ("Award", "commissioning:award_start", 3)]
        return [{"label": label, "href": reverse(name, args=[self.tender.pk])}
                for label, name, from_stage in candidates if reached >= from_stage]
