"""Staged procedures (competitive flexible procedure) and the supplier's core information."""

from django.urls import path

from commissioning.views import stages, supplier_information

urlpatterns = [
    path("commissioning/tenders/<int:pk>/stages/", stages.procedure_overview,
         name="procedure_overview"),
    path("commissioning/tenders/<int:pk>/stages/design/", stages.procedure_design,
         name="procedure_design"),
    path("commissioning/tenders/<int:pk>/stages/new/", stages.stage_add, name="stage_add"),
    path("commissioning/stages/<int:pk>/open/", stages.stage_open, name="stage_open"),
    path("commissioning/stages/<int:pk>/deadline/", stages.stage_extend, name="stage_extend"),
    path("commissioning/stages/<int:pk>/meetings/", stages.stage_meetings, name="stage_meetings"),
    path("commissioning/tenders/<int:pk>/shortlist/", stages.shortlist, name="shortlist"),
    path("commissioning/tenders/<int:pk>/shortlist/<int:bid_pk>/", stages.shortlist_decide,
         name="shortlist_decide"),
    path("commissioning/tenders/<int:pk>/refinements/", stages.refinements, name="refinements"),
    path("procedures/", stages.supplier_procedures, name="supplier_procedures"),
    path("procedures/stages/<int:pk>/", stages.supplier_round, name="supplier_round"),
    path("procedures/stages/<int:pk>/questions/ask/", stages.supplier_round_ask,
         name="supplier_round_ask"),
    path("supplier-information/", supplier_information.supplier_information,
         name="supplier_information"),
    path("bids/<int:pk>/supplier-information/", supplier_information.bid_supplier_information,
         name="bid_supplier_information"),
    path("evaluation/bids/<int:pk>/supplier-information/",
         supplier_information.submitted_supplier_information,
         name="submitted_supplier_information"),
]
