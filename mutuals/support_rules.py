"""The support eligibility screen as rules over an application (MSP2 and MISF practice).

Each rule says whether it passes and why, in plain words; the screen runs before submission
and its results are kept with the application.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from core.money import format_gbp

MIN_GROWTH_CASE_WORDS = 30


@dataclass(frozen=True)
class ScreenResult:
    rule: str
    label: str
    passed: bool
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def subsidy_received(application, on: datetime.date) -> Decimal:
    start = _years_before(on, application.scheme.subsidy_lookback_years)
    return sum((s.amount for s in application.subsidies.all() if s.received_on > start),
               Decimal("0"))


def screen(application, on: datetime.date) -> list[ScreenResult]:
    """Every eligibility rule for the application on `on`."""
    scheme = application.scheme
    results = [
        ScreenResult("england", "Based in England", application.in_england,
                     "It is based in England." if application.in_england else
                     "The programme supports organisations based in England only."),
    ]
    if application.kind == "mutual":
        start = _years_before(on, scheme.max_trading_years)
        young = application.trading_since is not None and application.trading_since >= start
        results.append(ScreenResult(
            "stage", f"Trading for {scheme.max_trading_years} years or less, or still on its "
                     "first contract", young or application.on_first_contract,
            "It qualifies as a new mutual." if young or application.on_first_contract else
            f"It has traded for more than {scheme.max_trading_years} years and its first "
            "contract has been re-tendered."))
    words = len(application.growth_case.split())
    results.append(ScreenResult(
        "growth", "A case for growth or diversification", words >= MIN_GROWTH_CASE_WORDS,
        "The growth case is given." if words >= MIN_GROWTH_CASE_WORDS else
        f"Explain how support will help you grow or diversify (at least "
        f"{MIN_GROWTH_CASE_WORDS} words; you wrote {words})."))
    needed = (application.grant_requested * scheme.match_funding_percent / 100).quantize(
        Decimal("0.01"))
    results.append(ScreenResult(
        "match", f"Match funding in cash of {scheme.match_funding_percent.normalize():f}% of "
                 "the grant", application.match_funding >= needed,
        f"{format_gbp(application.match_funding)} offered; {format_gbp(needed)} needed."))
    received = subsidy_received(application, on)
    total, limit = received + application.grant_requested, scheme.subsidy_limit
    results.append(ScreenResult(
        "subsidy", "Within the subsidy control limit", total <= limit,
        f"{format_gbp(received)} received in the last {scheme.subsidy_lookback_years} years "
        f"plus {format_gbp(application.grant_requested)} asked for makes {format_gbp(total)}, "
        f"{'within' if total <= limit else 'over'} the limit of {format_gbp(limit)}."))
    if application.grant_requested > scheme.grant_cap:
        results.append(ScreenResult("cap", "Within the grant cap", False,
                                    f"The most the programme grants is "
                                    f"{format_gbp(scheme.grant_cap)}."))
    return results


def subsidy_headroom(application, on: datetime.date) -> Decimal:
    """The share of the subsidy limit still unused, as a fraction (0 to 1)."""
    limit = application.scheme.subsidy_limit
    if not limit:
        return Decimal("0")
    used = subsidy_received(application, on) + application.grant_requested
    return max(Decimal("0"), (limit - used) / limit)
