from django.urls import path

from commissioning.feeds import LatestTendersFeed
from commissioning.views import clarifications, cpv, public, searches

urlpatterns = [
    path("tenders/", public.tender_list, name="tender_list"),
    path("tenders/feed/", LatestTendersFeed(), name="tender_feed"),
    path("cpv/", cpv.cpv_picker, name="cpv_picker"),
    path("tenders/alerts/", searches.tender_alerts, name="tender_alerts"),
    path("tenders/alerts/new/", searches.tender_alert_create, name="tender_alert_create"),
    path("tenders/alerts/<int:pk>/delete/", searches.tender_alert_delete,
         name="tender_alert_delete"),
    path("tenders/<int:pk>/", public.tender_detail, name="tender_detail"),
    path("tenders/<int:pk>/documents/<int:document_pk>/", public.tender_document,
         name="tender_document"),
    path("tenders/<int:pk>/interest/", public.tender_register_interest,
         name="tender_register_interest"),
    path("tenders/<int:pk>/questions/ask/", clarifications.clarification_ask,
         name="clarification_ask"),
    path("tenders/<int:pk>/questions/sent/", clarifications.clarification_asked,
         name="clarification_asked"),
]
