from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from minsheng.core.actors import Actor
from minsheng.orgs.models import Region, Unit, User, UserRole
from minsheng.orgs.services import unit_save


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_en"]
    raw_id_fields = ["parent"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "region", "parent", "is_active"]
    list_filter = ["kind", "sector", "is_active"]
    search_fields = ["name", "name_en"]
    raw_id_fields = ["parent", "region"]

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        # Through the service: it keeps the subtree paths (data scope) right and audits.
        unit_save(actor=Actor.staff(request.user), unit=obj)  # type: ignore[arg-type]


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "unit", "is_active", "is_staff"]
    list_filter = ["is_active", "roles__role"]
    search_fields = ["username", "full_name"]
    raw_id_fields = ["unit"]
    inlines = [UserRoleInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email", "unit")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
