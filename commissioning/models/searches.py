"""Saved tender searches with email alerts, and which tenders each person was alerted to."""

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


class SavedSearch(TimeStampedModel):
    """A supplier's filters of the public tender list, kept to be emailed new matches daily."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="saved_tender_searches")
    name = models.CharField(max_length=120)
    query = models.TextField(blank=True, help_text="The list's filters, as a query string.")

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "query"],
                                               name="saved_search_once_per_user")]

    def __str__(self) -> str:
        return self.name


class TenderAlert(models.Model):
    """A tender someone was emailed about: the digest tells each person of each tender once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    tender = models.ForeignKey("commissioning.Tender", on_delete=models.CASCADE,
                               related_name="+")
    saved_search = models.ForeignKey(SavedSearch, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="alerts")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tender"],
                                               name="tender_alert_once_per_user")]
