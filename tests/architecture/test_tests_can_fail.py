"""A test that cannot fail is a defect: every test states what it expects.

Each test function must itself contain an ``assert`` or a ``pytest.raises``; a helper named
``assert_...`` or ``expect_...``, or pytest-django's ``django_assert_...num_queries``, counts.
Waiting for a page to show something is not enough on its own: it checks that the page
loaded, not what the test's name promises.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _states_an_expectation(function: ast.AST) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
            if name == "raises" or name.startswith(("assert_", "expect_", "django_assert_")):
                return True
    return False


def untested_functions(paths) -> list[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                    and node.name.startswith("test_") and not _states_an_expectation(node)):
                found.append(f"{path}:{node.lineno} {node.name}")
    return found


def test_every_test_states_what_it_expects():
    assert untested_functions(sorted(TESTS.rglob("test_*.py"))) == []


def test_the_check_finds_a_test_that_only_waits(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text("def test_only_waits(page):\n    page.get_by_text('x').wait_for()\n\n"
                      "def test_asserts():\n    assert 1 + 1 == 2\n\n"
                      "def test_raises():\n    with pytest.raises(ValueError):\n        int('x')\n")
    found = untested_functions([sample])
    assert len(found) == 1 and found[0].endswith("test_only_waits")
