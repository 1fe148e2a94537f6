from django.urls import path

from organisations import views

app_name = "organisations"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("switch/", views.switch, name="switch"),
    path("verification/", views.verification_queue, name="verification_queue"),
    path("verification/<int:pk>/", views.verification_detail, name="verification_detail"),
    path("authorities/new/", views.authority_create, name="authority_create"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/registered/", views.registered, name="registered"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/authority-type/", views.authority_type, name="authority_type"),
    path("<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("<int:pk>/governing-document/", views.governing_document, name="governing_document"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.membership_remove,
         name="membership_remove"),
    path("<int:pk>/invitations/<int:invitation_pk>/revoke/", views.invitation_revoke,
         name="invitation_revoke"),
]
