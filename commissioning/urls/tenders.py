from django.urls import path

from commissioning.views import clarifications, tender_content, tender_social_value, tenders

P = "commissioning/tenders/<int:pk>/"

urlpatterns = [
    path("commissioning/tenders/", tenders.tender_admin_list, name="tender_admin_list"),
    path("commissioning/tenders/new/", tenders.tender_create, name="tender_create"),
    path(P, tenders.tender_manage, name="tender_manage"),
    path(P + "edit/", tenders.tender_edit, name="tender_edit"),
    path(P + "timeline/", tenders.tender_timeline, name="tender_timeline"),
    path(P + "conflicts/", tenders.tender_conflicts, name="tender_conflicts"),
    path(P + "publish/", tenders.tender_publish, name="tender_publish"),
    path(P + "published/", tenders.tender_published, name="tender_published"),
    path(P + "cancel/", tenders.tender_cancel, name="tender_cancel"),
    path(P + "deadline/", tenders.tender_extend_deadline, name="tender_extend_deadline"),
    path(P + "lots/", tender_content.tender_lots, name="tender_lots"),
    path(P + "lots/new/", tender_content.lot_form, name="lot_add"),
    path(P + "lots/<int:lot_pk>/", tender_content.lot_form, name="lot_edit"),
    path(P + "lots/<int:lot_pk>/remove/", tender_content.lot_remove, name="lot_remove"),
    path(P + "cpv/", tender_content.tender_cpv, name="tender_cpv"),
    path(P + "social-value/", tender_social_value.tender_social_value,
         name="tender_social_value"),
    path(P + "documents/", tender_content.tender_documents, name="tender_documents"),
    path(P + "documents/<int:document_pk>/withdraw/", tender_content.tender_document_withdraw,
         name="tender_document_withdraw"),
    path(P + "questions/", tender_content.tender_questions, name="tender_questions"),
    path(P + "questions/new/", tender_content.question_form, name="question_add"),
    path(P + "questions/<int:question_pk>/", tender_content.question_form,
         name="question_edit"),
    path(P + "questions/<int:question_pk>/remove/", tender_content.question_remove,
         name="question_remove"),
    path(P + "bid-documents/new/", tender_content.slot_form, name="slot_add"),
    path(P + "bid-documents/<int:slot_pk>/remove/", tender_content.slot_remove,
         name="slot_remove"),
    path(P + "clarifications/", clarifications.clarification_admin_list,
         name="clarification_admin_list"),
    path(P + "clarifications/<int:clarification_pk>/", clarifications.clarification_answer,
         name="clarification_answer"),
]
