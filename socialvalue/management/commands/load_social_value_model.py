"""Load the national Social Value Model (themes, outcomes, example measures); idempotent."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from socialvalue.services import load_social_value_model


class Command(BaseCommand):
    help = "Load the Social Value Model catalogue shipped with the portal. Safe to run again."

    def handle(self, *args, **options):
        try:
            report = load_social_value_model()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        created = ", ".join(f"{count} {name.replace('_', ' ')}"
                            for name, count in report.created.items())
        self.stdout.write(self.style.SUCCESS(f"{report.framework}: created {created}."))
