"""The public OCDS API (no login): its landing page, release and record packages."""

from django.urls import path

from commissioning.views import ocds

urlpatterns = [
    path("ocds/", ocds.ocds_index, name="ocds_index"),
    path("ocds/releases/", ocds.release_list, name="ocds_releases"),
    path("ocds/releases/<str:release_id>/", ocds.release_detail, name="ocds_release"),
    path("ocds/records/", ocds.record_list, name="ocds_records"),
    path("ocds/records/<str:ocid>/", ocds.record_detail, name="ocds_record"),
]
