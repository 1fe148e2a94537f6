"""The dependency direction of ARCHITECTURE.md, checked on every import in the code."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = {"commissioning", "socialvalue", "grants", "mutuals", "citizens"}
# app -> apps it must never import
FORBIDDEN = {
    "core": DOMAIN | {"accounts", "organisations", "compliance", "reports"},
    "accounts": DOMAIN | {"organisations", "compliance", "reports"},
    "organisations": DOMAIN | {"reports"},
    "socialvalue": {"commissioning", "grants", "mutuals", "citizens", "reports"},
    "citizens": {"commissioning", "grants", "mutuals", "reports"},
    "grants": {"commissioning", "mutuals", "citizens", "reports"},
    "mutuals": {"commissioning", "citizens", "reports"},
}
# Domain apps contribute checks through compliance.registry, so importing compliance is allowed
# for them; the kernel (core, accounts) never imports it.


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_apps_only_depend_downwards(app):
    offenders = []
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        bad = imports_of(path) & FORBIDDEN[app]
        offenders += [f"{path.relative_to(ROOT)} imports {name}" for name in sorted(bad)]
    assert not offenders


def test_views_never_query_models_directly():
    offenders = []
    for path in ROOT.glob("*/views*.py"):
        source = path.read_text()
        if ".objects." in source:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, "views call selectors/accessors, never Model.objects"
