"""Deadline reminders sent to suppliers with a draft bid: one row per bid, kind and deadline."""

from django.db import models


class BidDeadlineReminder(models.Model):
    """A reminder sent (24 hours or 1 hour before the deadline) for one bid.

    Unique per bid, kind and deadline: a reminder is sent once; if the deadline is extended,
    the new deadline earns its own reminders.
    """

    class Kind(models.TextChoices):
        DAY = "24h", "24 hours before the deadline"
        HOUR = "1h", "1 hour before the deadline"

    bid = models.ForeignKey("commissioning.Bid", on_delete=models.CASCADE,
                            related_name="deadline_reminders")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    deadline = models.DateTimeField(help_text="The deadline the reminder was about.")
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["bid", "kind", "deadline"],
                                               name="bid_reminder_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for bid {self.bid_id}"
