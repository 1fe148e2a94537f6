"""Each tally against worked examples whose answers are known (and ties broken as published)."""

from fractions import Fraction

from citizens.tally import tie_order
from citizens.tally.budget import equal_shares
from citizens.tally.ranked import droop_quota, irv, stv
from citizens.tally.scores import score
from citizens.tally.simple import approval, consent


def ranked(*rows):
    ballots = []
    for count, ranking in rows:
        ballots += [{"ranking": list(ranking)}] * count
    return ballots


def test_irv_tennessee_capital():
    # The textbook example: Memphis leads on first preferences but Knoxville wins after
    # Chattanooga and then Nashville are eliminated.
    ballots = ranked((42, "MNCK"), (26, "NCKM"), (15, "CKNM"), (17, "KCNM"))
    result = irv(ballots, options=list("MNCK"), priority=list("MNCK"))
    assert result["winners"] == ["K"]
    assert result["eliminated"] == ["C", "N"]
    assert result["rounds"][0] == {"M": "42", "N": "26", "C": "15", "K": "17"}
    assert result["rounds"][-1] == {"M": "42", "K": "58"}


def test_irv_outright_majority_wins_in_the_first_round():
    result = irv(ranked((3, "AB"), (2, "BA")), options=["A", "B"], priority=["A", "B"])
    assert result["winners"] == ["A"] and len(result["rounds"]) == 1


def test_irv_elimination_tie_looks_back_then_uses_priority():
    # Round 1: A 4, B 2, C 2, D 1: D goes. Round 2: B and C tie on 2 and the earlier round
    # tied them too, so C (later in the priority order) goes and its ballots move to B.
    # Round 3: A 4, B 4: round 2 had B on fewer votes, so B goes and A wins.
    ballots = ranked((4, "A"), (2, "BA"), (2, "CB"), (1, "D"))
    result = irv(ballots, options=list("ABCD"), priority=list("ABCD"))
    assert result["eliminated"] == ["D", "C", "B"]
    assert result["winners"] == ["A"]
    # With C ahead of B in the priority order, B goes in round 2; its ballots give A a majority.
    flipped = irv(ballots, options=list("ABCD"), priority=list("ACBD"))
    assert flipped["eliminated"] == ["D", "B"]
    assert flipped["rounds"][-1] == {"A": "6", "C": "2"}
    assert flipped["winners"] == ["A"]


def test_stv_droop_quota():
    assert droop_quota(20, 3) == 6
    assert droop_quota(100, 1) == 51


def test_stv_food_election_with_fractional_surplus_transfer():
    # Wikipedia's STV example: 20 voters, 3 seats, quota 6.
    ballots = ranked((4, "O"), (2, "PO"), (8, "CS"), (4, "CW"), (1, "S"), (1, "W"))
    result = stv(ballots, options=list("OPCSW"), seats=3, priority=list("OPCSW"))
    assert result["quota"] == 6
    assert result["winners"] == ["C", "O", "S"]
    assert result["events"][0] == {"elected": "C", "surplus": "6", "transfer_value": "0.5"}
    # Chocolate's surplus gives Strawberries 8 × ½ = 4 more and Sweets 4 × ½ = 2 more.
    assert result["rounds"][1]["S"] == "5" and result["rounds"][1]["W"] == "3"


def test_stv_unbreakable_tie_uses_published_priority():
    ballots = ranked((1, "A"), (1, "B"))
    first = stv(ballots, options=["A", "B"], seats=1, priority=["A", "B"])
    second = stv(ballots, options=["A", "B"], seats=1, priority=["B", "A"])
    assert first["winners"] == ["A"] and second["winners"] == ["B"]


def test_tie_order_is_fixed_by_the_salt_and_not_by_the_input_order():
    ids = ["11", "12", "13", "14"]
    assert tie_order(ids, "abc") == tie_order(list(reversed(ids)), "abc")
    assert sorted(tie_order(ids, "abc")) == ids


