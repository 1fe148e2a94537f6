"""What a valid answer to each kind of question looks like, checked on save and at submit.

Answers are stored as JSON: text, number, money and date as strings; a choice as its text;
multiple choices as a list; a budget table as {"rows": [{"item", "amount"}], "total"}; outcomes
as a list of {"measure": id, "target"}; a file as the uploaded Document (value holds its name).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from core.money import format_gbp

WORD_RE = re.compile(r"\S+")


def word_count(text: str) -> int:
    return len(WORD_RE.findall(text or ""))


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        return None


def is_blank(question, answer) -> bool:
    if answer is None:
        return True
    if question.kind == "file":
        return answer.document_id is None
    value = answer.value
    if question.kind == "budget":
        return not (value or {}).get("rows")
    return value in (None, "", [], {})


def problems(question, answer) -> list[str]:
    """What is wrong with `answer` (an Answer or None) to `question`, in plain words."""
    if is_blank(question, answer):
        return [f"Answer ‘{question.label}’."] if question.required else []
    value = answer.value
    check = CHECKS.get(question.kind)
    return check(question, value) if check else []


def _text(question, value) -> list[str]:
    if question.word_limit and word_count(value) > question.word_limit:
        return [f"‘{question.label}’ has {word_count(value)} words: use "
                f"{question.word_limit} words or fewer."]
    return []


def _number(question, value) -> list[str]:
    amount = _decimal(value)
    if amount is None:
        return [f"‘{question.label}’ must be a number."]
    if question.kind == "money" and (amount < 0 or amount != amount.quantize(Decimal("0.01"))):
        return [f"‘{question.label}’ must be an amount in pounds and pence, like 1250.50."]
    return []


def _date(question, value) -> list[str]:
    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return [f"‘{question.label}’ must be a real date."]
    return []


def _choice(question, value) -> list[str]:
    return [] if value in question.choices else [f"Choose an answer to ‘{question.label}’."]


def _multiple(question, value) -> list[str]:
    if not isinstance(value, list) or set(value) - set(question.choices):
        return [f"Choose answers to ‘{question.label}’ from the list."]
    return []


def budget_total(value) -> Decimal:
    return sum((_decimal(row.get("amount")) or Decimal("0") for row in value.get("rows", [])),
               Decimal("0"))


def _budget(question, value) -> list[str]:
    rows = value.get("rows", [])
    found = []
    for number, row in enumerate(rows, 1):
        amount = _decimal(row.get("amount"))
        if not (row.get("item") or "").strip() or amount is None or amount <= 0:
            found.append(f"Budget line {number}: give an item and an amount over £0.")
    total = _decimal(value.get("total"))
    if total is None:
        found.append("Give the budget's total.")
    elif not found and budget_total(value) != total:
        found.append(f"The budget lines add up to {format_gbp(budget_total(value))}, "
                     f"not the total of {format_gbp(total)}.")
    return found


def _outcomes(question, value) -> list[str]:
    if not isinstance(value, list) or not value:
        return [f"Choose at least one outcome for ‘{question.label}’."]
    found = []
    for row in value:
        target = _decimal(row.get("target"))
        if target is None or target <= 0:
            found.append("Give a target above zero for every outcome you choose.")
            break
    return found


CHECKS = {"text": _text, "number": _number, "money": _number, "date": _date,
          "choice": _choice, "multiple": _multiple, "budget": _budget, "outcomes": _outcomes}


def display(question, answer) -> str:
    """The answer as the check-your-answers page shows it."""
    if is_blank(question, answer):
        return "Not answered"
    value = answer.value
    if question.kind == "file":
        return (value or {}).get("name", "File uploaded")
    if question.kind == "money":
        return format_gbp(_decimal(value) or 0)
    if question.kind == "multiple":
        return ", ".join(value)
    if question.kind == "budget":
        lines = [f"{row['item']}: {format_gbp(_decimal(row['amount']) or 0)}"
                 for row in value["rows"]]
        return "; ".join(lines) + f". Total {format_gbp(_decimal(value.get('total')) or 0)}"
    if question.kind == "outcomes":
        from socialvalue.models import Measure

        names = dict(Measure.objects.filter(pk__in=[r["measure"] for r in value])
                     .values_list("pk", "name"))
        return "; ".join(f"{names.get(int(r['measure']), 'Unknown measure')}: target "
                         f"{r['target']}" for r in value)
    if question.kind == "date":
        day = datetime.date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    return str(value)
