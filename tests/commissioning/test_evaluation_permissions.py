"""Who may see what, before opening, during evaluation and once awarded.

Rows: anonymous, citizen, an unrelated provider, the bidder, another bidder, the commissioner,
an evaluator without a conflict, an evaluator who declared a conflict with the bidder, a
commissioner of another authority, a platform administrator. 302 = asked to sign in.
"""

import pytest
from django.urls import reverse

from commissioning.services.awards import award_approve, award_notice_publish, award_propose
from commissioning.services.evaluation import evaluator_add
from organisations.models import Role
from tests import factories
from tests.commissioning import evaluation_support as support

ACTORS = ["anonymous", "citizen", "provider", "bidder", "other_bidder", "commissioner",
          "evaluator", "conflicted", "other_authority", "platform_admin"]


@pytest.fixture
def world(authority, commissioner, citizen, provider_admin, platform_admin):
    tender = support.closed_tender(authority, commissioner)
    people = {"anonymous": None, "citizen": citizen, "provider": provider_admin,
              "commissioner": commissioner, "platform_admin": platform_admin,
              "evaluator": support.staff(authority, Role.EVALUATOR),
              "conflicted": support.staff(authority, Role.EVALUATOR),
              "other_authority": support.staff(factories.AuthorityFactory())}
    for key in ("evaluator", "conflicted"):
        evaluator_add(tender=tender, actor=commissioner, user=people[key], is_moderator=True)
    bid = support.sealed_bid(tender, name="Riverside Care")
    other = support.sealed_bid(tender, name="Hillside Support")
    people["bidder"], people["other_bidder"] = bid.created_by, other.created_by
    return {"tender": tender, "bid": bid, "other": other, "people": people,
            "approver": support.staff(authority, Role.AUTHORITY_ADMIN)}


def to_evaluation(world):
    tender, people = world["tender"], world["people"]
    support.open_and_start(tender, people["commissioner"], world["approver"])
    support.declare(people["evaluator"], tender)
    support.declare(people["conflicted"], tender, world["bid"].organisation)
    support.declare(people["commissioner"], tender)
    support.declare(world["approver"], tender)


def to_awarded(world):
    to_evaluation(world)
    criteria = support.standard_criteria(world["tender"])
    from commissioning.services.evaluation import moderation_save, scores_save

    for bid, person in ((world["bid"], "evaluator"), (world["other"], "evaluator"),
                        (world["other"], "conflicted")):
        marks = support.entries(criteria, quality=60, social_value=60)
        bid.refresh_from_db()
        scores_save(bid=bid, actor=world["people"][person], entries=marks, submit=True)
    for bid in (world["bid"], world["other"]):
        moderation_save(bid=bid, actor=world["people"]["evaluator"], entries=support.entries(
            criteria, quality=60, social_value=60))
    award = award_propose(tender=world["tender"], actor=world["people"]["commissioner"],
                          bid=world["other"], override_reason="Tied: the published rule.")
    award_approve(award=award, actor=world["approver"])
    award_notice_publish(award=award, actor=world["approver"])
    world["award"] = award


def urls(world):
    tender, bid = world["tender"].pk, world["bid"].pk
    pages = {
        "opening": reverse("commissioning:opening", args=[tender]),
        "evaluation": reverse("commissioning:evaluation", args=[tender]),
        "score": reverse("commissioning:bid_evaluate", args=[bid]),
        "scores": reverse("commissioning:bid_scores", args=[bid]),
        "ranking": reverse("commissioning:ranking", args=[tender]),
        "feedback": reverse("commissioning:feedback", args=[bid]),
    }
    if "award" in world:
        pages["award"] = reverse("commissioning:award", args=[world["award"].pk])
    return pages


def expected(state: str, actor: str, page: str) -> int:
    if actor == "anonymous":
        return 302
    if page == "feedback":
        return 200 if state == "awarded" and actor == "bidder" else 404
    allowed = {
        "before": {"opening": {"commissioner"}},
        "evaluation": {
            "opening": {"commissioner"},
            "evaluation": {"commissioner", "evaluator", "conflicted"},
            "score": {"evaluator"},
            "scores": {"commissioner", "evaluator"},
            "ranking": {"commissioner"},
        },
        "awarded": {
            "opening": {"commissioner"},
            "evaluation": {"commissioner", "evaluator", "conflicted"},
            "scores": {"commissioner", "evaluator"},
            "ranking": {"commissioner"},
            "award": {"commissioner", "evaluator", "conflicted"},
        },
    }[state]
    return 200 if actor in allowed.get(page, set()) else 403


@pytest.mark.parametrize("state", ["before", "evaluation", "awarded"])
def test_permission_matrix(client, world, state):
    {"before": lambda w: None, "evaluation": to_evaluation, "awarded": to_awarded}[state](world)
    failures = []
    for actor in ACTORS:
        client.logout()
        if world["people"][actor] is not None:
            client.force_login(world["people"][actor])
        for page, url in urls(world).items():
            status = client.get(url).status_code
            if status != expected(state, actor, page):
                failures.append(f"{actor} {page}: {status}, expected "
                                f"{expected(state, actor, page)}")
    assert not failures, "\n".join(failures)
