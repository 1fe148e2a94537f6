"""The one place that talks to ``sortition-algorithms`` (GPL-3.0, see ADR 0017).

Input is what a ``SelectionRun`` froze: pseudonymised pool rows (``id``, ``household`` and one
column per feature), quota rows (``feature``, ``value``, ``min``, ``max``), the seats, the public
seed and the algorithm. Output is the selected ids, each person's selection probability (kept
for aggregate statistics only), the algorithm that actually ran and the library's report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

LIBRARY = "sortition-algorithms"
# New draws use HiGHS through the library's highspy backend, with the portal's corrections
# (``_portal_highs``). "highspy" names the library's backend as it comes: draws made with it
# before "highs" existed re-run with it, and their commitments carry no solver.
SOLVER = "highs"
LIBRARY_HIGHS = "highspy"
SOLVERS = (SOLVER, LIBRARY_HIGHS, "mip", "mip-cbc", "mip-highs")
ID, HOUSEHOLD = "id", "household"
SWITCHED_TO_MAXIMIN = "gurobi_unavailable_switching"
HASH_SEED = "0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def library_version() -> str:
    return version(LIBRARY)


def solver_problem(solver: str) -> str:
    """Why the named solver backend cannot run here, or "" when it can."""
    from importlib.util import find_spec

    if solver not in SOLVERS:
        return f"The solver “{solver}” is not one this portal runs (highs, highspy or mip)."
    if solver.startswith("mip") and find_spec("mip") is None:
        return ("The mip solver is configured but the mip package is not installed: install "
                "it or set CITIZENS_SORTITION_SOLVER to highs.")
    return ""


def commitment(*, seats: int, pool: list[dict], quotas: list[dict], algorithm: str,
               already_selected: list[str], solver: str = SOLVER) -> str:
    """SHA-256 of the frozen inputs, published before the seed is drawn.

    The solver is part of what decides the panel; it enters the hash unless it is the
    library's own highspy backend, so that commitments published before a solver could be
    chosen still verify."""
    payload = {"seats": seats, "pool": sorted(pool, key=lambda row: row[ID]),
               "quotas": sorted(quotas, key=lambda q: (q["feature"], q["value"])),
               "algorithm": algorithm, "already_selected": sorted(already_selected)}
    if solver != LIBRARY_HIGHS:
        payload["solver"] = solver
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(blob).hexdigest()


def feasibility_problems(*, seats: int, pool: list[dict], quotas: list[dict],
                         labels: dict[tuple[str, str], str] | None = None) -> list[str]:
    """What stops a panel of ``seats`` being drawn, each with what to change."""
    labels = labels or {}
    problems: list[str] = []
    by_feature: dict[str, list[dict]] = {}
    for quota in quotas:
        by_feature.setdefault(quota["feature"], []).append(quota)
    if len(pool) < seats:
        problems.append(f"The pool has {len(pool)} people but the panel has {seats} seats: "
                        f"recruit at least {seats - len(pool)} more.")
    for feature, rows in by_feature.items():
        low, high = sum(r["min"] for r in rows), sum(r["max"] for r in rows)
        name = labels.get((feature, ""), feature)
        if low > seats:
            problems.append(f"The minimums for {name} add up to {low}, more than the {seats} "
                            f"seats: lower them by {low - seats} in total.")
        if high < seats:
            problems.append(f"The maximums for {name} add up to {high}, fewer than the {seats} "
                            f"seats: raise them by {seats - high} in total.")
        counts = Counter(person.get(feature) for person in pool)
        for row in rows:
            have = counts.get(row["value"], 0)
            if have < row["min"]:
                value = labels.get((feature, row["value"]), row["value"])
                problems.append(
                    f"Only {have} in the pool {'has' if have == 1 else 'have'} {name} "
                    f"“{value}” but the minimum is {row['min']}: lower the minimum to {have} "
                    f"or recruit {row['min'] - have} more.")
    return problems


@dataclass
class Outcome:
    success: bool
    selected: list[str]
    probabilities: dict[str, float]
    algorithm_used: str
    report: dict[str, Any]
    error: str = ""
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)


class _Progress:
    """Adapts the library's progress protocol to a callback (percent, message), throttled."""

    def __init__(self, callback: Callable[[int, str], None] | None) -> None:
        self.callback, self.total, self.last = callback, None, 0.0

    def start_phase(self, name: str, total: int | None = None, *, message: str | None = None):
        self.total = total
        self._emit(0, message or name, force=True)

    def update(self, current: int, *, message: str | None = None) -> None:
        percent = int(100 * current / self.total) if self.total else min(95, current * 4)
        self._emit(percent, message or "", force=False)

    def end_phase(self) -> None:
        self._emit(100, "", force=True)

    def _emit(self, percent: int, message: str, *, force: bool) -> None:
        now = time.monotonic()
        if self.callback and (force or now - self.last > 1.0):
            self.last = now
            self.callback(max(0, min(100, percent)), message[:300])


