"""Load the first version of each definition of a public service mutual (ADR 0016)."""

from django.db import migrations


def load(apps, schema_editor):
    from mutuals.definitions_data import FIRST_VERSIONS

    Definition = apps.get_model("mutuals", "Definition")
    for spec in FIRST_VERSIONS:
        Definition.objects.get_or_create(key=spec["key"], version=spec["version"],
                                         defaults={k: v for k, v in spec.items()
                                                   if k not in {"key", "version"}})


def unload(apps, schema_editor):
    apps.get_model("mutuals", "Definition").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("mutuals", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
