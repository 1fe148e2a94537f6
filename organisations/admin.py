from django.contrib import admin

from organisations.models import Invitation, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "legal_form", "org_id", "verification_status", "submitted_at"]
    list_filter = ["kind", "verification_status", "legal_form", "is_vcse"]
    search_fields = ["name", "org_id", "charity_number", "company_number"]
    # The governing document is uploaded by the organisation through the portal. Offering it as a
    # choice here would list every stored document, sealed bid files included.
    readonly_fields = ["org_id", "verification_status", "submitted_at", "rejection_reason",
                       "governing_document"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    exclude = ["token"]
