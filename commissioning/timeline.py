"""Tendering-period rules (Procurement Act 2023 s.54), as a table checked in one place.

`timeline_check` answers, for a proposed timetable, which rule applies, its minimum period, the
errors that block publication and the warnings a commissioner should read. Periods are counted
in whole days from the moment of publication to the submission deadline. There is no maximum.

- Above threshold: 25 days minimum where tenders are submitted electronically and all documents
  are available at publication (always so on this portal). 10 days only with a recorded reason:
  a qualifying planned procurement notice (published 40 days to 1 year before), a state of
  urgency, or a light-touch contract.
- Below threshold: a "reasonable" period; under 10 days is allowed but warned about.
- Choosing exactly the minimum is allowed, with a warning naming the s.54(1) factors and the
  s.12(4) duty towards small and medium-sized enterprises.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from core.calendar import working_days_between

S54_FACTORS = (
    "the nature and complexity of the contract",
    "any need for site visits or inspections",
    "any need for subcontracting",
    "the complexity of any changes to the notice or documents",
    "the importance of avoiding unnecessary delay",
)
SME_DUTY = (
    "Small and medium-sized enterprises and voluntary organisations may face particular "
    "barriers to taking part, such as short timescales; consider whether they can be removed "
    "or reduced (Procurement Act 2023, section 12(4))."
)
SHORT_PERIOD_BASES = (
    ("qualifying_planned_notice",
     "A qualifying planned procurement notice was published 40 days to 1 year ago"),
    ("urgency", "A state of urgency makes the usual period impractical"),
    ("light_touch", "The contract is a light-touch contract"),
)
QUESTIONS_MARGIN_WORKING_DAYS = 2


@dataclass(frozen=True)
class Timetable:
    above_threshold: bool
    is_light_touch: bool
    short_period_reason: str
    starts_at: datetime.datetime
    questions_deadline: datetime.datetime | None
    deadline: datetime.datetime | None

    @property
    def has_reduction_basis(self) -> bool:
        return self.is_light_touch or bool(self.short_period_reason.strip())


@dataclass(frozen=True)
class PeriodRule:
    key: str
    applies: Callable[[Timetable], bool]
    minimum_days: int
    binding: bool  # False: falling short is a warning, not an error
    description: str


RULES: tuple[PeriodRule, ...] = (
    PeriodRule("above_reduced", lambda t: t.above_threshold and t.has_reduction_basis, 10, True,
               "10 days: above threshold with a recorded reason for a shorter period"),
    PeriodRule("above_standard", lambda t: t.above_threshold, 25, True,
               "25 days: above threshold, electronic submission, all documents at publication"),
    PeriodRule("below_threshold", lambda t: not t.above_threshold, 10, False,
               "A reasonable period: below threshold (we advise at least 10 days)"),
)


@dataclass
class TimelineCheck:
    rule: PeriodRule | None = None
    period_days: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)


def rule_for(timetable: Timetable) -> PeriodRule:
    return next(rule for rule in RULES if rule.applies(timetable))


def timeline_check(timetable: Timetable) -> TimelineCheck:
    """Errors (by form field) and warnings for a timetable; see the module docstring."""
    check = TimelineCheck(rule=rule_for(timetable))
    if timetable.deadline is None:
        check.add_error("deadline", "Enter the deadline for bids.")
        return check
    if timetable.deadline <= timetable.starts_at:
        check.add_error("deadline", "The deadline for bids must be in the future.")
        return check
    check.period_days = (timetable.deadline - timetable.starts_at).days
    _check_period(timetable, check)
    _check_questions(timetable, check)
    return check


def minimum_warning(days: int) -> str:
    factors = "; ".join(S54_FACTORS)
    return (f"You have chosen the minimum tendering period of {days} days. Check it is long "
            f"enough, having regard to {factors} (section 54(1)). {SME_DUTY}")


def _check_period(timetable: Timetable, check: TimelineCheck) -> None:
    rule, days = check.rule, check.period_days
    if days < rule.minimum_days and rule.binding:
        check.add_error("deadline", _too_short(timetable, rule))
    elif days < rule.minimum_days:
        check.warnings.append(
            f"The tendering period is only {days} day{'s' if days != 1 else ''}. Below "
            f"threshold the period must be reasonable: we advise at least {rule.minimum_days} "
            f"days. {SME_DUTY}")
    elif days == rule.minimum_days:
        check.warnings.append(minimum_warning(days))


def _too_short(timetable: Timetable, rule: PeriodRule) -> str:
    if rule.key == "above_standard":
        return ("The deadline must be at least 25 days after publication for an above-threshold "
                "tender. A period of 10 days is allowed only with a recorded reason: a qualifying "
                "planned procurement notice, urgency, or a light-touch contract.")
    return "The deadline must be at least 10 days after publication, even with a reason."


def _check_questions(timetable: Timetable, check: TimelineCheck) -> None:
    questions, deadline = timetable.questions_deadline, timetable.deadline
    if questions is None:
        check.add_error("questions_deadline", "Enter the deadline for clarification questions.")
        return
    if questions >= deadline:
        check.add_error("questions_deadline",
                        "The deadline for questions must be before the deadline for bids.")
    elif questions <= timetable.starts_at:
        check.add_error("questions_deadline", "The deadline for questions must be in the future.")
    elif working_days_between(questions, deadline) < QUESTIONS_MARGIN_WORKING_DAYS:
        check.warnings.append(
            "Questions close less than 2 working days before the deadline for bids: leave time "
            "to publish answers to every supplier before bids are due.")
