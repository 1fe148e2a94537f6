"""Small, exact tallies with published rules, one module per method.

Every tally takes the frozen option ids (strings), the ballot contents and the parameters of
the frozen configuration, and returns a JSON-able dict. Arithmetic is exact (integers and
``fractions.Fraction``); numbers are reported as strings. Ties are broken by a published,
deterministic priority order (``tie_order``), so anyone re-running the count from the export
gets the same result. The rules are written out in docs/citizens-voting-rules.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def tie_order(option_ids: Sequence[str], salt: str) -> list[str]:
    """The priority order used to break ties: earlier wins.

    Fixed when voting opens from the frozen configuration's hash, so it cannot be chosen
    after seeing the ballots: options are ordered by SHA-256(salt + ":" + option id).
    """
    return sorted(option_ids, key=lambda oid: hashlib.sha256(f"{salt}:{oid}".encode()).hexdigest())


def fmt(value) -> str:
    """A Fraction or int as a decimal string with at most four places."""
    from fractions import Fraction

    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.4f}".rstrip("0").rstrip(".")
