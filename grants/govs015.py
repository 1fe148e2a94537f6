"""The Grants Functional Standard (GovS 015) minimum requirements as named rules.

Rules are evaluated at four transitions: publishing a round, making an award, releasing a
payment and closing a grant. A rule passes or fails. A failed "shall" stops the transition; a
failed "should" proceeds only with a recorded justification (comply or explain). Every result
is kept as a `RuleResult`, shown in the programme's compliance report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from core.money import format_gbp
from grants.models import RuleResult

APPROVAL_THRESHOLD = Decimal("100000")
PUBLISH_ROUND, MAKE_AWARD, RELEASE_PAYMENT, CLOSE_GRANT = (
    "publish_round", "make_award", "release_payment", "close_grant")
TRANSITION_LABELS = {PUBLISH_ROUND: "Publish a round", MAKE_AWARD: "Make an award",
                     RELEASE_PAYMENT: "Release a payment", CLOSE_GRANT: "Close a grant"}


@dataclass(frozen=True)
class Rule:
    id: str
    requirement: str
    level: str  # "shall" or "should"
    title: str
    check: Callable[[object], str | None]  # None when met, else what is missing


@dataclass(frozen=True)
class Outcome:
    rule: Rule
    problem: str | None

    @property
    def passed(self) -> bool:
        return self.problem is None


class JustificationNeeded(ValidationError):
    """A "should" is not met: the transition needs a recorded explanation for each rule."""

    def __init__(self, outcomes: list[Outcome]) -> None:
        self.outcomes = outcomes
        super().__init__([f"{o.rule.title}: {o.problem} Explain why, or fix it first."
                          for o in outcomes], code="justification_needed")


class RequirementNotMet(ValidationError):
    def __init__(self, outcomes: list[Outcome]) -> None:
        self.outcomes = outcomes
        super().__init__([f"{o.rule.title}: {o.problem}" for o in outcomes],
                         code="requirement_not_met")


# -- publish a round -------------------------------------------------------------------------

def _senior_officer(round_):
    return None if round_.programme.senior_officer.strip() else (
        "The programme has no named senior officer responsible.")


def _ggis(round_):
    return None if round_.programme.ggis_scheme_id.strip() else (
        "The programme has no GGIS scheme identifier.")


def _business_case(round_):
    programme = round_.programme
    if not programme.business_case.strip():
        return "The programme has no business case."
    if programme.total_budget > APPROVAL_THRESHOLD and not (
            programme.business_case_approved_by and programme.business_case_approved_on):
        return (f"Spending over {format_gbp(APPROVAL_THRESHOLD)} needs the business case "
                "approved: record who approved it and when.")
    return None


def _competition(round_):
    if round_.kind != "direct":
        return None
    return "The round is not competed (a direct award)."


def _fraud_risk(round_):
    return None if round_.programme.fraud_risk_assessed_on else (
        "No fraud risk assessment is recorded for the programme.")


def _performance(round_):
    return None if round_.programme.performance_measures.strip() else (
        "The programme has no performance measures.")


def _round_budget(round_):
    from grants.models import Round

    committed = (Round.objects.filter(programme=round_.programme).exclude(pk=round_.pk)
                 .exclude(status__in=["draft", "cancelled"]).aggregate(t=Sum("budget"))["t"]
                 or Decimal("0"))
    left = round_.programme.total_budget - committed
    if round_.budget > left:
        return (f"The round's budget of {format_gbp(round_.budget)} is more than the "
                f"{format_gbp(left)} left in the programme.")
    return None


# -- make an award ---------------------------------------------------------------------------

def _award_within_budget(award):
    from grants.models import Award

    others = (Award.objects.filter(round=award.round).exclude(pk=award.pk)
              .exclude(status__in=["declined", "withdrawn"])
              .aggregate(t=Sum("amount_awarded"))["t"] or Decimal("0"))
    left = award.round.budget - others
    if award.amount_awarded > left:
        return (f"{format_gbp(award.amount_awarded)} is more than the "
                f"{format_gbp(left)} left in the round's budget.")
    return None


def _award_competed(award):
    return None if award.from_open_call else "The grant is a direct award, not competed."


def _award_decision(award):
    application = award.application
    if application is None:
        return None
    decision = getattr(application, "decision", None)
    if decision is None or decision.approved_at is None:
        return "The panel's decision has not been approved."
    return None


def _award_measures(award):
    return None if award.measures.exists() else "No outcome measures are agreed for the grant."


# -- release a payment -----------------------------------------------------------------------

def _agreement_accepted(instalment):
    agreement = getattr(instalment.award, "agreement", None)
    if agreement is None or agreement.accepted_at is None:
        return "The grant agreement has not been accepted by the recipient."
    return None


def _due_diligence(instalment):
    checks = list(instalment.award.due_diligence.values_list("outcome", flat=True))
    if not checks:
        return "No due diligence is recorded for the recipient."
    if "failed" in checks:
        return "A due diligence check failed."
    return None


def _no_overdue_report(instalment):
    today = timezone.localdate()
    overdue = instalment.award.reports.filter(status__in=["due", "returned"],
                                              due_on__lt=today).first()
    if overdue:
        due = overdue.due_on
        return f"Monitoring report {overdue.number} was due on {due.day} {due:%B %Y}."
    return None


def _annual_review(instalment):
    if instalment.year <= 1:
        return None
    done = instalment.award.annual_reviews.filter(
        year=instalment.year - 1, completed_at__isnull=False).exclude(decision="discontinue")
    if not done.exists():
        return (f"The annual review of year {instalment.year - 1} is not complete, or "
                "decided to discontinue funding.")
    return None


def _conditions_met(instalment):
    open_conditions = instalment.award.conditions.filter(before_first_payment=True,
                                                         met_at__isnull=True).count()
    if open_conditions:
        return f"{open_conditions} condition(s) of the offer are not met yet."
    return None


def _in_arrears(instalment):
    return None if instalment.timing == "arrears" else "The payment is in advance of need."


# -- close a grant ---------------------------------------------------------------------------

def _final_report(award):
    if not award.reports.filter(is_final=True, status="accepted").exists():
        return "The final monitoring report has not been accepted."
    return None


def _nothing_outstanding(award):
    if award.instalments.filter(status="scheduled").exists():
        return "Some instalments are still scheduled: pay or cancel them first."
    return None


def _reconciled(award):
    final = award.reports.filter(is_final=True, status="accepted").order_by("-number").first()
    if final is None or final.spend_to_date is None:
        return "The final spend is not known."
    unspent = award.amount_paid - award.amount_recovered - final.spend_to_date
    if unspent > 0:
        return f"{format_gbp(unspent)} paid was not spent and has not been recovered."
    return None


RULES: dict[str, tuple[Rule, ...]] = {
    PUBLISH_ROUND: (
        Rule("mr1_senior_officer", "MR1", "shall", "Senior officer responsible", _senior_officer),
        Rule("mr2_ggis", "MR2", "shall", "Scheme recorded on GGIS", _ggis),
        Rule("mr4_business_case", "MR4", "shall", "Business case approved", _business_case),
        Rule("mr2_budget", "MR2", "shall", "Round within the programme's budget", _round_budget),
        Rule("mr5_competition", "MR5", "should", "Competed by default", _competition),
        Rule("mr7_fraud_risk", "MR7", "shall", "Fraud risk assessed", _fraud_risk),
        Rule("mr8_performance", "MR8", "should", "Performance measures defined", _performance),
    ),
    MAKE_AWARD: (
        Rule("a4_budget", "MR2", "shall", "Award within the round's budget",
             _award_within_budget),
        Rule("a4_decision", "MR4", "shall", "Decision approved", _award_decision),
        Rule("mr5_competed", "MR5", "should", "Competed by default", _award_competed),
        Rule("mr8_measures", "MR8", "should", "Outcome measures agreed", _award_measures),
    ),
    RELEASE_PAYMENT: (
        Rule("mr6_agreement", "MR6", "shall", "Grant agreement accepted", _agreement_accepted),
        Rule("mr7_due_diligence", "MR7", "shall", "Due diligence done", _due_diligence),
        Rule("mr6_conditions", "MR6", "shall", "Offer conditions met", _conditions_met),
        Rule("mr8_reports", "MR8", "shall", "Monitoring reports up to date", _no_overdue_report),
        Rule("mr9_annual_review", "MR9", "shall", "Annual review complete", _annual_review),
        Rule("mpm_arrears", "MPM", "should", "Paid in arrears, not in advance of need",
             _in_arrears),
    ),
    CLOSE_GRANT: (
        Rule("mr8_final_report", "MR8", "shall", "Final report accepted", _final_report),
        Rule("mr6_outstanding", "MR6", "shall", "No payments outstanding", _nothing_outstanding),
        Rule("mr9_reconciled", "MR9", "should", "Final reconciliation: underspend recovered",
             _reconciled),
    ),
}


def evaluate(transition: str, subject) -> list[Outcome]:
    return [Outcome(rule, rule.check(subject)) for rule in RULES[transition]]


def blocking(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if not o.passed and o.rule.level == "shall"]


def enforce(*, transition: str, subject, programme, actor,
            justifications: dict[str, str] | None = None,
            automatic: dict[str, str] | None = None) -> list[RuleResult]:
    """Evaluate the rules and record them, or raise saying what is missing.

    `automatic` holds justifications already recorded elsewhere (a direct award's
    justification, an advance payment's recorded need), used when the person gave none.
    """
    outcomes = evaluate(transition, subject)
    failed = blocking(outcomes)
    if failed:
        raise RequirementNotMet(failed)
    given = {**(automatic or {}), **{k: v.strip() for k, v in (justifications or {}).items()
                                     if v and v.strip()}}
    unexplained = [o for o in outcomes if not o.passed and not given.get(o.rule.id)]
    if unexplained:
        raise JustificationNeeded(unexplained)
    return RuleResult.objects.bulk_create([
        RuleResult(programme=programme, subject_type=subject._meta.model_name,
                   subject_id=subject.pk, transition=transition, rule_id=o.rule.id,
                   requirement=o.rule.requirement, level=o.rule.level,
                   outcome="passed" if o.passed else "explained",
                   detail=(o.problem or o.rule.title)[:500],
                   justification="" if o.passed else given[o.rule.id],
                   actor=actor if getattr(actor, "is_authenticated", False) else None)
        for o in outcomes])
