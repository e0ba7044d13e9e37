"""In the browser: first sign-in with authenticator enrolment, the reveal with a reason, and a CSP
that lets our pages, the Django admin and the API docs work without a single violation."""

import base64
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django_otp.oath import totp

from minsheng.core.actors import Actor
from minsheng.privacy.models import RevealLog
from tests.e2e.conftest import SCREENSHOTS, sign_in

VALID_ID = "110105194912310038"


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def watch_csp(page: Any) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


def test_a_newcomer_enrols_an_authenticator_at_first_sign_in(page: Any, transactional_org: Any) -> None:
    violations = watch_csp(page)
    page.goto(page.base_url + "/login/")
    shoot(page, "login-zh")
    page.fill("#id_username", "handler_a")
    page.fill("#id_password", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_url("**/login/enrol/")
    assert page.locator(".ms-qr svg").is_visible()
    shoot(page, "enrol-zh")
    secret = page.locator("#ms-totp-secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_code", f"{totp(key):06d}")  # what the phone app would show for that key
    page.click("main button[type=submit]")
    codes = page.locator(".ms-recovery-codes li")
    assert codes.count() == 10
    shoot(page, "recovery-codes-zh")
    page.click("text=我已保存，继续")
    page.wait_for_url("**/workbench/")
    assert violations == []


@override_settings(MINSHENG_SHOW_TOTP_CODE=True)
def test_in_development_the_code_is_on_the_page(page: Any, transactional_org: Any) -> None:
    from minsheng.accounts.testing import ensure_totp_device

    ensure_totp_device(transactional_org.registrar_a)
    page.goto(page.base_url + "/login/")
    assert "开发模式" in page.locator(".ms-dev-notice").inner_text()
    page.fill("#id_username", "registrar_a")
    page.fill("#id_password", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_url("**/login/verify/")
    shoot(page, "verify-development-zh")
    page.fill("#id_code", page.locator("#ms-dev-code").inner_text())
    page.click("main button[type=submit]")
    page.wait_for_url("**/workbench/")


def test_a_registrar_reveals_with_a_reason_and_the_supervisor_sees_it(
    page: Any, transactional_org: Any, register: Any
) -> None:
    org = transactional_org
    violations = watch_csp(page)
    petition = register(org.units.a, actor=Actor.staff(org.registrar_a)).petition
    sign_in(page, "registrar_a")
    page.goto(page.base_url + f"/workbench/petitions/{petition.pk}/")
    assert VALID_ID not in page.content() and "110105********0038" in page.content()
    page.click("text=查看完整信息")
    page.select_option("#id_reason", "contact")
    page.fill("#id_detail", "电话告知受理结果")
    shoot(page, "reveal-form-zh")
    page.click("text=记录理由并查看")
    assert page.locator("#ms-revealed-id").inner_text() == VALID_ID
    shoot(page, "reveal-done-zh")
    assert RevealLog.objects.get().reason == "contact"

    page.context.clear_cookies()
    sign_in(page, "supervisor")
    page.click("nav >> text=查看记录")
    row = page.locator("table tbody tr").first
    assert "registrar_a" in row.inner_text() and "电话告知受理结果" in row.inner_text()
    shoot(page, "reveal-log-zh")
    assert violations == []


def test_the_english_pages(browser: Any, live_server: Any, transactional_org: Any, register: Any) -> None:
    org = transactional_org
    for item in [*vars(org.units).values(), *vars(org.regions).values()]:
        item.name_en = "Named in English"
        item.save()
    petition = register(org.units.a, actor=Actor.staff(org.registrar_a)).petition
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.base_url = live_server.url
    violations = watch_csp(page)
    page.goto(live_server.url + "/login/")
    assert page.locator("h1").inner_text() == "Staff sign-in"
    shoot(page, "login-en")
    page.fill("#id_username", "unit_head_a")
    page.fill("#id_password", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_url("**/login/enrol/")
    shoot(page, "enrol-en")
    page.context.clear_cookies()
    sign_in(page, "registrar_a")
    page.goto(live_server.url + f"/workbench/petitions/{petition.pk}/")
    page.click("text=View in full")
    shoot(page, "reveal-form-en")
    page.goto(live_server.url + "/account/security/")
    shoot(page, "account-security-en")
    context.close()
    assert violations == []


@pytest.mark.parametrize("path", ["/admin/", "/admin/orgs/unit/", "/admin/orgs/unit/{unit}/change/", "/api/v1/docs"])
def test_the_admin_and_the_api_docs_work_under_the_policy(page: Any, transactional_org: Any, path: str) -> None:
    org = transactional_org
    org.admin.is_staff = org.admin.is_superuser = True
    org.admin.save()
    violations = watch_csp(page)
    sign_in(page, "admin")
    page.goto(page.base_url + path.format(unit=org.units.a.pk))
    if path.startswith("/admin/"):
        assert page.locator("#site-name").is_visible()
    else:
        page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_load_state("networkidle")
    shoot(page, "csp" + re.sub(r"\W+", "-", path).rstrip("-"))
    assert violations == [], violations