def _people_table(pool: list[dict], feature_names: list[str]) -> tuple[list[str], list[dict]]:
    head = [ID, HOUSEHOLD, *feature_names]
    return head, [{column: str(row.get(column, "")) for column in head} for row in pool]


def select(*, seats: int, pool: list[dict], quotas: list[dict], seed: int, algorithm: str,
           already_selected: list[str] | None = None,
           progress: Callable[[int, str], None] | None = None,
           max_seconds: int = 300, solver: str = SOLVER) -> Outcome:
    """Draw a panel with the library; never raises for a selection that cannot be made.

    The library iterates over sets of ids, whose order depends on Python's string hashing,
    which is randomised per process. So that the same inputs and seed give the same panel in
    any process (the worker today, ``verify_selection`` next year), the draw always runs in a
    child interpreter with ``PYTHONHASHSEED`` fixed to ``HASH_SEED``.
    """
    job = {"seats": seats, "pool": pool, "quotas": quotas, "seed": seed,
           "algorithm": algorithm, "already_selected": already_selected or [],
           "max_seconds": max_seconds, "solver": solver}
    if os.environ.get("PYTHONHASHSEED") == HASH_SEED:
        return _select_here(**job, progress=progress)
    return _select_in_child(job, progress, timeout=max_seconds + 300)


