"""Load the demo: one login per role, organisations in every verification state.

Idempotent: running it again changes nothing that is already there. Each domain app adds its
own demo data through a `demo.py` module with a `seed(stdout)` function, run in app order.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load demo organisations, people and data for every role (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            try:
                seed = import_string(f"{config.name}.demo.seed")
            except ImportError:
                continue
            seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
