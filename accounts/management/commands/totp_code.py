"""Print the current two-factor code for an authenticator secret (the demo's by default).

    manage.py totp_code
    manage.py totp_code --secret JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP

For signing in to demo and test accounts without an authenticator app or ``oathtool``.
"""

from __future__ import annotations

import binascii

from django.core.management.base import BaseCommand, CommandError

from accounts.totp import seconds_left, totp_code

# The demo staff accounts' published secret (README, organisations/demo.py), not a credential.
DEMO_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


class Command(BaseCommand):
    help = "Print the current 6-digit two-factor code for a TOTP secret (default: the demo's)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--secret", default=DEMO_SECRET,
                            help="The base32 secret shown when the authenticator was set up.")

    def handle(self, *args, secret: str, **options) -> None:
        try:
            code = totp_code(secret)
        except (binascii.Error, ValueError) as error:
            raise CommandError("The secret must be base32 (letters A to Z and digits 2 to 7), "
                               "as shown when the authenticator was set up.") from error
        self.stdout.write(code)
        self.stderr.write(f"Valid for {seconds_left()} more seconds.")
