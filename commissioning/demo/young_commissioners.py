"""The young commissioners score the quality questions of the youth mental health tender.

Before the evaluators start, the commissioner delegates the quality criterion's questions
(service model; workforce and safeguarding) to the Northshire Young Commissioners (ADR 0030).
After declaring no conflict, the commissioner writes an easy-read summary of each answer; the
facilitator opens the vote; each young member declares, reads the answers as Bid A, Bid B…
and scores them; the facilitator closes the vote, and the worker's write-back makes the
panel's means the moderated quality scores.
"""

from __future__ import annotations

from citizens import demo as citizens_demo
from citizens.models import Decision
from citizens.services.decisions import ballot_cast, decision_close, decision_open
from commissioning.demo import content as text
from commissioning.demo.build import Cast
from commissioning.models import AwardCriterion, Bid, CitizensDelegation, Tender
from commissioning.selectors.citizens_delegation import delegated_answers
from commissioning.services.citizens_delegation import (
    delegation_apply,
    delegation_create,
    delegation_summaries_save,
    member_declare,
)

# An easy-read summary of each bidder's answers to questions 1 and 2.
SUMMARIES = {
    text.RIVERSIDE: (
        "A local charity. Young people can drop in at two hubs, or be sent by a doctor, a "
        "social worker or themselves. Volunteers reach young people in villages.",
        "Every worker and volunteer is checked and trained to keep young people safe, and "
        "meets a supervisor every month. Most volunteers stay for more than a year."),
    text.MUTUAL: (
        "A company owned by its staff, who used to work for the council. They know how "
        "support works in the county and will add a phone line to talk to someone.",
        "Workers are paid the Real Living Wage and own part of the company. One trained "
        "manager is in charge of keeping young people safe."),
    text.BRIGHTWAY: (
        "A large national company. Young people would be referred through its national "
        "website, with managers for the region.",
        "They hire and train new staff in six weeks. A national team checks that young "
        "people are kept safe."),
}
# Each young member's mark (0 to 10) for the quality of service (questions 1 and 2 together:
# scores are kept per award criterion), by bidder.
MARKS = [
    {text.RIVERSIDE: 9, text.MUTUAL: 7, text.BRIGHTWAY: 4},
    {text.RIVERSIDE: 8, text.MUTUAL: 8, text.BRIGHTWAY: 5},
    {text.RIVERSIDE: 9, text.MUTUAL: 6, text.BRIGHTWAY: 3},
    {text.RIVERSIDE: 7, text.MUTUAL: 8, text.BRIGHTWAY: 5},
    {text.RIVERSIDE: 8, text.MUTUAL: 7, text.BRIGHTWAY: 4},
    {text.RIVERSIDE: 9, text.MUTUAL: 7, text.BRIGHTWAY: 6},
]


def delegate(cast: Cast, tender: Tender) -> CitizensDelegation | None:
    """Put the quality questions to the young commissioners (before anyone scores)."""
    panel = citizens_demo.young_panel()
    if panel is None:
        return None
    quality = tender.criteria.get(kind=AwardCriterion.Kind.QUALITY)
    return delegation_create(actor=cast.commissioner, tender=tender, panel=panel,
                             questions=list(tender.questions.filter(criterion=quality)))


def score(cast: Cast, delegation: CitizensDelegation | None) -> None:
    """Summaries, the vote and its close; the commissioner has declared by now."""
    if delegation is None:
        return
    names = dict(Bid.objects.filter(pk__in=[int(pk) for pk in delegation.bid_labels])
                 .values_list("pk", "organisation__name"))
    bids = delegated_answers(delegation=delegation, user=cast.commissioner, for_summary=True)
    delegation_summaries_save(actor=cast.commissioner, delegation=delegation, summaries={
        (bid.bid_id, answer.question.pk): SUMMARIES[names[bid.bid_id]][n]
        for bid in bids for n, answer in enumerate(bid.answers)})
    decision = Decision.objects.get(pk=delegation.decision_id)
    facilitator = cast.person(citizens_demo.FACILITATOR[0])
    decision = decision_open(actor=facilitator, decision=decision)
    options = {o["reference"]: o["id"] for o in decision.config["options"]}
    (criterion,) = (c["id"] for c in decision.config["criteria"])
    voters = [entry.user for entry in decision.roll.select_related("user").order_by("user_id")]
    for person, marks in zip(voters, MARKS, strict=False):
        member_declare(actor=person, delegation=delegation, has_conflict=False)
        delegated_answers(delegation=delegation, user=person)
        ballot_cast(actor=person, decision=decision, content={"scores": {
            options[f"tender-bid-{bid_id}"]: {criterion: marks[name]}
            for bid_id, name in names.items()}})
    decision_close(actor=facilitator, decision=decision)
    delegation_apply(decision_id=decision.pk)  # what the worker does with the queued task
