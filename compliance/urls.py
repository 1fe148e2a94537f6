from django.urls import path

from compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("checks/<str:check_id>/run/", views.run_check, name="run_check"),
]
