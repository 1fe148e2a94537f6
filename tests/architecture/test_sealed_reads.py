"""Only the audited accessors and the system's own processing may open sealed bid content.

The primitives that decrypt a bid (its payload, its files, the names on its receipt) or compute
from opened prices are imported only by selectors and services. A view, form, presenter, task,
template tag or another app goes through ``commissioning.selectors.bids`` (``bid_content``,
``bid_file_response``, ``bid_reads_audit``…) or ``ranking_for_user``, which check and audit.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNSEALING = {
    "commissioning.sealing": {"unseal", "unsealer", "text_unsealer", "tender_key"},
    "commissioning.selectors.evaluation": {"unsealed_payload", "bid_price", "ranking"},
    "commissioning.receipts": {"receipt_files"},
}
ALLOWED = ("commissioning/sealing.py", "commissioning/receipts.py", "commissioning/apps.py",
           "commissioning/selectors/", "commissioning/services/", "commissioning/migrations/",
           "commissioning/demo/")
SKIPPED_DIRS = {".venv", "node_modules", "tests", "benchmarks", "static"}


def _sources():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if not SKIPPED_DIRS & set(relative.parts):
            yield relative.as_posix(), path


def _unsealing_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module in UNSEALING:
            found += [f"{node.module}.{alias.name}" for alias in node.names
                      if alias.name in UNSEALING[node.module] or alias.name == "*"]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name == "commissioning.sealing"]
    return found


def test_only_selectors_and_services_import_what_unseals_bids():
    offenders = [f"{relative} imports {name}" for relative, path in _sources()
                 if not relative.startswith(ALLOWED) for name in _unsealing_imports(path)]
    assert not offenders, offenders


def test_the_check_sees_an_offending_import(tmp_path):
    offending = tmp_path / "views.py"
    offending.write_text("from commissioning.selectors.evaluation import ranking, tender_get\n")
    assert _unsealing_imports(offending) == ["commissioning.selectors.evaluation.ranking"]
