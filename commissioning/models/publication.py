"""OCDS releases, one per lifecycle event, stored as published (never rewritten)."""

from django.db import models


class Release(models.Model):
    tender = models.ForeignKey("commissioning.Tender", on_delete=models.PROTECT,
                               related_name="releases")
    ocid = models.CharField(max_length=100, db_index=True)
    release_id = models.CharField(max_length=150, unique=True)
    date = models.DateTimeField(db_index=True)
    tags = models.JSONField()
    payload = models.JSONField()

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.release_id
