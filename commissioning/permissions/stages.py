"""django-rules permissions for the rounds of a staged procedure (imported by rules.py).

Objects: a round's tender row. A round is never public: a supplier sees it, and asks
clarification questions in it, only while its organisation takes part (ADR 0022).
"""

from __future__ import annotations

import rules

from commissioning.permissions.tenders import _provider_orgs


@rules.predicate
def takes_part_in_round(user, round_tender) -> bool:
    from commissioning.selectors.stages import round_participant_refusal, stage_of

    stage = stage_of(round_tender) if round_tender is not None else None
    if stage is None:
        return False
    stage.round = round_tender
    return any(round_participant_refusal(stage, organisation) is None
               for organisation in _provider_orgs(user))


@rules.predicate
def round_is_open(user, round_tender) -> bool:
    from commissioning.selectors.stages import round_is_open as is_open

    return round_tender is not None and is_open(round_tender)


rules.add_perm("commissioning.take_part_in_round", takes_part_in_round)
rules.add_perm("commissioning.ask_round_clarification", takes_part_in_round & round_is_open)
