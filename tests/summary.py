"""Lines for the end of the test run, gathered wherever the tests ran.

Test packages add lines to a section (the fuzz counts, a notice that the browser tests did not
run). With `pytest -n` the tests run in worker processes: each worker hands its sections to the
controlling process when it finishes (pytest-xdist's `workeroutput`), which prints them all,
once, in tests/conftest.py.
"""

from __future__ import annotations

import json

# section title -> (lines, whether it is a warning)
SECTIONS: dict[str, tuple[list[str], bool]] = {}


def add(section: str, line: str, *, warning: bool = False) -> None:
    lines, was_warning = SECTIONS.setdefault(section, ([], warning))
    SECTIONS[section] = (lines, was_warning or warning)
    if line not in lines:
        lines.append(line)


def dumps() -> str:
    return json.dumps({title: [lines, warning] for title, (lines, warning) in SECTIONS.items()})


def merge(text: str) -> None:
    for title, (lines, warning) in json.loads(text).items():
        for line in lines:
            add(title, line, warning=warning)


def write(terminalreporter) -> None:
    for title, (lines, warning) in SECTIONS.items():
        if warning:
            terminalreporter.write_sep("!", title, red=True, bold=True)
        else:
            terminalreporter.section(title)
        for line in lines:
            terminalreporter.write_line(line, red=warning)
