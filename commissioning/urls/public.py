from django.urls import path

from commissioning.feeds import LatestTendersFeed
from commissioning.views import clarifications, public

urlpatterns = [
    path("tenders/", public.tender_list, name="tender_list"),
    path("tenders/feed/", LatestTendersFeed(), name="tender_feed"),
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
