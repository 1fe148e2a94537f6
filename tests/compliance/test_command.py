"""manage.py run_compliance_checks: runs checks now and fails loudly when one fails."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from compliance.models import CheckRun

pytestmark = pytest.mark.django_db


def test_runs_every_check_and_reports(only_checks):
    only_checks("tests.a", lambda now: [])
    only_checks("tests.b", lambda now: [])
    out = StringIO()
    call_command("run_compliance_checks", stdout=out)
    assert "tests.a: 0 opened, 0 still open, 0 resolved" in out.getvalue()
    assert "2 check(s) ran." in out.getvalue()
    assert CheckRun.objects.count() == 2


def test_runs_one_check(only_checks):
    only_checks("tests.a", lambda now: [])
    only_checks("tests.b", lambda now: [])
    call_command("run_compliance_checks", "--check", "tests.b", stdout=StringIO())
    assert list(CheckRun.objects.values_list("check_id", flat=True)) == ["tests.b"]


def test_exits_non_zero_when_a_check_fails(only_checks):
    def broken(now):
        raise RuntimeError("boom")

    only_checks("tests.ok", lambda now: [])
    only_checks("tests.broken", broken)
    err = StringIO()
    with pytest.raises(CommandError, match="1 check\\(s\\) failed: tests.broken") as raised:
        call_command("run_compliance_checks", stdout=StringIO(), stderr=err)
    assert raised.value.returncode == 1
    assert "tests.broken: FAILED" in err.getvalue()
    assert CheckRun.objects.count() == 2  # the other check still ran


def test_unknown_check_is_an_error(only_checks):
    only_checks("tests.a", lambda now: [])
    with pytest.raises(CommandError, match="Known checks: tests.a"):
        call_command("run_compliance_checks", "--check", "tests.nowhere")


def test_the_process_exit_status_is_non_zero_on_failure():
    # What cron or CI sees. An unknown id fails before any query, so no database is needed.
    result = subprocess.run(
        [sys.executable, "manage.py", "run_compliance_checks", "--check", "tests.nowhere"],
        capture_output=True, text=True, timeout=60, cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.returncode == 1
    assert "No compliance check is registered as 'tests.nowhere'" in result.stderr
