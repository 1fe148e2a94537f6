"""Awards, the award notice and standstill, contracts, and bidders' feedback."""

from django.urls import path

from commissioning.views import awards as views

urlpatterns = [
    path("tenders/<int:pk>/award/", views.award_start, name="award_start"),
    path("awards/<int:pk>/", views.award, name="award"),
    path("awards/<int:pk>/approve/", views.award_approve, name="award_approve"),
    path("awards/<int:pk>/reject/", views.award_reject, name="award_reject"),
    path("awards/<int:pk>/notice/", views.award_notice, name="award_notice"),
    path("awards/<int:pk>/notice/published/", views.award_notice_published,
         name="award_notice_published"),
    path("awards/<int:pk>/contract/", views.contract_enter, name="contract_enter"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("contracts/<int:pk>/kpis/<int:kpi_pk>/remove/", views.contract_kpi_remove,
         name="contract_kpi_remove"),
    path("contracts/<int:pk>/details-notice/", views.contract_details_publish,
         name="contract_details_publish"),
    path("contracts/<int:pk>/terminate/", views.contract_terminate, name="contract_terminate"),
    path("bids/<int:pk>/feedback/", views.feedback, name="feedback"),
]
