from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commissioning"

    def ready(self) -> None:
        from commissioning import (  # noqa: F401  (rules registers the permissions)
            bid_panels,
            listing,
            navigation,
            rules,
            socialvalue_links,
        )
        from commissioning.sealing import AUDIT_SEAL_KIND, audit_unsealer
        from core.audit_sealing import register_audit_unsealer

        register_audit_unsealer(AUDIT_SEAL_KIND, audit_unsealer)
        from citizens.signals import decision_closed
        from commissioning.services.citizens_delegation import on_decision_closed

        decision_closed.connect(on_decision_closed, dispatch_uid="commissioning.delegations")
        navigation.register_items()
        listing.register()
        bid_panels.register()
        socialvalue_links.register()
