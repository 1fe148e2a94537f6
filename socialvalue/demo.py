"""Demo social value catalogue: the national Social Value Model shipped with the portal.

Runs before commissioning's demo (INSTALLED_APPS order), whose tenders choose measures from it.
Idempotent: the catalogue is loaded when it is missing, or when the file carries proxy values
the database does not have yet (a demo seeded before the open proxy values shipped).
"""

from accounts.models import User
from socialvalue.catalogue import parse_catalogue
from socialvalue.models import Framework, Measure, ProxyValue
from socialvalue.services import load_social_value_model
from socialvalue.services.catalogue import NATIONAL_FILE

PLATFORM_ADMIN = "admin@example.org"


def seed(stdout) -> None:
    parsed = parse_catalogue(NATIONAL_FILE.read_text(encoding="utf-8"))
    info = parsed.framework
    framework = Framework.objects.filter(authority__isnull=True, name=info["framework_name"],
                                         version=info["framework_version"]).first()
    proxies = sum(1 for row in parsed.rows if row["proxy"])
    if framework is None or ProxyValue.objects.filter(
            measure__outcome__theme__framework=framework).count() < proxies:
        report = load_social_value_model(actor=User.objects.filter(email=PLATFORM_ADMIN).first())
        framework = report.framework
    measures = Measure.objects.filter(outcome__theme__framework=framework).count()
    stdout.write(f"Social value catalogue: {framework} ({measures} measures).")
