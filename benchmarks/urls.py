"""The portal's URLs plus the references every page is compared with: a trivial view, and
Django admin's own changelist of tenders (the portal itself has no tender admin)."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from commissioning.models import Tender
from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as portal


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


class TenderChangelist(admin.ModelAdmin):
    """What a developer would register in a minute: the columns of the public list, a search."""

    list_display = ("reference", "title", "authority", "status", "estimated_value_inc_vat",
                    "deadline")
    list_select_related = ("authority",)
    search_fields = ("title", "summary", "reference")
    list_per_page = 20


reference_admin = admin.AdminSite(name="bench_admin")
reference_admin.register(Tender, TenderChangelist)

urlpatterns = [path("bench/trivial/", trivial), path("bench/admin/", reference_admin.urls),
               *portal]
