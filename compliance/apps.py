from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from compliance import registry

        registry.autodiscover()
        _register_navigation()


def _register_navigation() -> None:
    from core import navigation

    navigation.register(
        label="Compliance", url_name="compliance:dashboard", visible=_may_see_findings, order=80
    )


def _may_see_findings(request) -> bool:
    from compliance.selectors import can_view_findings
    from organisations.selectors import current_organisation

    if not request.user.is_authenticated:
        return False
    return can_view_findings(user=request.user, organisation=current_organisation(request))
