from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("socialvalue", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="measure",
            name="unit",
            field=models.CharField(choices=[("fte_years", "FTE-years"), ("people", "People"), ("hours", "Hours"), ("gbp", "£ spend"), ("tco2e", "Tonnes CO2e"), ("count", "Number"), ("wellby", "WELLBYs")], max_length=20),
        ),
        migrations.AlterField(
            model_name="deliveryledger",
            name="frequency",
            field=models.CharField(choices=[("quarterly", "Quarterly"), ("six_monthly", "Every 6 months"), ("monthly", "Monthly"), ("annual", "Annually")], default="quarterly", max_length=20),
        ),
    ]
