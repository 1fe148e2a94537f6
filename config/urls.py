from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from core import views as core_views

# The Django admin signs people in through allauth, so its login is rate-limited and two-factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Portal administration"

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("organisations/", include("organisations.urls")),
    path("compliance/", include("compliance.urls")),
    path("social-value/", include("socialvalue.urls")),
    path("mutuals/", include("mutuals.urls")),
    path("reports/", include("reports.urls")),
    path("grants/", include("grants.urls")),
    path("panels/", include("citizens.urls")),
    path("", include("commissioning.urls")),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
