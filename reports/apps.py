from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from core import navigation
        from organisations.selectors import current_organisation
        from reports.selectors import can_view_reports

        def visible(request) -> bool:
            return can_view_reports(user=request.user,
                                    organisation=current_organisation(request))

        navigation.register(label="Reports", url_name="reports:index", visible=visible, order=85)
