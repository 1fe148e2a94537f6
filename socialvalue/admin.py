"""Read-mostly admin for the catalogue; plans and delivery change only through services."""

from django.contrib import admin

from socialvalue.models import Framework, Measure, Outcome, ProxyValue, Theme


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "authority", "licence"]
    search_fields = ["name", "version"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "framework"]
    list_filter = ["framework"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "theme"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "outcome", "first_year_only", "local_only"]
    list_filter = ["unit", "first_year_only", "local_only"]
    search_fields = ["code", "name"]


@admin.register(ProxyValue)
class ProxyValueAdmin(admin.ModelAdmin):
    list_display = ["measure", "version", "value", "price_base_year", "source", "licence"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # versions are added by import, never overwritten

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
