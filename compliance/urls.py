from django.urls import path

from compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/assign/", views.finding_assign, name="finding_assign"),
    path("findings/<int:pk>/acknowledge/", views.finding_acknowledge,
         name="finding_acknowledge"),
    path("findings/<int:pk>/comment/", views.finding_comment, name="finding_comment"),
    path("checks/<str:check_id>/run/", views.run_check, name="run_check"),
]
