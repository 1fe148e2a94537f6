"""What a bid still needs before it can be submitted: pure checks over the draft payload.

Each problem names the part of the bid it concerns, so the submit page can link each line of
the error summary to the page where it is fixed, and the task list can show its status.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from commissioning.models import Bid, DocumentSlot, TenderQuestion
from core.money import format_gbp


@dataclass(frozen=True)
class Problem:
    section: str  # "question", "price", "social_value", "documents", "declarations", "lots"
    text: str
    target: int | None = None  # the question or slot it concerns


def word_count(text: str) -> int:
    return len(text.split())


def answer_problem(question: TenderQuestion, text: str) -> str | None:
    if not text.strip():
        return f"Answer question {question.number}"
    if question.word_limit and word_count(text) > question.word_limit:
        return (f"Your answer to question {question.number} must be {question.word_limit} words "
                f"or fewer. It has {word_count(text)} words")
    return None


def _money(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def price_problem(price: dict[str, Any]) -> str | None:
    total = _money(price.get("total")) if price.get("total") not in (None, "") else None
    lines = price.get("breakdown") or []
    if total is None:
        return "Enter your total price"
    if not lines:
        return "Add at least one line to your price breakdown"
    amounts = [_money(line.get("amount")) for line in lines]
    if any(amount is None for amount in amounts):
        return "Enter an amount for every line of your price breakdown"
    line_sum = sum(amounts, Decimal("0"))
    if line_sum != total:
        return (f"Your price breakdown adds up to {format_gbp(line_sum)}, but your total price "
                f"is {format_gbp(total)}. They must be the same")
    return None


def contract_value(payload: dict[str, Any]) -> Decimal:
    """The bid's total price, for social value plausibility checks (0 until entered)."""
    total = _money((payload.get("price") or {}).get("total"))
    return total if total is not None else Decimal("0")


def social_value_issues(bid: Bid, payload: dict[str, Any]) -> list[Any]:
    """The counting-rule issues (errors and warnings) for the bid's commitments."""
    plan = bid.tender.social_value_plan
    if plan is None:
        return []
    from socialvalue.services import commitments_check

    return list(commitments_check(plan=plan, entries=payload.get("social_value") or [],
                                  contract_value=contract_value(payload)))


def submission_problems(
    bid: Bid, payload: dict[str, Any], *, questions: list[TenderQuestion],
    slots: list[DocumentSlot], slot_ids_with_files: set[int],
) -> list[Problem]:
    """Everything that stops the bid being submitted, in the order of the task list."""
    problems = []
    answers = payload.get("answers") or {}
    for question in questions:
        message = answer_problem(question, answers.get(str(question.pk), ""))
        if message:
            problems.append(Problem("question", message, question.pk))
    from commissioning.selectors.stages import needs_price

    message = price_problem(payload.get("price") or {}) if needs_price(bid.tender) else None
    if message:
        problems.append(Problem("price", message))
    for issue in social_value_issues(bid, payload):
        if getattr(issue, "severity", "error") == "error":
            problems.append(Problem("social_value", f"Social value: {issue.message}"))
    for slot in slots:
        if slot.required and slot.pk not in slot_ids_with_files:
            problems.append(Problem("documents", f"Upload {slot.name}", slot.pk))
    return problems


DECLARATIONS = {
    "accurate": "Confirm that the information in your bid is accurate and complete",
    "no_collusion": "Confirm that you have not colluded with other bidders or canvassed anyone",
}


def declaration_problems(declarations: dict[str, Any]) -> list[Problem]:
    return [Problem("declarations", text) for key, text in DECLARATIONS.items()
            if not declarations.get(key)]
