"""Bid URLs: preparing, submitting and withdrawing bids, receipts, platform incidents."""

from django.urls import path

from commissioning.views import bids as views

urlpatterns = [
    path("bids/", views.bid_list, name="bid_list"),
    path("tenders/<int:tender_pk>/bid/", views.bid_start, name="bid_start"),
    path("bids/<int:pk>/", views.bid_detail, name="bid_detail"),
    path("bids/<int:pk>/questions/<int:question_pk>/", views.bid_answer, name="bid_answer"),
    path("bids/<int:pk>/price/", views.bid_price, name="bid_price"),
    path("bids/<int:pk>/social-value/", views.bid_social_value, name="bid_social_value"),
    path("bids/<int:pk>/social-value/check/", views.bid_social_value_check,
         name="bid_social_value_check"),
    path("bids/<int:pk>/consortium/", views.bid_consortium, name="bid_consortium"),
    path("bids/<int:pk>/consortium/<int:member_pk>/remove/", views.bid_consortium_remove,
         name="bid_consortium_remove"),
    path("bids/<int:pk>/documents/", views.bid_documents, name="bid_documents"),
    path("bids/<int:pk>/files/<int:file_pk>/", views.bid_file_download, name="bid_file"),
    path("bids/<int:pk>/files/<int:file_pk>/remove/", views.bid_file_remove,
         name="bid_file_remove"),
    path("bids/<int:pk>/submit/", views.bid_submit, name="bid_submit"),
    path("bids/<int:pk>/withdraw/", views.bid_withdraw, name="bid_withdraw"),
    path("bids/<int:pk>/receipts/<int:receipt_pk>/", views.bid_receipt, name="bid_receipt"),
    path("bids/<int:pk>/sent/", views.bid_sent, name="bid_sent"),
    path("bids/<int:pk>/receipts/<int:receipt_pk>/print/", views.bid_receipt_print,
         name="bid_receipt_print"),
    path("bids/<int:pk>/receipts/<int:receipt_pk>/download/", views.bid_receipt_download,
         name="bid_receipt_download"),
    path("incidents/", views.incident_tenders, name="incident_tenders"),
    path("incidents/tenders/<int:tender_pk>/", views.tender_incident, name="tender_incident"),
]
