"""Notices (public), direct awards, contract changes and contract performance."""

from django.urls import path

from commissioning.views import notices as views

urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/release.json", views.notice_release, name="notice_release"),
    path("direct-awards/", views.direct_award_list, name="direct_award_list"),
    path("direct-awards/new/", views.direct_award_create, name="direct_award_create"),
    path("direct-awards/<int:pk>/", views.direct_award, name="direct_award"),
    path("direct-awards/<int:pk>/transparency-notice/", views.direct_award_publish,
         name="direct_award_publish"),
    path("direct-awards/<int:pk>/award/", views.direct_award_award, name="direct_award_award"),
    path("direct-awards/<int:pk>/terminate/", views.direct_award_cancel,
         name="direct_award_cancel"),
    path("contracts/<int:pk>/changes/", views.contract_changes, name="contract_changes"),
    path("contracts/<int:pk>/changes/<int:change_pk>/notice/", views.contract_change_notice,
         name="contract_change_notice"),
    path("contracts/<int:pk>/changes/<int:change_pk>/make/", views.contract_change_make,
         name="contract_change_make"),
    path("contracts/<int:pk>/performance/", views.contract_performance,
         name="contract_performance"),
    path("contracts/<int:pk>/performance/notice/", views.contract_performance_notice,
         name="contract_performance_notice"),
    path("contracts/<int:pk>/termination-notice/", views.contract_expiry_notice,
         name="contract_expiry_notice"),
    path("projects/<int:pk>/engagement-notice/", views.project_engagement_notice,
         name="project_engagement_notice"),
    path("projects/<int:pk>/pipeline-notice/", views.project_pipeline_notice,
         name="project_pipeline_notice"),
    path("tenders/<int:pk>/planned-procurement-notice/", views.tender_planned_notice,
         name="tender_planned_notice"),
    path("tenders/<int:pk>/engagement-notice-reason/", views.engagement_notice_reason,
         name="engagement_notice_reason"),
]
