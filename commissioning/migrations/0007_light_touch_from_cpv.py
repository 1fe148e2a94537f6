"""Light touch is derived from the CPV codes, no longer ticked: re-derive it for drafts.

Published tenders keep the value they were published with: it set their tendering period and
standstill, and changing it now would change the rules of a live procurement. Their tender
page says when the CPV codes now give another answer.
"""

from django.db import migrations, models


def derive_light_touch_for_drafts(apps, schema_editor):
    from commissioning import light_touch

    Tender = apps.get_model("commissioning", "Tender")
    TenderCpv = apps.get_model("commissioning", "TenderCpv")
    codes: dict[int, list[tuple[str, bool]]] = {}
    for tender_id, code, is_main in TenderCpv.objects.filter(
            tender__status="draft").values_list("tender_id", "code", "is_main"):
        codes.setdefault(tender_id, []).append((code, is_main))
    light, other = [], []
    for tender_id in Tender.objects.filter(status="draft").values_list("pk", flat=True):
        assessment = light_touch.assess(codes.get(tender_id, []))
        (light if assessment.is_light_touch else other).append(tender_id)
    Tender.objects.filter(pk__in=light).update(is_light_touch=True)
    Tender.objects.filter(pk__in=other).update(is_light_touch=False)


class Migration(migrations.Migration):

    dependencies = [
        ("commissioning", "0006_surge_receipt_recorded_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="tender",
            name="is_light_touch",
            field=models.BooleanField(
                default=False, editable=False,
                help_text="Derived from the main CPV code when the codes are set "
                "(commissioning.light_touch); kept as published once the tender is published."),
        ),
        migrations.RunPython(derive_light_touch_for_drafts, migrations.RunPython.noop),
    ]
