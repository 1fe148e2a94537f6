"""Citizens reports: aggregates, scoped to the authority, never a person's data."""

from commissioning.selectors.reports import ReportScope
from reports.presenters import REPORTS
from tests.citizens.conftest import move_to
from tests.citizens.test_decisions import ids, make


def test_panel_reports_are_scoped_and_aggregate(panel, officer, members, authority,
                                                other_authority_staff):
    from citizens.services import decisions

    move_to(panel, officer, "start_learning", "start_voting")
    decision = decisions.decision_open(actor=officer, decision=make(panel, officer))
    for voter in members[:3]:
        decisions.ballot_cast(actor=voter, decision=decision, content={"ranking": ids(decision)})
    decisions.decision_close(actor=officer, decision=decision)
    mine = ReportScope(authority_ids=[authority.pk])
    theirs = ReportScope(authority_ids=[other_authority_staff.memberships.first()
                                        .organisation_id])
    panels = REPORTS["panels"].build(scope=mine, everything=True)
    assert [(r["panel"], r["members"], r["decisions"]) for r in panels.rows] == [
        ("Food Futures Panel", 4, 1)]
    assert REPORTS["panels"].build(scope=theirs, everything=True).rows == []
    decided = REPORTS["panel-decisions"].build(scope=mine, everything=True).rows
    assert decided[0]["turnout"] == 75 and decided[0]["response"] == "None yet"
    flat = repr(panels.rows) + repr(decided)
    assert not any(m.full_name in flat or m.email in flat for m in members)
