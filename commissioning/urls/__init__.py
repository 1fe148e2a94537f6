"""Commissioning URLs, one module per screen family (all in the "commissioning" namespace)."""

from commissioning.urls import (
    awards,
    bids,
    evaluation,
    notices,
    ocds,
    pipeline,
    public,
    stages,
    tenders,
)

app_name = "commissioning"
urlpatterns = [
    *public.urlpatterns,
    *pipeline.urlpatterns,
    *tenders.urlpatterns,
    *bids.urlpatterns,
    *evaluation.urlpatterns,
    *awards.urlpatterns,
    *notices.urlpatterns,
    *ocds.urlpatterns,
    *stages.urlpatterns,
]
