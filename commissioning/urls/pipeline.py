from django.urls import path

from commissioning.views import pipeline

urlpatterns = [
    path("pipeline/", pipeline.pipeline_list, name="pipeline_list"),
    path("pipeline/<int:pk>/", pipeline.project_detail, name="project_detail"),
    path("pipeline/questions/<int:pk>/respond/", pipeline.market_respond, name="market_respond"),
    path("commissioning/projects/", pipeline.project_admin_list, name="project_admin_list"),
    path("commissioning/projects/new/", pipeline.project_form, name="project_create"),
    path("commissioning/projects/<int:pk>/edit/", pipeline.project_form, name="project_edit"),
    path("commissioning/projects/<int:pk>/engagement/", pipeline.project_start_engagement,
         name="project_start_engagement"),
    path("commissioning/projects/<int:pk>/events/new/", pipeline.event_add, name="event_add"),
    path("commissioning/projects/<int:pk>/questions/new/", pipeline.market_question_add,
         name="market_question_add"),
]
