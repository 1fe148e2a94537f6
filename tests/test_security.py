import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; production never does.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x7#kq2!vL9@pR4$wN8^zT1&mB6*cF3(hJ5)dS0_gY2+eU7=aQ9~oI4",
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "BID_MASTER_KEYS": "cHJvZHVjdGlvbi1jaGVjay1tYXN0ZXIta2V5LTAxMjM=",
        "AUDIT_CHECKPOINT_KEYS": "2026a:pr0duct10n-check-checkpoint-key-8f3Kq1Zx7Lm2Vb9Nw4",
        "AUDIT_CHECKPOINT_PATH": str(tmp_path / "audit" / "checkpoints.jsonl"),
        "CITIZENS_DATA_KEYS": "cHJvZHVjdGlvbi1jaGVjay1jaXRpemVucy1rZXktMDE=",
    }
    (tmp_path / "audit").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": "", "DJANGO_ALLOWED_HOSTS": "portal.example.org"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_an_audit_checkpoint_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": "x7#kq2!vL9@pR4$wN8^zT1&mB6*cF3(hJ5)dS0_gY2+eU7=aQ9~oI4",
           "DJANGO_ALLOWED_HOSTS": "portal.example.org",
           "BID_MASTER_KEYS": "cHJvZHVjdGlvbi1jaGVjay1tYXN0ZXIta2V5LTAxMjM=",
           "AUDIT_CHECKPOINT_KEYS": ""}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Set the AUDIT_CHECKPOINT_KEYS environment variable" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("core:home"))
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    # Every inline script carries the nonce; there are no inline styles or handlers.
    assert html.count("<script") == html.count(f'nonce="{nonce}"') + html.count('src="')
    assert " style=" not in html and " onclick=" not in html


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("core:home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
