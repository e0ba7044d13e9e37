"""Staff sign-in: password, then a second factor; throttling that reveals no accounts; timeouts."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import staff_login
from minsheng.accounts.testing import TEST_PASSWORD, ensure_totp_device, fresh_totp_code
from minsheng.core.audit import audit_verify
from minsheng.core.models import AuditRecord

pytestmark = pytest.mark.django_db

HOME = "/workbench/"


def password_step(client: Client, username: str, password: str = TEST_PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def is_signed_in(client: Client) -> bool:
    return client.get(HOME).status_code == 200


def recovery_codes(html: str) -> list[str]:
    return re.findall(r'<span class="d-block[^"]*">([a-z2-7]{4}-[a-z2-7]{4})</span>', html)


def normalised(html: str, username: str) -> str:
    """The page without what must differ between two requests: the CSRF token and the typed name."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(f'value="{username}"', 'value=""')


def test_a_password_alone_opens_nothing(client: Client, org: Any) -> None:
    ensure_totp_device(org.registrar_a)
    response = password_step(client, "registrar_a")
    assert response.status_code == 302 and response["Location"] == reverse("login_verify")
    assert client.get(HOME)["Location"].startswith(reverse("login"))


def test_the_code_from_the_authenticator_completes_the_sign_in(client: Client, org: Any) -> None:
    ensure_totp_device(org.registrar_a)
    password_step(client, "registrar_a")
    response = client.post(reverse("login_verify"), {"code": fresh_totp_code(org.registrar_a)})
    assert response.status_code == 302 and response["Location"] == reverse("workbench:home")
    assert is_signed_in(client)
    row = AuditRecord.objects.filter(action="auth.login").latest("seq")
    assert (row.actor_id, row.object_id, row.data) == (org.registrar_a.pk, str(org.registrar_a.pk), {"factor": "totp"})
    assert audit_verify().ok


