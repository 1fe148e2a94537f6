"""Read-only admin for mutuals: evidence, definitions and decisions change only through services."""

from django.contrib import admin

from mutuals.models import (
    Adviser,
    DeclaredReservedContract,
    Definition,
    MutualProfile,
    Recognition,
    SupportApplication,
    SupportScheme,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Definition)
class DefinitionAdmin(ReadOnlyAdmin):
    list_display = ["key", "version", "effective_from", "created_at"]
    list_filter = ["key"]


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "definition_key", "status", "valid_from", "valid_until"]
    list_filter = ["definition_key", "status"]
    search_fields = ["organisation__name"]


@admin.register(MutualProfile)
class MutualProfileAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "sector", "region", "origin"]
    list_filter = ["sector", "region", "origin"]
    search_fields = ["organisation__name"]


@admin.register(DeclaredReservedContract)
class DeclaredReservedContractAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "title", "authority_name", "entered_on", "basis"]


@admin.register(SupportScheme)
class SupportSchemeAdmin(admin.ModelAdmin):
    """The scheme's limits are policy the operator sets; applications change through services."""

    list_display = ["name", "authority", "is_open", "grant_cap", "advisory_days_cap"]
    list_filter = ["is_open"]
    raw_id_fields = ["authority", "grants_round"]


@admin.register(Adviser)
class AdviserAdmin(admin.ModelAdmin):
    """The approved roster: who may be allocated advisory days, for which kinds of advice."""

    list_display = ["user", "firm", "scheme", "active"]
    list_filter = ["scheme", "active"]
    raw_id_fields = ["user"]
    search_fields = ["firm", "user__email"]


@admin.register(SupportApplication)
class SupportApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "status", "scheme", "submitted_at"]
    list_filter = ["status", "kind"]
