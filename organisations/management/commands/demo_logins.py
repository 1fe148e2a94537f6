"""Print the demo logins that ``seed_demo`` wrote, optionally once the server has started.

    manage.py demo_logins
    manage.py demo_logins --after-start 8000 --stay   (the last thing ``make run`` shows)

With ``--after-start PORT`` it waits until the web server answers on that port (and the
worker and beat have had a moment to print their banners), so the logins are the last lines
on the console rather than lost above the start-up output. ``--stay`` keeps the process
alive afterwards, as the process manager of ``make run`` stops everything when one exits.
"""

from __future__ import annotations

import socket
import time

from django.core.management.base import BaseCommand, CommandError

from organisations.demo import logins_file

START_TIMEOUT = 120  # seconds to wait for the web server
SETTLE = 3  # seconds for the worker and beat banners after the web server answers


class Command(BaseCommand):
    help = "Print the demo logins written by seed_demo (after the server starts, with options)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--after-start", type=int, metavar="PORT",
                            help="Wait until a server answers on 127.0.0.1:PORT first.")
        parser.add_argument("--stay", action="store_true",
                            help="Keep running afterwards (for a process manager).")

    def handle(self, *args, after_start: int | None, stay: bool, **options) -> None:
        path = logins_file()
        if after_start:
            self._wait_for(after_start)
        if not path.exists():
            raise CommandError(f"{path} does not exist: run manage.py seed_demo first.")
        address = f"http://127.0.0.1:{after_start}/" if after_start else None
        self.stdout.write("")
        self.stdout.write(path.read_text(encoding="utf-8").rstrip("\n"))
        self.stdout.write(f"(Also in {path}.)")
        if address:
            self.stdout.write(self.style.SUCCESS(f"The portal is ready at {address}"))
        self.stdout.flush()
        while stay:
            time.sleep(3600)

    def _wait_for(self, port: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    time.sleep(SETTLE)
                    return
            except OSError:
                time.sleep(0.5)
        raise CommandError(f"Nothing answered on port {port} within {START_TIMEOUT} seconds.")
