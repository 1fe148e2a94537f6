from django.urls import path

from citizens.views import decisions, manage, public, sessions, space

app_name = "citizens"
urlpatterns = [
    path("", public.panel_list, name="panel_list"),
    path("<int:pk>/", public.panel_public, name="panel_public"),
    path("<int:pk>/register/", public.register, name="register"),
    path("<int:pk>/register/done/", public.register_done, name="register_done"),
    path("<int:pk>/fairness/", public.fairness, name="fairness"),
    path("invitation/<str:token>/", public.invitation, name="invitation"),
    path("guardian/<str:token>/", public.guardian_consent, name="guardian_consent"),
    path("decisions/<int:pk>/results/", public.results, name="results"),
    path("decisions/<int:pk>/export.json", public.export, name="export"),
    # the panel's closed space
    path("<int:pk>/space/", space.space, name="space"),
    path("<int:pk>/materials/new/", space.material_add, name="material_add"),
    path("<int:pk>/materials/<int:material_pk>/download/", space.material_download,
         name="material_download"),
    path("<int:pk>/threads/new/", space.thread_new, name="thread_new"),
    path("<int:pk>/threads/<int:thread_pk>/", space.thread, name="thread"),
    path("<int:pk>/moderation/", space.moderation, name="moderation"),
    path("<int:pk>/moderation/<int:post_pk>/", space.moderate, name="moderate"),
    path("<int:pk>/sessions/new/", sessions.session_new, name="session_new"),
    path("<int:pk>/sessions/<int:session_pk>/", sessions.session, name="session"),
    path("<int:pk>/sessions/<int:session_pk>/claim/", sessions.claim_new, name="claim_new"),
    path("<int:pk>/claims/", sessions.claims, name="claims"),
    path("<int:pk>/claims/<int:claim_pk>/decide/", sessions.claim_decide, name="claim_decide"),
    path("<int:pk>/payment-runs/new/", sessions.payment_run_new, name="payment_run_new"),
    path("<int:pk>/payment-runs/<int:run_pk>.csv", sessions.payment_run_csv,
         name="payment_run_csv"),
    # running a panel
    path("manage/", manage.manage_list, name="manage_list"),
    path("manage/new/", manage.panel_new, name="panel_new"),
    path("<int:pk>/manage/", manage.manage, name="manage"),
    path("<int:pk>/manage/move/", manage.move, name="move"),
    path("<int:pk>/manage/registration/", manage.registration, name="registration"),
    path("<int:pk>/manage/quotas/", manage.quotas, name="quotas"),
    path("<int:pk>/manage/import/", manage.pool_import, name="pool_import"),
    path("<int:pk>/manage/appoint/", manage.appoint, name="appoint"),
    path("<int:pk>/manage/selection/", manage.selection_freeze, name="selection_freeze"),
    path("<int:pk>/manage/selection/<int:run_pk>/", manage.selection_run, name="selection_run"),
    path("<int:pk>/manage/decisions/new/", manage.decision_new, name="decision_new"),
    # decisions
    path("decisions/<int:pk>/vote/", decisions.vote, name="vote"),
    path("decisions/<int:pk>/console/", decisions.console, name="console"),
    path("decisions/<int:pk>/open/", decisions.open_vote, name="open_vote"),
    path("decisions/<int:pk>/close/", decisions.close_vote, name="close_vote"),
    path("decisions/<int:pk>/paper/", decisions.paper, name="paper"),
    path("decisions/<int:pk>/paper/reconcile/", decisions.paper_reconcile,
         name="paper_reconcile"),
    path("decisions/<int:pk>/respond/", decisions.respond, name="respond"),
]
