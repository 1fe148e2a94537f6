"""The database's copy of each signed audit checkpoint, append-only like the chain itself."""

from django.db import migrations, models

TABLE = "core_auditcheckpoint"


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # portal_forbid_change() comes from 0002_append_only_triggers.
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION portal_forbid_change();"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_append_only_triggers")]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("number", models.PositiveBigIntegerField(unique=True)),
                ("created_at", models.DateTimeField()),
                ("sequence", models.PositiveBigIntegerField()),
                ("head_hash", models.CharField(max_length=64)),
                ("key_id", models.CharField(max_length=40)),
                ("line_digest", models.CharField(max_length=64)),
            ],
            options={"ordering": ["number"]},
        ),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
