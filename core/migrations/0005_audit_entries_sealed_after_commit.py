"""Audit entries may wait for their place in the chain (ADR 0027).

`sequence`, `prev_hash` and `hash` become NULL-able: an entry written while another writer holds
the chain's lock is stored unsealed and linked just after its transaction commits. The
append-only trigger of core_auditentry now allows exactly one UPDATE per row: the sealing, which
sets those three fields on an unsealed row and changes nothing else. Every other UPDATE, and
every DELETE, is refused as before.
"""

from django.db import migrations, models

SEAL_ONLY = """
CREATE OR REPLACE FUNCTION portal_audit_seal_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.sequence IS NULL AND OLD.hash IS NULL
       AND NEW.sequence IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
       AND (NEW.id, NEW.created_at, NEW.actor_id, NEW.actor_label, NEW.organisation_id,
            NEW.action, NEW.object_type, NEW.object_id, NEW.summary, NEW.changes)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.created_at, OLD.actor_id, OLD.actor_label, OLD.organisation_id,
            OLD.action, OLD.object_type, OLD.object_id, OLD.summary, OLD.changes) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = ("CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry "
           "FOR EACH ROW EXECUTE FUNCTION {function}();")
DROP = "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;"


def seal_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(SEAL_ONLY, params=None)
    schema_editor.execute(DROP, params=None)
    schema_editor.execute(TRIGGER.format(function="portal_audit_seal_only"), params=None)


def forbid_all(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP, params=None)
    schema_editor.execute(TRIGGER.format(function="portal_forbid_change"), params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_audit_seal_only();", params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_sealed_document_name")]

    operations = [
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["sequence", "id"], "verbose_name_plural": "audit entries"},
        ),
        migrations.AlterField(
            model_name="auditentry", name="sequence",
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry", name="prev_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="auditentry", name="hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(condition=models.Q(("sequence__isnull", True)), fields=["id"],
                               name="core_audit_unsealed_idx"),
        ),
        migrations.RunPython(seal_only, forbid_all),
    ]
