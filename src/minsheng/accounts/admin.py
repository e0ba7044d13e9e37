"""Second-factor devices in the admin: see and reset (delete), never read or set a secret.

django-otp's own admin would show TOTP keys and recovery codes and let an administrator add
them for someone else, i.e. sign in as them. Here an administrator can only remove a person's
devices (they lost their phone); that person then enrols anew at their next sign-in. Each reset is
recorded in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class DeviceResetAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__full_name"]
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._record(request, [obj])
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._record(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _record(self, request: HttpRequest, devices: list[Any]) -> None:
        for device in devices:
            audit_append(
                actor=Actor.staff(request.user),  # type: ignore[arg-type]
                action="auth.device_reset",
                object_type="user",
                object_id=device.user_id,
                data={"device": device.__class__.__name__, "id": device.pk},
            )


admin.site.register(TOTPDevice, DeviceResetAdmin)
admin.site.register(StaticDevice, DeviceResetAdmin)
