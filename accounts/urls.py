from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("citizen/signup/", views.citizen_signup, name="citizen_signup"),
]