def test_consent_passes_blocks_and_thresholds():
    def ballots(**counts):
        return [{"choice": choice} for choice, n in counts.items() for _ in range(n)]

    passed = consent(ballots(agree=6, abstain=3, disagree=2), threshold_percent=75)
    assert passed["outcome"] == "passed" and passed["agree_share"] == "0.75"
    assert consent(ballots(agree=9, block=1), threshold_percent=50)["outcome"] == "blocked"
    assert consent(ballots(agree=2, disagree=3), threshold_percent=50)["outcome"] == "not_passed"
    assert consent(ballots(abstain=4), threshold_percent=50)["outcome"] == "not_passed"


def test_approval_top_seats_with_threshold_and_priority_tie_break():
    ballots = [{"approved": a} for a in (["A", "B"], ["A", "C"], ["B", "C"], ["A"])]
    result = approval(ballots, options=["A", "B", "C"], seats=2, threshold_percent=0,
                      priority=["C", "B", "A"])
    assert result["counts"] == {"A": 3, "B": 2, "C": 2}
    assert result["winners"] == ["A", "C"]  # B and C tie on 2; C comes first in priority
    strict = approval(ballots, options=["A", "B", "C"], seats=2, threshold_percent=60,
                      priority=["A", "B", "C"])
    assert strict["winners"] == ["A"]  # only A has 60% approval (3 of 4)


def test_score_weighted_mean_over_criteria():
    criteria = {"q1": 2, "q2": 1}
    ballots = [{"scores": {"X": {"q1": 4, "q2": 1}, "Y": {"q1": 3, "q2": 5}}},
               {"scores": {"X": {"q1": 2, "q2": 3}, "Y": {"q1": 3, "q2": 5}}}]
    result = score(ballots, options=["X", "Y"], criteria=criteria, score_max=5, seats=1,
                   priority=["X", "Y"])
    # X: q1 mean 3, q2 mean 2 → (3×2 + 2×1) / 3 = 8/3; Y: (3×2 + 5×1) / 3 = 11/3.
    assert result["scores"] == {"X": "2.6667", "Y": "3.6667"}
    assert result["winners"] == ["Y"]
    assert result["per_criterion"]["X"] == {"q1": "3", "q2": "2"}


def test_equal_shares_matches_the_published_pabutools_example():
    costs = {"YC": Fraction(40000), "FB": Fraction(30000), "PB": Fraction(10000),
             "DS": Fraction(25000)}
    ballots = [{"approved": a} for a in (["YC", "PB"], ["YC", "FB"], ["FB", "DS"], ["YC"],
                                         ["PB", "DS"])]
    result = equal_shares(ballots, options=list(costs), costs=costs, budget=Fraction(70000),
                          priority=list(costs))
    assert result["winners"] == ["YC", "DS"]
    assert result["spent"] == "65000" and result["left"] == "5000"
    assert [s["by"] for s in result["steps"]] == ["equal shares", "equal shares"]


def test_equal_shares_completion_spends_what_equal_shares_leaves():
    # Two voters each hold £50. A (£60) is approved by both; B (£50) by the first only;
    # C (£30) by the second only. MES funds A (both pay £30); then B is unaffordable for
    # voter 1 alone (£20 left), and C for voter 2 (£20 left). Completion takes B and C (one
    # supporter each, B first by priority): B (£110 in all) does not fit £100; C (£90) does.
    costs = {"A": Fraction(60), "B": Fraction(50), "C": Fraction(30)}
    ballots = [{"approved": ["A", "B"]}, {"approved": ["A", "C"]}]
    result = equal_shares(ballots, options=list(costs), costs=costs, budget=Fraction(100),
                          priority=["A", "B", "C"])
    assert result["winners"] == ["A", "C"]
    assert result["steps"][1] == {"funded": "C", "by": "completion"}
    assert result["spent"] == "90"


def test_equal_shares_proportionality_minority_gets_its_share():
    # 3 voters want X (£60) and Y (£60); 1 voter wants Z (£25). Budget £100 → each £25.
    # The majority can afford X (£75 ≥ £60) but then not Y; the minority funds Z alone.
    costs = {"X": Fraction(60), "Y": Fraction(60), "Z": Fraction(25)}
    ballots = [{"approved": ["X", "Y"]}] * 3 + [{"approved": ["Z"]}]
    result = equal_shares(ballots, options=list(costs), costs=costs, budget=Fraction(100),
                          priority=list(costs))
    assert set(result["winners"]) == {"X", "Z"}
