"""Decisions, their frozen configuration, the voter roll, ballots, results and responses.

Secret by construction: ``VoterRollEntry`` says *who* voted (for quorum and reminders) and
``Ballot`` says *what* was voted. A ballot has a random UUID key and a random receipt token,
no foreign key to a person or to the roll, and no timestamp: with the whole database nobody
can tell how a person voted. Open, named votes exist only where a decision says so
(``Decision.secret = False``), and then ``NamedVote`` records the name beside the ballot.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel
from core.money import MoneyField


class Method(models.TextChoices):
    CONSENT = "consent", "Consent (agree, abstain, disagree, block)"
    APPROVAL = "approval", "Approval (choose any within limits)"
    IRV = "irv", "Ranked: instant run-off (one winner)"
    STV = "stv", "Ranked: single transferable vote (several winners)"
    SCORE = "score", "Score against weighted criteria"
    BUDGET = "budget", "Budget: Method of Equal Shares"


class Decision(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Voting open"
        CLOSED = "closed", "Closed: result declared"

    class Visibility(models.TextChoices):
        AFTER_CLOSE = "after_close", "After voting closes"
        LIVE = "live", "Live while voting is open"

    class Eligibility(models.TextChoices):
        ALL_MEMBERS = "all_members", "All members and young members"
        ADULTS = "adults", "Adult members only"
        YOUNG = "young", "Young members only"

    panel = models.ForeignKey("citizens.Panel", on_delete=models.CASCADE,
                              related_name="decisions")
    title = models.CharField(max_length=200)
    question = models.TextField()
    easy_read_question = models.TextField(blank=True)
    method = models.CharField(max_length=20, choices=Method.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    secret = models.BooleanField(default=True, help_text="Off only for open, named votes.")
    eligibility = models.CharField(max_length=20, choices=Eligibility.choices,
                                   default=Eligibility.ALL_MEMBERS)
    results_visibility = models.CharField(max_length=20, choices=Visibility.choices,
                                          default=Visibility.AFTER_CLOSE)
    seats = models.PositiveSmallIntegerField(default=1, help_text="Winners (STV, approval).")
    min_choices = models.PositiveSmallIntegerField(default=0)
    max_choices = models.PositiveSmallIntegerField(default=0, help_text="0: no limit.")
    score_max = models.PositiveSmallIntegerField(default=5)
    budget = MoneyField(null=True, blank=True)
    quorum_percent = models.PositiveSmallIntegerField(default=50)
    threshold_percent = models.PositiveSmallIntegerField(
        default=50, help_text="Share of valid votes needed (consent: agreement, no blocks).")
    closes_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True,
                                 help_text="Opaque reference of the caller that asked for it.")
    briefing_url = models.CharField(
        max_length=300, blank=True,
        help_text="Set by the caller: where voters read what they decide on (its own page, "
                  "with its own checks).")
    config = models.JSONField(default=dict, blank=True, help_text="Frozen when voting opens.")
    config_hash = models.CharField(max_length=64, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["panel", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class DecisionOption(models.Model):
    """A choice: a label, an easy-read summary, an opaque reference and (budgets) a cost."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    easy_read_summary = models.TextField(blank=True)
    reference = models.CharField(max_length=100, blank=True)
    cost = MoneyField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["decision", "order", "id"]

    def __str__(self) -> str:
        return self.label


class Criterion(models.Model):
    """A scoring criterion of a score decision, with its weight."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(default=1)
    reference = models.CharField(max_length=100, blank=True,
                                 help_text="Opaque reference of the caller's criterion.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["decision", "order", "id"]

    def __str__(self) -> str:
        return self.label


class VoterRollEntry(models.Model):
    """Who may vote on a decision and whether they have: never what they chose."""

    class Channel(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "Paper"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="roll")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_voted = models.BooleanField(default=False)
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    # The day only: a precise time would let someone line the roll up against the ballots.
    voted_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "user"],
                                               name="citizens_roll_once")]
        indexes = [models.Index(fields=["decision", "has_voted"])]

    def __str__(self) -> str:
        return f"Roll entry {self.pk}"


def _new_receipt() -> str:
    import secrets

    return secrets.token_urlsafe(16)


class Ballot(models.Model):
    """What one voter chose. Deliberately: random key, no person, no roll link, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ballots")
    token = models.CharField(max_length=32, unique=True, default=_new_receipt)
    content = models.JSONField()
    channel = models.CharField(max_length=10, choices=VoterRollEntry.Channel.choices)

    class Meta:
        ordering = ["decision", "token"]

    def __str__(self) -> str:
        return f"Ballot {self.token[:6]}…"


class NamedVote(models.Model):
    """Only for open (named) decisions: which person cast which ballot, published with it."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="named_votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ballot = models.OneToOneField(Ballot, on_delete=models.CASCADE, related_name="named")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "user"],
                                               name="citizens_named_vote_once")]

    def __str__(self) -> str:
        return f"Named vote {self.pk}"


class PaperBallotEntry(models.Model):
    """One officer's keying of one numbered paper ballot; two officers key every paper."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE,
                                 related_name="paper_entries")
    paper_number = models.PositiveIntegerField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    content = models.JSONField()
    reconciled = models.BooleanField(default=False)

    class Meta:
        ordering = ["decision", "paper_number", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "paper_number", "entered_by"],
                                               name="citizens_paper_keyed_once_per_officer")]

    def __str__(self) -> str:
        return f"Paper ballot {self.paper_number}"


class OfficialResponse(TimeStampedModel):
    """The commissioner's published answer to a panel recommendation."""

    class Stance(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        PARTLY = "partly", "Accepted in part"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="response")
    stance = models.CharField(max_length=20, choices=Stance.choices)
    text = models.TextField()
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")

    def __str__(self) -> str:
        return f"Response to {self.decision}"


class ImplementationUpdate(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Not going ahead"

    response = models.ForeignKey(OfficialResponse, on_delete=models.CASCADE,
                                 related_name="updates")
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.note[:40]}"
