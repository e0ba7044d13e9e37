"""Admin pages: the collective-petition rule per region (data, CONVENTIONS 5) and the groups found."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from minsheng.intel.models import CollectiveGroup, CollectivePolicy


@admin.register(CollectivePolicy)
class CollectivePolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "min_petitioners", "window_days", "is_active")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


@admin.register(CollectiveGroup)
class CollectiveGroupAdmin(admin.ModelAdmin):
    """Read-only: groups are found at registration; the petitions are worked in the workbench."""

    list_display = ("title", "unit", "petitioners", "created_at")
    list_select_related = ("unit",)
    readonly_fields = ("title", "unit", "petitioners", "min_petitioners", "window_days", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
