from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("accessibility/", views.static_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", views.static_page, {"page": "privacy"}, name="privacy"),
    path("cookies/", views.static_page, {"page": "cookies"}, name="cookies"),
    path("healthz", views.healthz, name="healthz"),
]
