"""Benchmark: tally 10,000 ballots with each panel voting method (pure Python, exact).

    .venv/bin/python -m benchmarks.panel_tally --ballots 10000 --options 8

Generates ballots with a skew (some options more popular) and times
``citizens.tally.run.tally`` (what closing a vote runs) once per method: consent, approval,
IRV, STV (3 seats), score (3 criteria) and the Method of Equal Shares with completion.
Target (issue 9): under 5 s per method for 10,000 ballots. No database is needed.
"""

from __future__ import annotations

import argparse
import random
import time

from benchmarks import support

TARGET_SECONDS = 5
METHODS = ("consent", "approval", "irv", "stv", "score", "budget")


def configuration(method: str, options: int) -> dict:
    ids = [str(i) for i in range(1, options + 1)]
    return {"method": method, "seats": 3 if method == "stv" else 1, "min_choices": 0,
            "max_choices": 0, "score_max": 5, "budget": "100000", "quorum_percent": 0,
            "threshold_percent": 50,
            "options": [{"id": oid, "cost": str(5000 + 2500 * int(oid))} for oid in ids],
            "criteria": [{"id": f"c{i}", "weight": i} for i in range(1, 4)],
            "tie_break": {"order": ids}}


def ballots(method: str, count: int, options: int, rng: random.Random) -> list[dict]:
    ids = [str(i) for i in range(1, options + 1)]
    weights = [options - i for i in range(options)]

    def ranking():
        order = sorted(ids, key=lambda oid: -rng.random() * weights[int(oid) - 1])
        return order[:rng.randint(1, options)]

    made = []
    for _ in range(count):
        if method == "consent":
            made.append({"choice": rng.choice(["agree", "agree", "abstain", "disagree"])})
        elif method in ("approval", "budget"):
            made.append({"approved": sorted(set(rng.choices(ids, weights, k=3)))})
        elif method in ("irv", "stv"):
            made.append({"ranking": ranking()})
        else:
            made.append({"scores": {oid: {f"c{i}": rng.randint(0, 5) for i in range(1, 4)}
                                    for oid in ids}})
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--options", type=int, default=8)
    args = parser.parse_args()
    from citizens.tally.run import tally

    rng = random.Random(7)
    seconds = {}
    for method in METHODS:
        config = configuration(method, args.options)
        made = ballots(method, args.ballots, args.options, rng)
        started = time.perf_counter()
        result = tally(config, made)
        seconds[method] = round(time.perf_counter() - started, 3)
        assert result["outcome"], method
    support.report("panel_tally", {
        "ballots": args.ballots, "options": args.options, "seconds": seconds,
        "target_seconds": TARGET_SECONDS,
        "within_target": all(s < TARGET_SECONDS for s in seconds.values())})


if __name__ == "__main__":
    main()
