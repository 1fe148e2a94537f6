"""Run the tally a frozen configuration names, over ballot contents; check ballot contents.

This module is what ``export_decision`` documents: given the export's ``configuration`` and
``ballots``, ``tally(configuration, ballots)`` reproduces its ``result``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from citizens.tally import budget, ranked, scores, simple

NOT_QUORATE = "not_quorate"


def _ids(config: dict) -> list[str]:
    return [option["id"] for option in config["options"]]


def check_ballot(config: dict, content: dict) -> list[str]:
    """Problems with one ballot's content under the frozen configuration (empty when valid)."""
    method, ids = config["method"], set(_ids(config))
    if method == "consent":
        return [] if content.get("choice") in simple.CONSENT_CHOICES else [
            "Choose agree, abstain, disagree or block."]
    if method in ("approval", "budget"):
        chosen = content.get("approved")
        if not isinstance(chosen, list) or len(set(chosen)) != len(chosen) or set(chosen) - ids:
            return ["Choose from the options listed."]
        low, high = config["min_choices"], config["max_choices"] or len(ids)
        if not low <= len(chosen) <= high:
            return [f"Choose between {low} and {high} options." if low != high
                    else f"Choose {low} options."]
        return []
    if method in ("irv", "stv"):
        ranking = content.get("ranking")
        if not isinstance(ranking, list) or not ranking:
            return ["Rank at least one option."]
        if len(set(ranking)) != len(ranking) or set(ranking) - ids:
            return ["Give each option one rank at most."]
        return []
    if method == "score":
        marks = content.get("scores")
        criteria = {c["id"] for c in config["criteria"]}
        if not isinstance(marks, dict) or set(marks) != ids:
            return ["Score every option."]
        for option_marks in marks.values():
            if not isinstance(option_marks, dict) or set(option_marks) != criteria:
                return ["Score every option against every criterion."]
            if any(not isinstance(v, int) or not 0 <= v <= config["score_max"]
                   for v in option_marks.values()):
                return [f"Scores are whole numbers from 0 to {config['score_max']}."]
        return []
    return ["Unknown voting method."]


def tally(config: dict, ballots: Sequence[dict]) -> dict:
    """The detailed count of the ballots under the configuration's method and tie-break."""
    method, ids, priority = config["method"], _ids(config), config["tie_break"]["order"]
    if method == "consent":
        return simple.consent(ballots, threshold_percent=config["threshold_percent"])
    if method == "approval":
        return simple.approval(ballots, options=ids, seats=config["seats"],
                               threshold_percent=config["threshold_percent"], priority=priority)
    if method == "irv":
        return ranked.irv(ballots, options=ids, priority=priority)
    if method == "stv":
        return ranked.stv(ballots, options=ids, seats=config["seats"], priority=priority)
    if method == "score":
        return scores.score(ballots, options=ids, score_max=config["score_max"],
                            criteria={c["id"]: c["weight"] for c in config["criteria"]},
                            seats=config["seats"], priority=priority)
    if method == "budget":
        costs = {o["id"]: Fraction(o["cost"]) for o in config["options"]}
        return budget.equal_shares(ballots, options=ids, costs=costs,
                                   budget=Fraction(config["budget"]), priority=priority)
    raise ValueError(f"Unknown method {method!r}")


def declare(config: dict, ballots: Sequence[dict], *, eligible: int, voted: int) -> dict:
    """The result at close: quorum first ("not quorate" is an outcome), then the count."""
    quorate = eligible > 0 and voted * 100 >= config["quorum_percent"] * eligible
    detail = tally(config, ballots)
    return {"method": config["method"], "eligible": eligible, "voted": voted,
            "ballots": len(ballots), "quorate": quorate,
            "outcome": detail["outcome"] if quorate else NOT_QUORATE,
            "winners": detail["winners"] if quorate else [], "detail": detail}