def test_a_reused_totp_code_is_refused(client: Client, org: Any) -> None:
    ensure_totp_device(org.registrar_a)
    code = fresh_totp_code(org.registrar_a)
    password_step(client, "registrar_a")
    assert client.post(reverse("login_verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))

    other = Client()
    password_step(other, "registrar_a")
    response = other.post(reverse("login_verify"), {"code": code})
    assert response.status_code == 200
    assert "验证码不正确或已使用过" in response.content.decode()
    assert not is_signed_in(other)


def test_a_wrong_code_is_refused(client: Client, org: Any) -> None:
    device = ensure_totp_device(org.registrar_a)
    password_step(client, "registrar_a")
    good = fresh_totp_code(org.registrar_a)
    wrong = f"{(int(good) + 1) % 1000000:06d}"
    assert client.post(reverse("login_verify"), {"code": wrong}).status_code == 200
    assert not is_signed_in(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_wrong_password_looks_the_same_for_existing_and_unknown_users(client: Client, org: Any) -> None:
    known = password_step(Client(), "registrar_a", "wrong-password-1")
    unknown = password_step(Client(), "no_such_user", "wrong-password-1")
    assert known.status_code == unknown.status_code == 200
    assert normalised(known.content.decode(), "registrar_a") == normalised(unknown.content.decode(), "no_such_user")
    assert sorted(known.cookies) == sorted(unknown.cookies)
    assert "用户名或密码不正确" in known.content.decode()


def test_a_disabled_account_gets_the_same_answer_as_a_wrong_password(client: Client, org: Any) -> None:
    org.handler_a.is_active = False
    org.handler_a.save()
    disabled = password_step(Client(), "handler_a", TEST_PASSWORD)
    unknown = password_step(Client(), "no_such_usr", TEST_PASSWORD)
    assert normalised(disabled.content.decode(), "handler_a") == normalised(unknown.content.decode(), "no_such_usr")


@pytest.mark.parametrize("username", ["registrar_a", "no_such_user"])
def test_twenty_failed_attempts_throttle_the_username(org: Any, username: str) -> None:
    statuses = [
        # a new address each time: only the username is counted here
        Client(REMOTE_ADDR=f"10.0.0.{attempt + 1}")
        .post(reverse("login"), {"username": username, "password": f"wrong-{attempt}"})
        .status_code
        for attempt in range(20)
    ]
    assert statuses == [200] * 19 + [429]  # the 20th failure starts the lockout
    locked = Client(REMOTE_ADDR="10.0.1.1").post(reverse("login"), {"username": username, "password": TEST_PASSWORD})
    assert locked.status_code == 429, "even the right password is refused during the lockout"
    assert "登录已暂停" in locked.content.decode() and username not in locked.content.decode()


def test_the_lockout_page_is_the_same_whether_or_not_the_user_exists(org: Any) -> None:
    pages = {}
    for username in ("registrar_a", "no_such_user"):
        for attempt in range(20):
            response = Client(REMOTE_ADDR=f"10.1.{len(pages)}.{attempt + 1}").post(
                reverse("login"), {"username": username, "password": "wrong"}
            )
        pages[username] = response
    known, unknown = pages["registrar_a"], pages["no_such_user"]
    assert known.status_code == unknown.status_code == 429
    assert normalised(known.content.decode(), "") == normalised(unknown.content.decode(), "")
    assert known["Retry-After"] == unknown["Retry-After"] == "900"


def test_twenty_failures_from_one_address_throttle_every_username(org: Any) -> None:
    client = Client(REMOTE_ADDR="10.9.9.9")
    for attempt in range(20):
        password_step(client, f"someone{attempt}", "wrong")
    assert password_step(client, "registrar_a").status_code == 429
    assert password_step(Client(REMOTE_ADDR="10.9.9.10"), "registrar_a").status_code == 302


def test_guessing_second_factor_codes_counts_as_failed_sign_ins(org: Any) -> None:
    ensure_totp_device(org.registrar_a)
    for attempt in range(19):
        client = Client(REMOTE_ADDR=f"10.2.0.{attempt + 1}")
        password_step(client, "registrar_a")
        # lift django-otp's own growing delay, to show that axes counts the failures too
        TOTPDevice.objects.filter(user=org.registrar_a).update(throttling_failure_count=0)
        assert client.post(reverse("login_verify"), {"code": "000000"}).status_code == 200
    password_step(client, "registrar_a")
    TOTPDevice.objects.filter(user=org.registrar_a).update(throttling_failure_count=0)
    assert client.post(reverse("login_verify"), {"code": "000000"}).status_code == 429
    client = Client(REMOTE_ADDR="10.2.1.1")
    assert password_step(client, "registrar_a").status_code == 429


def test_the_lockout_ends_after_the_cool_off(org: Any) -> None:
    with time_machine.travel(time.time(), tick=False) as traveller:
        for attempt in range(20):
            password_step(Client(REMOTE_ADDR=f"10.3.0.{attempt + 1}"), "registrar_a", "wrong")
        assert password_step(Client(REMOTE_ADDR="10.3.1.1"), "registrar_a").status_code == 429
        traveller.shift(16 * 60)
        assert password_step(Client(REMOTE_ADDR="10.3.1.1"), "registrar_a").status_code == 302


def test_first_sign_in_enrols_an_authenticator_and_hands_out_recovery_codes(client: Client, org: Any) -> None:
    response = password_step(client, "handler_a")
    assert response["Location"] == reverse("login_enrol")
    page = client.get(reverse("login_enrol"))
    html = page.content.decode()
    assert "<svg" in html and "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=org.handler_a, confirmed=False)
    assert re.search(r'id="ms-totp-secret">([A-Z2-7]{32})<', html)

    from minsheng.accounts.services import totp_code_now

    with time_machine.travel(time.time(), tick=False) as traveller:
        assert client.post(reverse("login_enrol"), {"code": "000000"}).status_code == 200
        assert not is_signed_in(client)
        traveller.shift(2)  # django-otp makes the next try wait a second after a wrong code
        done = client.post(reverse("login_enrol"), {"code": totp_code_now(device)})
    codes = recovery_codes(done.content.decode())
    assert len(codes) == 10 and "no-store" in done["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed and is_signed_in(client)
    assert AuditRecord.objects.filter(action="auth.totp_enrol", object_id=str(org.handler_a.pk)).exists()


def test_a_password_alone_cannot_replace_an_enrolled_authenticator(client: Client, org: Any) -> None:
    ensure_totp_device(org.registrar_a)
    password_step(client, "registrar_a")
    response = client.get(reverse("login_enrol"))
    assert response.status_code == 302 and response["Location"] == reverse("login_verify")
    assert TOTPDevice.objects.filter(user=org.registrar_a).count() == 1


def test_a_recovery_code_signs_in_once(client: Client, org: Any) -> None:
    from minsheng.accounts.services import recovery_codes_renew
    from minsheng.core.actors import Actor

    ensure_totp_device(org.registrar_a)
    codes = recovery_codes_renew(actor=Actor.staff(org.registrar_a), user=org.registrar_a)
    password_step(client, "registrar_a")
    response = client.post(reverse("login_verify"), {"code": codes[0].upper()}, follow=True)
    assert "还剩 9 个" in response.content.decode() and is_signed_in(client)
    client.post(reverse("logout"))
    password_step(client, "registrar_a")
    assert client.post(reverse("login_verify"), {"code": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=org.registrar_a).count() == 9


def test_renewing_recovery_codes_voids_the_old_ones(client: Client, org: Any) -> None:
    staff_login(client, org.registrar_a)
    first = recovery_codes(client.post(reverse("account_security")).content.decode())
    second = recovery_codes(client.post(reverse("account_security")).content.decode())
    assert len(first) == len(second) == 10 and not set(first) & set(second)
    tokens = set(StaticToken.objects.filter(device__user=org.registrar_a).values_list("token", flat=True))
    assert tokens == {code.replace("-", "") for code in second}


def test_the_second_step_must_follow_within_five_minutes(client: Client, org: Any) -> None:
    ensure_totp_device(org.registrar_a)
    with time_machine.travel(time.time(), tick=False) as traveller:
        password_step(client, "registrar_a")
        traveller.shift(301)
        response = client.post(reverse("login_verify"), {"code": fresh_totp_code(org.registrar_a)})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not is_signed_in(client)


def test_a_session_without_the_second_factor_is_ended(client: Client, org: Any) -> None:
    client.force_login(org.registrar_a)
    assert client.get(HOME)["Location"].startswith(reverse("login"))


@override_settings(MINSHENG_SESSION_IDLE_MINUTES=30)
def test_an_idle_session_ends(client: Client, org: Any) -> None:
    with time_machine.travel(time.time(), tick=False) as traveller:
        staff_login(client, org.registrar_a)
        traveller.shift(29 * 60)
        assert is_signed_in(client)
        traveller.shift(29 * 60)  # active 29 minutes ago: still in
        assert is_signed_in(client)
        traveller.shift(31 * 60)
        response = client.get(HOME, follow=True)
    assert "超过 30 分钟没有操作" in response.content.decode()
    assert not is_signed_in(client)


@override_settings(MINSHENG_SESSION_MAX_HOURS=10)
def test_a_busy_session_still_ends_after_the_absolute_limit(client: Client, org: Any) -> None:
    with time_machine.travel(time.time(), tick=False) as traveller:
        signed_in_at = time.time()
        staff_login(client, org.registrar_a)
        for _ in range(12 * 60 // 20):
            traveller.shift(20 * 60)
            if not is_signed_in(client):
                break
        elapsed_hours = (time.time() - signed_in_at) / 3600
    assert 10 < elapsed_hours <= 10 + 1 / 3
    assert not is_signed_in(client)


def test_sign_out_is_recorded_and_needs_a_post(client: Client, org: Any) -> None:
    staff_login(client, org.registrar_a)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert not is_signed_in(client)
    assert AuditRecord.objects.filter(action="auth.logout", actor_id=org.registrar_a.pk).exists()


def test_an_unsafe_next_address_is_ignored(client: Client, org: Any) -> None:
    ensure_totp_device(org.registrar_a)
    client.post(
        reverse("login"), {"username": "registrar_a", "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    response = client.post(reverse("login_verify"), {"code": fresh_totp_code(org.registrar_a)})
    assert response["Location"] == reverse("workbench:home")


def test_the_next_address_on_this_site_is_kept(client: Client, org: Any) -> None:
    ensure_totp_device(org.registrar_a)
    client.post(
        reverse("login"), {"username": "registrar_a", "password": TEST_PASSWORD, "next": "/workbench/petitions/"}
    )
    response = client.post(reverse("login_verify"), {"code": fresh_totp_code(org.registrar_a)})
    assert response["Location"] == "/workbench/petitions/"


@override_settings(MINSHENG_SHOW_TOTP_CODE=True)
def test_the_development_aid_shows_the_current_code(client: Client, org: Any) -> None:
    ensure_totp_device(org.registrar_a)
    password_step(client, "registrar_a")
    html = client.get(reverse("login_verify")).content.decode()
    shown = re.search(r'id="ms-dev-code">(\d{6})<', html)
    assert shown and "开发模式" in client.get(reverse("login")).content.decode()
    assert client.post(reverse("login_verify"), {"code": shown.group(1)}).status_code == 302


@override_settings(MINSHENG_SHOW_TOTP_CODE=False)
def test_outside_development_no_code_is_shown(client: Client, org: Any) -> None:
    ensure_totp_device(org.registrar_a)
    password_step(client, "registrar_a")
    html = client.get(reverse("login_verify")).content.decode()
    assert "ms-dev-code" not in html and "开发模式" not in html


class TestTheAdminSite:
    def test_it_needs_the_second_factor(self, client: Client, org: Any) -> None:
        org.admin.is_staff = org.admin.is_superuser = True
        org.admin.save()
        client.force_login(org.admin)
        assert client.get("/admin/").status_code == 302
        staff_login(client, org.admin)
        assert client.get("/admin/").status_code == 200

    def test_its_own_login_page_sends_people_to_ours(self, client: Client) -> None:
        response = client.get("/admin/login/?next=/admin/orgs/unit/")
        assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")

    def test_staff_who_are_not_admins_are_refused(self, client: Client, org: Any) -> None:
        staff_login(client, org.registrar_a)
        assert client.get("/admin/", follow=True).status_code == 403


class TestResettingADevice:
    def test_admins_see_no_secret_and_cannot_add_one(self, client: Client, org: Any) -> None:
        org.admin.is_staff = org.admin.is_superuser = True
        org.admin.save()
        device = ensure_totp_device(org.registrar_a)
        staff_login(client, org.admin)
        page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
        assert device.key not in page and "registrar_a" in page
        assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
        assert client.get("/admin/otp_static/staticdevice/add/").status_code == 403

    def test_a_reset_is_audited_and_the_person_enrols_again(self, client: Client, org: Any) -> None:
        org.admin.is_staff = org.admin.is_superuser = True
        org.admin.save()
        device = ensure_totp_device(org.registrar_a)
        staff_login(client, org.admin)
        client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
        assert not TOTPDevice.objects.filter(pk=device.pk).exists()
        row = AuditRecord.objects.get(action="auth.device_reset")
        assert (row.actor_id, row.object_id) == (org.admin.pk, str(org.registrar_a.pk))
        assert password_step(Client(), "registrar_a")["Location"] == reverse("login_enrol")
