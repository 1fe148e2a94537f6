from django.urls import path

from mutuals.views import evidence, public, recognition

app_name = "mutuals"
urlpatterns = [
    path("", public.home, name="home"),
    path("register/", public.register, name="register"),
    path("register/<int:pk>/", public.register_entry, name="register_entry"),
    path("register.json", public.register_json, name="register_json"),
    path("register.csv", public.register_csv, name="register_csv"),
    path("definitions/", public.definitions, name="definitions"),
    path("definitions/<slug:key>/new/", recognition.definition_new_version,
         name="definition_new_version"),
    path("your-organisation/", evidence.mine, name="mine"),
    path("organisations/<int:pk>/", evidence.organisation, name="organisation"),
    path("organisations/<int:pk>/evidence/", evidence.evidence_edit, name="evidence_edit"),
    path("organisations/<int:pk>/evidence/rules/", evidence.evidence_rules_file,
         name="evidence_rules_file"),
    path("organisations/<int:pk>/recognition/", evidence.recognition_request,
         name="recognition_request"),
    path("organisations/<int:pk>/reserved-contracts/add/", evidence.declared_contract_add,
         name="declared_contract_add"),
    path("organisations/<int:pk>/social-value/add/", evidence.social_value_add,
         name="social_value_add"),
    path("social-value/<int:pk>/remove/", evidence.social_value_remove,
         name="social_value_remove"),
    path("reserved-contracts/<int:pk>/remove/", evidence.declared_contract_remove,
         name="declared_contract_remove"),
    path("review/", recognition.queue, name="queue"),
    path("recognitions/<int:pk>/", recognition.recognition_detail, name="recognition_detail"),
    path("recognitions/<int:pk>/review/", recognition.recognition_review,
         name="recognition_review"),
    path("recognitions/<int:pk>/withdraw/", recognition.recognition_withdraw,
         name="recognition_withdraw"),
]
