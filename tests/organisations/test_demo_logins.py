"""What a newcomer running `make run` reads: every demo login, last, and a code without oathtool."""

import re
import socket
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.totp import seconds_left, totp_code
from organisations import demo

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def var_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.mark.parametrize("at", [0, 59, 1_700_000_000, 2_000_000_029.5])
def test_totp_codes_match_what_allauth_accepts(at):
    secret = demo.DEMO_TOTP_SECRET
    assert totp_code(secret, at=at) == format_hotp_value(hotp_value(secret, int(at) // 30))


def test_rfc_6238_reference_code():
    # RFC 6238 appendix B, SHA-1, T = 59: 94287082 (8 digits), so 287082 with 6.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert totp_code(secret, at=59) == "287082"
    assert seconds_left(at=59) == 1


def test_totp_code_command_prints_the_current_demo_code():
    out = StringIO()
    call_command("totp_code", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() in {totp_code(demo.DEMO_TOTP_SECRET, at=time.time() + d)
                                      for d in (-30, 0)}


def test_totp_code_command_refuses_a_secret_that_is_not_base32():
    with pytest.raises(CommandError, match="base32"):
        call_command("totp_code", "--secret", "not-base32!", stdout=StringIO())


@pytest.mark.django_db
def test_seed_demo_writes_every_login_to_a_file_it_names(var_dir, settings):
    settings.MEDIA_ROOT = var_dir / "media"
    out = StringIO()
    call_command("seed_demo", stdout=out)
    path = var_dir / "demo-logins.txt"
    assert str(path) in out.getvalue()
    text = path.read_text()
    assert demo.DEMO_PASSWORD in text and demo.DEMO_TOTP_SECRET in text
    assert "manage.py totp_code" in text
    for email, *_ in [*demo.PEOPLE, *demo.CITIZENS]:
        assert re.search(rf"^  {re.escape(email)} ", text, re.M), email


def test_the_readme_lists_every_demo_login_the_port_and_a_code_without_oathtool():
    readme = (ROOT / "README.md").read_text()
    for email, *_ in [*demo.PEOPLE, *demo.CITIZENS]:
        assert f"`{email}`" in readme, email
    assert "PORT=8010 make run" in readme
    assert "manage.py totp_code" in readme


def test_make_run_prints_the_logins_after_everything_has_started():
    procfile = (ROOT / "Procfile.dev").read_text().splitlines()
    # honcho gives every process its own PORT (base + 100 each): the web's is PORTAL_DEV_PORT.
    assert procfile[-1].startswith("logins: ")
    assert "--after-start ${PORTAL_DEV_PORT:-8000}" in procfile[-1]
    makefile = (ROOT / "Makefile").read_text()
    assert "PORTAL_DEV_PORT=$(PORT)" in makefile and "var/demo-logins.txt" in makefile


def test_demo_logins_waits_for_the_server_then_prints(var_dir, monkeypatch):
    from organisations.management.commands import demo_logins

    monkeypatch.setattr(demo_logins, "SETTLE", 0)
    (var_dir / "demo-logins.txt").write_text("Demo logins. Password for all: x\n")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    out = StringIO()
    started = time.monotonic()
    threading.Timer(0.5, listener.listen).start()
    try:
        call_command("demo_logins", "--after-start", str(port), stdout=out)
    finally:
        listener.close()
    assert time.monotonic() - started >= 0.5
    assert "Demo logins. Password for all: x" in out.getvalue()
    assert f"The portal is ready at http://127.0.0.1:{port}/" in out.getvalue()


def test_demo_logins_says_to_seed_first_when_there_is_no_file(var_dir):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("demo_logins", stdout=StringIO())
