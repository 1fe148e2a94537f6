"""Reference data: the Common Procurement Vocabulary (CPV 2008) with its descriptions."""

from django.db import models


class CpvCode(models.Model):
    """One code of the CPV 2008 main vocabulary (Commission Regulation (EC) No 213/2008,
    Annex I), without its check digit; loaded by ``manage.py load_cpv_codes``."""

    code = models.CharField(max_length=8, primary_key=True)
    description = models.CharField(max_length=400)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"
