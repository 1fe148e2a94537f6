"""Receipts keep two times: when the submission reached the portal and when it was recorded.

Receipts issued before this change were judged by the moment they were recorded, so both
times are that moment.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0005_sealed_file_names")]
    operations = [
        migrations.AddField(model_name="bidreceipt", name="recorded_at",
                            field=models.DateTimeField(null=True)),
        migrations.RunSQL("UPDATE commissioning_bidreceipt SET recorded_at = received_at",
                          migrations.RunSQL.noop),
        migrations.AlterField(model_name="bidreceipt", name="recorded_at",
                              field=models.DateTimeField()),
    ]
