"""The dependency direction of ARCHITECTURE.md, checked on every import in the code.

Every module of every app is read, packages and sub-packages included (``views/``,
``services/``, ``selectors/`` ...); only migrations are left out.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = {"commissioning", "socialvalue", "grants", "mutuals", "citizens"}
APPS = DOMAIN | {"core", "accounts", "organisations", "compliance", "reports"}
# app -> apps it must never import
FORBIDDEN = {
    "core": DOMAIN | {"accounts", "organisations", "compliance", "reports"},
    "accounts": DOMAIN | {"organisations", "compliance", "reports"},
    "organisations": DOMAIN | {"reports"},
    "socialvalue": {"commissioning", "grants", "mutuals", "citizens", "reports"},
    "grants": {"commissioning", "mutuals", "reports"},
    "mutuals": {"commissioning", "reports"},
    "citizens": {"commissioning", "grants", "mutuals", "reports"},
    # Apps register their checks with compliance; compliance knows none of them.
    "compliance": DOMAIN | {"reports"},
    "commissioning": {"reports"},
}
# Domain apps contribute checks through compliance.registry, so importing compliance is allowed
# for them; the kernel (core, accounts) never imports it.
# What one app may not take from another: its pages and forms (the shared ones are in core).
PRIVATE_ROOMS = {"views", "forms", "urls", "admin", "filters", "templatetags"}
# Views fetch through accessors and selectors, which check permission, never by themselves.
QUERIES_IN_VIEWS = (".objects.", "_default_manager", "get_object_or_404", "get_list_or_404",
                    ".raw(", "connection.cursor")


def modules(app: str) -> list[Path]:
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


def view_modules() -> list[Path]:
    """Every view module: ``<app>/views.py`` and everything under ``<app>/views/``."""
    found = []
    for app in sorted(APPS):
        found += [path for path in modules(app) if path.name == "views.py"
                  or "views" in path.relative_to(ROOT / app).parts[:-1]]
    return found


def imported_modules(path: Path) -> set[str]:
    """Dotted names of everything the module imports (``from a.b import c`` gives a.b.c)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def imports_of(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)}


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_apps_only_depend_downwards(app):
    offenders = []
    for path in modules(app):
        bad = imports_of(path) & FORBIDDEN[app]
        offenders += [f"{path.relative_to(ROOT)} imports {name}" for name in sorted(bad)]
    assert not offenders


@pytest.mark.parametrize("app", sorted(APPS))
def test_apps_never_take_another_apps_views_or_forms(app):
    offenders = []
    for path in modules(app):
        for name in imported_modules(path):
            parts = name.split(".")
            if (parts[0] in APPS - {app, "core"} and len(parts) > 1
                    and parts[1] in PRIVATE_ROOMS):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, "call the other app's services or selectors instead"


def test_reports_read_domain_apps_through_their_selectors_only():
    offenders = []
    for path in modules("reports"):
        for name in imported_modules(path):
            parts = name.split(".")
            if parts[0] in DOMAIN and (len(parts) < 2 or parts[1] != "selectors"):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders


def test_every_view_package_is_checked():
    """The checks below see the view packages and their sub-packages, not just views.py."""
    paths = {str(path.relative_to(ROOT)) for path in view_modules()}
    assert "commissioning/views/bids.py" in paths
    assert "socialvalue/views/plans.py" in paths
    assert "organisations/views.py" in paths


def test_views_never_query_models_directly():
    offenders = []
    for path in view_modules():
        source = path.read_text()
        offenders += [f"{path.relative_to(ROOT)}: {pattern}" for pattern in QUERIES_IN_VIEWS
                      if pattern in source]
    assert not offenders, "views call selectors/accessors, never Model.objects"


def test_the_checks_catch_what_they_name(tmp_path):
    """A test that cannot fail is a defect: the readers find what the checks look for."""
    sample = tmp_path / "sample.py"
    sample.write_text("from commissioning.views.bids import bid_list\nimport reports.views\n")
    assert {"commissioning.views.bids.bid_list", "reports.views"} <= imported_modules(sample)
    assert imports_of(sample) == {"commissioning", "reports"}
