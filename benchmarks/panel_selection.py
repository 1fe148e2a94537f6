"""Benchmark: draw a citizen panel as the worker does (maximin on HiGHS), time and peak memory.

    .venv/bin/python -m benchmarks.panel_selection --pool 1000 --seats 30 --features 6

Generates a pool with the given number of features (2 to 4 values each, skewed so that some
values are scarce, as real response rates are), quotas around proportional shares, and runs
``citizens.sortition.select`` (the function the ``citizens.run_selection`` task calls) in a
child interpreter (as the worker does), reporting wall seconds, CPU seconds (on a shared
machine the wall time mostly measures the queue for a core) and that interpreter's peak RSS.
Target (issue 9): 30 seats from 1,000 people with 6 features in under 60 s. No database.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

from benchmarks import support

TARGET_SECONDS = 60


def build(pool_size: int, seats: int, features: int, seed: int) -> tuple[list, list]:
    rng = random.Random(seed)
    spec = {f"feature{i}": [f"v{j}" for j in range(2 + i % 3)] for i in range(features)}
    weights = {name: [1 + j for j in range(len(values))] for name, values in spec.items()}
    pool = [{"id": f"P-{n:05}", "household": f"h{n // 2 if n % 17 == 0 else n}",
             **{name: rng.choices(values, weights[name])[0] for name, values in spec.items()}}
            for n in range(pool_size)]
    quotas = []
    for name, values in spec.items():
        total = sum(weights[name])
        for value, weight in zip(values, weights[name], strict=True):
            share = seats * weight / total
            quotas.append({"feature": name, "value": value, "min": max(0, int(share) - 1),
                           "max": min(seats, int(share) + 2)})
    return pool, quotas


def child(args) -> None:
    import os

    import django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from citizens import sortition

    pool, quotas = build(args.pool, args.seats, args.features, args.seed)
    started = time.perf_counter()
    outcome = sortition.select(seats=args.seats, pool=pool, quotas=quotas, seed=args.seed,
                               algorithm=args.algorithm, max_seconds=args.max_seconds,
                               solver=args.solver)
    seconds = time.perf_counter() - started
    # select() draws in its own interpreter (fixed hash seed): that process is our child.
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    probabilities = sorted(outcome.probabilities.values())
    print(json.dumps({
        "success": outcome.success, "error": outcome.error, "seconds": round(seconds, 2),
        "cpu_seconds": round(used.ru_utime + used.ru_stime, 2),
        "algorithm": outcome.algorithm_used, "solver": args.solver,
        "selected": len(outcome.selected),
        "peak_rss_mb": round(used.ru_maxrss / 1024, 1),
        "min_probability": round(probabilities[0], 4) if probabilities else None,
        "max_probability": round(probabilities[-1], 4) if probabilities else None}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=1000)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--features", type=int, default=6)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--max-seconds", type=int, default=600)
    parser.add_argument("--solver", default="highs",
                        help="highs (the portal's, default), highspy (the library's HiGHS "
                             "backend as it comes), mip (CBC), mip-highs")
    parser.add_argument("--algorithm", default="maximin")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    command = [sys.executable, "-m", "benchmarks.panel_selection", "--child",
               "--pool", str(args.pool), "--seats", str(args.seats),
               "--features", str(args.features), "--seed", str(args.seed),
               "--max-seconds", str(args.max_seconds), "--solver", args.solver,
               "--algorithm", args.algorithm]
    done = subprocess.run(command, capture_output=True, text=True,
                          timeout=args.max_seconds + 600, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    support.report("panel_selection", {
        "pool": args.pool, "seats": args.seats, "features": args.features, **result,
        "target_seconds": TARGET_SECONDS,
        "within_target": result["success"] and result["seconds"] < TARGET_SECONDS,
        "cpu_within_target": result["success"] and result["cpu_seconds"] < TARGET_SECONDS})


if __name__ == "__main__":
    main()
