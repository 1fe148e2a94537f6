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
        navigation.register_items()
        listing.register()
        bid_panels.register()
        socialvalue_links.register()
