"""The admin site behind the same door as everything else: our sign-in with its second factor."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _


class MinshengAdminSite(admin.AdminSite):
    site_header = _("民声信访信息系统管理")
    site_title = _("系统管理")
    index_title = _("系统管理")

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        return bool(user.is_active and user.is_staff and verified)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # Django's own admin login checks only the password; ours checks both factors. Staff who
        # are signed in but not admins are refused here, not sent round the login page again.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or "/admin/")
