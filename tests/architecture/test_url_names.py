"""Every URL name the code and templates mention exists (a dead name fails quietly otherwise:
some callers fall back to no link at all when `reverse` finds nothing)."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

from tests.fuzz.portal import url_patterns

ROOT = Path(__file__).resolve().parents[2]
CALLS = re.compile(
    r"(?:reverse|reverse_lazy|redirect|resolve_url|optional_url)\(\s*[\"']([\w:-]+)[\"']")
URL_TAG = re.compile(r"{%\s*url\s+[\"']([\w:-]+)[\"']")


def _source_files():
    # The portal's own apps: those under the repository, not in the virtualenv inside it.
    roots = [Path(config.path) for config in apps.get_app_configs()
             if Path(config.path).is_relative_to(ROOT)
             and not Path(config.path).relative_to(ROOT).parts[0].startswith(".")]
    roots += [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + [ROOT / "config"]
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts:
                yield path


def test_every_url_name_in_the_code_exists():
    names = {pattern.name for pattern in url_patterns()}
    namespaces = {name.split(":")[0] for name in names if ":" in name}
    alternatives = "|".join(map(re.escape, sorted(namespaces)))
    literal = re.compile(rf"[\"']((?:{alternatives}):[\w-]+)[\"']")
    missing = []
    for path in _source_files():
        text = path.read_text(errors="replace")
        mentioned = set(literal.findall(text)) | set(URL_TAG.findall(text))
        mentioned |= set(CALLS.findall(text))
        missing += [f"{path.relative_to(ROOT)}: {name}" for name in sorted(mentioned - names)]
    assert not missing, "URL names that do not exist:\n" + "\n".join(missing)
