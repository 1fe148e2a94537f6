from django.contrib import admin

from core.audit_sealing import audit_detail, is_sealed
from core.models import AuditCheckpoint, AuditEntry, StatusChange

STILL_SEALED = "Sealed until the opening: who acted, for whom and what is not shown before then."


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log, read-only. Sealed entries show their detail only once the seal is lifted.

    The stored row of a sealed entry holds the detail encrypted, so neither the list, the search
    nor the raw fields can tell a platform admin who is bidding; `detail` shows it decrypted
    once the owning app lifts the seal (bids: after the two-person opening).
    """

    list_display = ["sequence", "created_at", "actor_label", "action", "object_type", "object_id",
                    "summary"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_id", "summary"]
    fields = ["sequence", "created_at", "action", "object_type", "object_id", "detail",
              "prev_hash", "hash"]
    readonly_fields = fields

    @admin.display(description="Who, for whom and what")
    def detail(self, entry: AuditEntry) -> str:
        if not is_sealed(entry):
            return _describe(audit_detail(entry))
        opened = audit_detail(entry)
        return STILL_SEALED if opened is None else f"(unsealed) {_describe(opened)}"


def _describe(detail: dict) -> str:
    organisation = detail.get("organisation_id")
    parts = [f"By {detail.get('actor_label') or 'system'}",
             f"for organisation #{organisation}" if organisation else "",
             detail.get("summary") or "", f"changes: {detail.get('changes') or {}}"]
    return " · ".join(part for part in parts if part)


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["number", "created_at", "sequence", "key_id", "head_hash"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "workflow", "from_status", "to_status", "actor"]
    list_filter = ["workflow"]