def _select_in_child(job: dict, progress, *, timeout: int) -> Outcome:
    env = {**os.environ, "PYTHONHASHSEED": HASH_SEED}
    child = subprocess.Popen(  # noqa: S603  (our own module, no shell, no user input in argv)
        [sys.executable, "-m", "citizens.sortition"], cwd=ROOT, env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdin.write(json.dumps(job))
    child.stdin.close()
    deadline, result = time.monotonic() + timeout, None
    for line in child.stdout:
        kind, _, rest = line.rstrip("\n").partition(" ")
        if kind == "P" and progress:
            percent, _, message = rest.partition(" ")
            progress(int(percent), message)
        elif kind == "R":
            result = json.loads(rest)
        if time.monotonic() > deadline:
            child.kill()
            break
    child.wait(timeout=30)
    if result is None:
        error = child.stderr.read()[-1000:] or "the selection process stopped unexpectedly"
        return Outcome(success=False, selected=[], probabilities={}, algorithm_used="",
                       report={}, error=f"The selection could not run: {error}")
    return Outcome(**result)


def _child_main() -> None:
    """Entry point of the child interpreter: a job as JSON on stdin, lines on stdout."""
    out = sys.stdout

    def report(percent: int, message: str) -> None:
        out.write(f"P {percent} {message.replace(chr(10), ' ')}\n")
        out.flush()

    outcome = _select_here(**json.loads(sys.stdin.read()), progress=report)
    out.write("R " + json.dumps(dataclasses.asdict(outcome)) + "\n")
    out.flush()


def _select_here(*, seats: int, pool: list[dict], quotas: list[dict], seed: int,
                 algorithm: str, already_selected: list[str], max_seconds: int,
                 progress: Callable[[int, str], None] | None, solver: str = SOLVER) -> Outcome:
    from sortition_algorithms import Settings, read_in_features, read_in_people, run_stratification

    started = time.monotonic()
    feature_names = sorted({q["feature"] for q in quotas})
    features, _, _ = read_in_features(
        ["feature", "value", "min", "max"],
        [{k: q[k] for k in ("feature", "value", "min", "max")} for q in quotas],
        number_to_select=seats)
    settings = Settings(
        id_column=ID, columns_to_keep=[], check_same_address=True,
        check_same_address_columns=[HOUSEHOLD], selection_algorithm=algorithm,
        solver_backend=LIBRARY_HIGHS if solver == SOLVER else solver, random_number_seed=seed)
    head, rows = _people_table(pool, feature_names)
    people, _ = read_in_people(head, rows, features, settings)
    chosen = None
    if already_selected:
        chosen_rows = [r for r in rows if r[ID] in set(already_selected)]
        remaining = [r for r in rows if r[ID] not in set(already_selected)]
        people, _ = read_in_people(head, remaining, features, settings)
        chosen, _ = read_in_people(head, chosen_rows, features, settings)
    # The library prints and logs every solver iteration; the report and the progress
    # callback carry what matters, so keep worker logs readable.
    tuned = _portal_highs() if solver == SOLVER else contextlib.nullcontext()
    with contextlib.redirect_stdout(io.StringIO()), _quiet_library_logs(), tuned:
        success, panels, report = run_stratification(
            features, people, seats, settings, already_selected=chosen,
            max_seconds=max_seconds, progress_reporter=_Progress(progress))
    serialized = report.serialize()
    error = "" if success else str(report.last_error() or "The selection could not be made.")
    return Outcome(
        success=success, selected=sorted(panels[0]) if success and panels else [],
        probabilities=_probabilities(report), algorithm_used=_algorithm_used(report, algorithm),
        report=json.loads(json.dumps(serialized, default=str)), error=error,
        seconds=round(time.monotonic() - started, 2))


@contextlib.contextmanager
def _portal_highs():
    """The library's highspy backend, corrected and tuned for the problems a draw solves.

    Maximin solves one small integer programme per person in the pool (a committee meeting
    every quota that maximises the members' weights), then a few hundred more, so the cost
    of each call is the cost of the draw (measured in ``benchmarks/README.md``):

    - the library's ``set_objective`` calls highspy's ``maximize``/``minimize``, which solve
      the model, and ``optimize`` then solves it again: here the objective is only set;
    - for a model of a few dozen rows, presolve and the feasibility-jump heuristic take most
      of a solve, so both are off;
    - one thread, so the solver's path, and the panel, do not depend on the machine's cores;
    - values are read from one copy of the solution per solve, not one call per person.

    Patched for the duration of one draw only; draws run in their own interpreter."""
    import highspy
    from sortition_algorithms.committee_generation.solver import HighsSolver, SolverSense

    original = {name: HighsSolver.__dict__[name]
                for name in ("__init__", "set_objective", "optimize", "get_value")}

    def __init__(self, *args, **kwargs):
        original["__init__"](self, *args, **kwargs)
        self._h.setOptionValue("presolve", "off")
        self._h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
        self._h.setOptionValue("threads", 1)
        self._values = []

    def set_objective(self, expr, sense):
        self._objective_sense = sense
        self._h.setObjective(expr, highspy.ObjSense.kMaximize if sense == SolverSense.MAXIMIZE
                             else highspy.ObjSense.kMinimize)

    def optimize(self):
        status = original["optimize"](self)
        self._values = list(self._h.getSolution().col_value)
        return status

    def get_value(self, var):
        return float(self._values[var.index])

    highspy.Highs.resetGlobalScheduler(True)  # the thread count applies from a fresh scheduler
    for name, function in (("__init__", __init__), ("set_objective", set_objective),
                           ("optimize", optimize), ("get_value", get_value)):
        setattr(HighsSolver, name, function)
    try:
        yield
    finally:
        for name, function in original.items():
            setattr(HighsSolver, name, function)
        highspy.Highs.resetGlobalScheduler(True)


@contextlib.contextmanager
def _quiet_library_logs():
    loggers = [logging.getLogger(name) for name in ("sortition_algorithms",
                                                    "sortition_algorithms_user")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _algorithm_used(report, requested: str) -> str:
    for element in report._data:
        if getattr(element, "message_code", None) == SWITCHED_TO_MAXIMIN:
            return "maximin"
    return requested


def _probabilities(report) -> dict[str, float]:
    for element in report._data:
        headers = getattr(element, "headers", None)
        if headers and "Probability of selection" in headers:
            pid, prob = headers.index("Agent ID"), headers.index("Probability of selection")
            return {str(row[pid]): float(str(row[prob]).rstrip("%")) / 100
                    for row in element.data}
    return {}


if __name__ == "__main__":
    _child_main()
