"""End staff sessions that are not fully signed in, idle too long, or simply too old.

Idle timeout: no request for MINSHENG_SESSION_IDLE_MINUTES. Absolute timeout: MINSHENG_SESSION_MAX_HOURS
after sign-in, however busy (ASVS 5.0 V7.3). A session whose user did not pass the second factor
(e.g. a `login()` from some other code path) is ended as well. The request then goes on as an
anonymous one, so public pages still work and staff pages send the visitor to sign in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from minsheng.accounts.services import AUTH_AT, SEEN_AT

# Refresh the "last seen" mark at most this often, to spare a session write per request.
SEEN_GRANULARITY = 60


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request, user)
        return self.get_response(request)

    def _check(self, request: HttpRequest, user: Any) -> None:
        session = request.session
        now = time.time()
        auth_at = session.get(AUTH_AT)
        seen_at = session.get(SEEN_AT)
        if not user.is_verified() or auth_at is None or seen_at is None:
            logout(request)
            return
        if now - auth_at > settings.MINSHENG_SESSION_MAX_HOURS * 3600:
            logout(request)
            messages.info(request, _("登录已满 %(h)d 小时，请重新登录。") % {"h": settings.MINSHENG_SESSION_MAX_HOURS})
            return
        if now - seen_at > settings.MINSHENG_SESSION_IDLE_MINUTES * 60:
            logout(request)
            messages.info(
                request,
                _("超过 %(m)d 分钟没有操作，已自动退出，请重新登录。") % {"m": settings.MINSHENG_SESSION_IDLE_MINUTES},
            )
            return
        if now - seen_at > SEEN_GRANULARITY:
            session[SEEN_AT] = now
