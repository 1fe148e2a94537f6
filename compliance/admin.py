"""Read-only admin views of runs and findings: both are written only by the check runner."""

from django.contrib import admin

from compliance.models import CheckRun, Finding


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CheckRun)
class CheckRunAdmin(ReadOnlyAdmin):
    list_display = ["check_id", "started_at", "finished_at", "opened_count", "still_open_count",
                    "resolved_count", "failed"]
    list_filter = ["check_id"]
    date_hierarchy = "started_at"

    @admin.display(boolean=True)
    def failed(self, obj: CheckRun) -> bool:
        return bool(obj.error)


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["check_id", "severity", "status", "organisation", "first_seen_at",
                    "last_seen_at", "resolved_at"]
    list_filter = ["status", "severity", "check_id"]
    list_select_related = ["organisation"]
    search_fields = ["message"]
