"""Grants in the Django admin: read-only, for platform admins to look things up. Every change
goes through the grants screens and services, which validate, audit and keep the totals."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from grants.models import Application, Award, Instalment, Programme, Round, RuleResult


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["title", "code", "authority", "total_budget", "status"]
    search_fields = ["title", "code"]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "kind", "status", "closes_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "round", "stage", "status", "submitted_at"]
    list_filter = ["status", "stage"]
    search_fields = ["reference", "organisation__name"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["reference", "recipient", "amount_awarded", "amount_paid", "status"]
    list_filter = ["status", "instrument"]
    search_fields = ["reference", "recipient__name", "title"]


@admin.register(Instalment)
class InstalmentAdmin(ReadOnlyAdmin):
    list_display = ["award", "number", "due_on", "amount", "status"]
    list_filter = ["status"]


@admin.register(RuleResult)
class RuleResultAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "programme", "transition", "rule_id", "outcome"]
    list_filter = ["transition", "outcome"]
