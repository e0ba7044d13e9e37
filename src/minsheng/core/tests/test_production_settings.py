"""Production settings: `check --deploy` is clean; HSTS, a CSP without 'unsafe-inline', and
Secure, HttpOnly, SameSite cookies; development aids refused."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

PACKAGE = Path(__file__).resolve().parents[2]

# Runs under the production settings: fetch the sign-in page over HTTPS and report what came back.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
setup_test_environment()
# no collectstatic here: name static files plainly (the manifest storage is not under test)
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
response = Client().get("/login/", secure=True)
cookie = response.cookies["csrftoken"]
print(json.dumps({
    "status": response.status_code,
    "headers": {k: v for k, v in response.items()},
    "csrf_cookie": {"secure": bool(cookie["secure"]), "httponly": bool(cookie["httponly"]), "samesite": cookie["samesite"]},
    "session": {"secure": settings.SESSION_COOKIE_SECURE, "httponly": settings.SESSION_COOKIE_HTTPONLY,
                "samesite": settings.SESSION_COOKIE_SAMESITE},
    "redirect": Client().get("/login/").status_code,
}))
"""


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "minsheng.config.settings",
        "MINSHENG_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "testserver,minsheng.example",
        "MINSHENG_DATA_KEYS": "1:dGVzdC1vbmx5LWRhdGEta2V5LTEtMzItYnl0ZXMtISE=",
        "MINSHENG_LOOKUP_KEY": "dGVzdC1vbmx5LWxvb2t1cC1rZXktMzItYnl0ZXMtISE=",
        "MINSHENG_VAR": str(tmp_path),
        "MINSHENG_SECRETS_FILE": str(tmp_path / "none.env"),
        **extra,
    }


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=False, timeout=120)


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    result = run(["-m", "django", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_answers_with_hsts_a_strict_csp_and_protected_cookies(tmp_path: Path) -> None:
    result = run(["-c", PROBE], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    headers = seen["headers"]
    assert seen["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert seen["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert seen["session"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert seen["redirect"] == 301  # plain http is sent to https


def test_production_refuses_the_development_code_display(tmp_path: Path) -> None:
    result = run(["-m", "django", "check"], production_env(tmp_path, MINSHENG_SHOW_TOTP_CODE="1"))
    assert result.returncode != 0 and "cannot be on in production" in result.stderr


@pytest.mark.django_db
def test_every_page_carries_the_policy(client: Client) -> None:
    csp = client.get("/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"\sstyle=\"", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=\"", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("template", sorted(PACKAGE.glob("*/templates/**/*.html")), ids=lambda p: p.name)
def test_no_template_needs_unsafe_inline(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found: list[Any] = [what for pattern, what in INLINE if pattern.search(text)]
    assert found == [], f"{template.relative_to(PACKAGE)}: {found} would be blocked by the CSP"
