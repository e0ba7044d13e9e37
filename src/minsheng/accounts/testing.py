"""Signing staff in from tests, through the real two-step flow (used by conftest.staff_login and
tests/e2e/conftest.sign_in, the only two ways tests log staff in).

Tests know the fixture password; the code comes from the user's TOTP device, created and
confirmed here if the user has none, as enrolment would.
"""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from minsheng.accounts.services import confirmed_totp, totp_code_now
from minsheng.orgs.models import User

TEST_PASSWORD = "correct-horse-battery"  # noqa: S105 - the fixtures' password, tests only


def ensure_test_password(user: User, password: str = TEST_PASSWORD) -> None:
    """Users built outside the fixtures may have another or no password: give them the test one."""
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])


def ensure_totp_device(user: User) -> TOTPDevice:
    device = confirmed_totp(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def fresh_totp_code(user: User) -> str:
    """A code the user's device accepts now. A real person can sign in at most once per 30-second
    step (a code is never accepted twice); tests sign the same persona in many times a second, so
    when this step's codes are used up the device's record of the last step is moved back."""
    device = ensure_totp_device(user)
    code = totp_code_now(device)
    if code is None:
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=device.last_t - device.tolerance - 2)
        device.refresh_from_db()
        code = totp_code_now(device)
    assert code is not None
    return code


def sign_in_client(client: Any, user: User, password: str = TEST_PASSWORD) -> Any:
    """Password, then TOTP code, over HTTP on a Django test client; fails loudly if refused."""
    if password == TEST_PASSWORD:
        ensure_test_password(user)
    ensure_totp_device(user)
    if client.session.get("_auth_user_id"):
        # switching persona on one client: sign out first (keeping other cookies, e.g. the language)
        client.post("/logout/")
    response = client.post("/login/", {"username": user.get_username(), "password": password})
    assert response.status_code == 302 and response["Location"].endswith("/login/verify/"), (
        f"password step refused for {user.get_username()}: {response.status_code}"
    )
    response = client.post("/login/verify/", {"code": fresh_totp_code(user)})
    assert response.status_code == 302, f"second factor refused for {user.get_username()}"
    return client
