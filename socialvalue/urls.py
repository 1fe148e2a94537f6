from django.urls import path

from socialvalue.views import catalogue, delivery, home, plans, reports

app_name = "socialvalue"
urlpatterns = [
    path("", home.home, name="home"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/measures/add/", plans.plan_measure_add, name="plan_measure_add"),
    path("plans/<int:pk>/measures/<int:measure_pk>/", plans.plan_measure_edit,
         name="plan_measure_edit"),
    path("plans/<int:pk>/measures/<int:measure_pk>/remove/", plans.plan_measure_remove,
         name="plan_measure_remove"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/import/", catalogue.catalogue_import, name="catalogue_import"),
    path("catalogue/<int:pk>/", catalogue.framework_detail, name="framework_detail"),
    path("ledgers/", delivery.ledger_list, name="ledger_list"),
    path("ledgers/<int:pk>/", delivery.ledger_detail, name="ledger_detail"),
    path("targets/<int:target_pk>/report/", delivery.report_submit, name="report_submit"),
    path("delivery-reports/<int:pk>/", delivery.report_review, name="report_review"),
    path("delivery-reports/<int:pk>/submitted/", delivery.report_submitted,
         name="report_submitted"),
    path("delivery-reports/<int:pk>/evidence/", delivery.report_evidence,
         name="report_evidence"),
    path("reports/", reports.reports, name="reports"),
    path("reports/social-value.csv", reports.reports_csv, name="reports_csv"),
    path("reports/performance/", reports.performance, name="performance"),
    path("reports/statement/", reports.statement, name="statement"),
]
