"""Award criteria, procurement settings, opening, the panel, scoring, moderation, ranking."""

from django.urls import path

from commissioning.views import criteria, evaluation

urlpatterns = [
    path("tenders/<int:pk>/criteria/", criteria.criteria, name="criteria"),
    path("tenders/<int:pk>/criteria/add/", criteria.criterion_add, name="criterion_add"),
    path("tenders/<int:pk>/criteria/method/", criteria.scoring_method, name="scoring_method"),
    path("tenders/<int:pk>/criteria/questions/", criteria.criteria_questions,
         name="criteria_questions"),
    path("tenders/<int:pk>/criteria/<int:criterion_pk>/", criteria.criterion_edit,
         name="criterion_edit"),
    path("tenders/<int:pk>/criteria/<int:criterion_pk>/delete/", criteria.criterion_delete,
         name="criterion_delete"),
    path("tenders/<int:pk>/criteria/<int:criterion_pk>/scale/", criteria.criterion_scale,
         name="criterion_scale"),
    path("procurement-settings/", criteria.procurement_settings, name="procurement_settings"),
    path("tenders/<int:pk>/opening/", evaluation.opening, name="opening"),
    path("tenders/<int:pk>/panel/", evaluation.panel, name="panel"),
    path("tenders/<int:pk>/panel/<int:member_pk>/remove/", evaluation.panel_remove,
         name="panel_remove"),
    path("tenders/<int:pk>/evaluation/start/", evaluation.evaluation_start,
         name="evaluation_start"),
    path("evaluation/", evaluation.evaluation_list, name="evaluation_list"),
    path("tenders/<int:pk>/evaluation/", evaluation.evaluation, name="evaluation"),
    path("tenders/<int:pk>/evaluation/conflicts/", evaluation.conflicts, name="conflicts"),
    path("tenders/<int:pk>/evaluation/citizens-panel/", evaluation.delegate, name="delegate"),
    path("tenders/<int:pk>/citizens-panel/<int:delegation_pk>/answers/",
         evaluation.delegated_answers, name="delegated_answers"),
    path("tenders/<int:pk>/citizens-panel/<int:delegation_pk>/summaries/",
         evaluation.delegation_summaries, name="delegation_summaries"),
    path("tenders/<int:pk>/citizens-panel/<int:delegation_pk>/take-back/",
         evaluation.delegation_recall, name="delegation_recall"),
    path("tenders/<int:pk>/evaluation/ranking/", evaluation.ranking, name="ranking"),
    path("evaluation/bids/<int:pk>/", evaluation.bid_evaluate, name="bid_evaluate"),
    path("evaluation/bids/<int:pk>/scores/", evaluation.bid_scores, name="bid_scores"),
]
