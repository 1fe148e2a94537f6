"""What templates show: tags, labels, the actions a person may take, result tables."""

from __future__ import annotations

from citizens import phases
from citizens.models import Decision
from citizens.workflows import PANEL

OUTCOMES = {
    "decided": ("Decided", "green"), "passed": ("Agreed", "green"),
    "blocked": ("Blocked", "red"), "not_passed": ("Not agreed", "orange"),
    "no_winner": ("No option chosen", "grey"), "not_quorate": ("Not quorate", "red"),
}
DECISION_TAGS = {Decision.Status.DRAFT: ("Draft", "grey"),
                 Decision.Status.OPEN: ("Voting open", "blue"),
                 Decision.Status.CLOSED: ("Closed", "green")}


def phase_tag(panel) -> dict:
    phase = phases.get(panel.phase)
    return {"text": phase.label, "colour": phase.colour}


def decision_tag(decision) -> dict:
    text, colour = DECISION_TAGS[decision.status]
    return {"text": text, "colour": colour}


def outcome_tag(outcome: str) -> dict:
    text, colour = OUTCOMES.get(outcome, (outcome.replace("_", " ").capitalize(), "grey"))
    return {"text": text, "colour": colour}


def phase_actions(panel, user) -> list[dict]:
    """The phase moves the user may make now, for buttons."""
    return [{"name": t.name, "label": t.label, "requires_reason": t.requires_reason}
            for t in PANEL.available(panel, user)]


def phase_timeline(panel) -> list[dict]:
    keys = [p.key for p in phases.all_phases()]
    current = keys.index(panel.phase)
    return [{"label": p.label, "description": p.description,
             "actions": ", ".join(phases.ACTIONS[a] for a in sorted(p.actions)) or "None",
             "state": "done" if i < current else "current" if i == current else "next"}
            for i, p in enumerate(phases.all_phases())]


def option_labels(decision) -> dict[str, str]:
    return {o["id"]: o["label"] for o in decision.config.get("options", [])}


def result_rows(decision, result: dict) -> dict:
    """Headline and table rows for a result, in option labels (never voter data)."""
    labels, detail = option_labels(decision), result["detail"]
    method = result["method"]
    winners = [labels.get(w, w) for w in result["winners"]]
    head, rows = [], []
    if method == "consent":
        head = ["Answer", {"text": "Votes", "numeric": True}]
        rows = [[choice.capitalize(), {"text": n, "numeric": True}]
                for choice, n in detail["counts"].items()]
    elif method == "approval":
        head = ["Option", {"text": "Approvals", "numeric": True}]
        rows = [[labels[o], {"text": detail["counts"][o], "numeric": True}]
                for o in detail["order"]]
    elif method in ("irv", "stv"):
        head = ["Option"] + [{"text": f"Round {i}", "numeric": True}
                             for i in range(1, len(detail["rounds"]) + 1)]
        rows = [[labels[o]] + [{"text": r.get(o, "–"), "numeric": True}
                               for r in detail["rounds"]] for o in labels]
    elif method == "score":
        head = ["Option", {"text": "Weighted score", "numeric": True},
                {"text": "% of the maximum", "numeric": True}]
        rows = [[labels[o], {"text": detail["scores"][o], "numeric": True},
                 {"text": detail["percent"][o], "numeric": True}] for o in detail["order"]]
    elif method == "budget":
        head = ["Option", {"text": "Supporters", "numeric": True}, "Funded"]
        funded = {s["funded"]: s["by"] for s in detail["steps"]}
        rows = [[labels[o], {"text": detail["supporters"][o], "numeric": True},
                 f"Yes ({funded[o]})" if o in funded else "No"] for o in labels]
    return {"winners": winners, "head": head, "rows": rows,
            "tag": outcome_tag(result["outcome"])}


def configuration_rows(decision) -> list[dict]:
    """The frozen configuration, printed on the results page."""
    config = decision.config
    rows = [{"key": "Method", "value": decision.get_method_display()},
            {"key": "Ballot", "value": "Secret" if config["secret"] else "Open (named)"},
            {"key": "Who could vote", "value": decision.get_eligibility_display()},
            {"key": "Quorum", "value": f"{config['quorum_percent']}% of eligible voters"},
            {"key": "Threshold", "value": f"{config['threshold_percent']}%"},
            {"key": "Results shown", "value": decision.get_results_visibility_display()}]
    if config["method"] in ("stv", "approval", "score"):
        rows.append({"key": "Winners", "value": config["seats"]})
    if config["max_choices"] or config["min_choices"]:
        rows.append({"key": "Choices", "value": f"{config['min_choices']} to "
                                                f"{config['max_choices'] or 'any'}"})
    if config["budget"]:
        rows.append({"key": "Budget", "value": f"£{float(config['budget']):,.2f}"})
    rows += [{"key": "Tie-break", "value": config["tie_break"]["rule"]},
             {"key": "Configuration SHA-256", "value": decision.config_hash}]
    return rows
