"""Admin: the trained versions with their evaluation, a button to train a new one, and feedback."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minsheng.core.actors import Actor
from minsheng.core.errors import DomainError, ValidationError
from minsheng.intel.routing.models import RoutingFeedback, RoutingModel
from minsheng.intel.routing.services import routing_model_request


def _cv(obj: RoutingModel) -> str:
    cv = (obj.metrics or {}).get("cv")
    if not cv:
        return "—"
    return f"{cv['macro_f1_mean']:.4f} ± {cv['macro_f1_sd']:.4f} ({cv['repeats']}×{cv['folds']})"


@admin.register(RoutingModel)
class RoutingModelAdmin(admin.ModelAdmin):
    list_display = ("version", "status", "is_current", "cv_macro_f1", "created_at", "trained_at", "size_bytes")
    readonly_fields = (
        "version",
        "status",
        "is_current",
        "created_at",
        "trained_at",
        "created_by",
        "training_files",
        "parameters",
        "metrics",
        "size_bytes",
        "error",
    )
    exclude = ("model_data",)
    actions = ["train_new_version"]
    change_list_template = "routing/admin_change_list.html"

    @admin.display(description=_("交叉验证 macro-F1"))
    def cv_macro_f1(self, obj: RoutingModel) -> str:
        return _cv(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        return [
            path("train/", self.admin_site.admin_view(self.train_view), name="routing_routingmodel_train"),
            *super().get_urls(),
        ]

    def _request_training(self, request: HttpRequest) -> None:
        try:
            row = routing_model_request(actor=Actor.staff(request.user))  # type: ignore[arg-type]
        except (ValidationError, DomainError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            gettext("已排队训练分流模型 v%(version)d，后台完成后自动启用。") % {"version": row.version},
            messages.SUCCESS,
        )

    def train_view(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            self._request_training(request)
        return HttpResponseRedirect(reverse("admin:routing_routingmodel_changelist"))

    @admin.action(description=_("用默认数据训练新版本"))
    def train_new_version(self, request: HttpRequest, queryset: QuerySet[RoutingModel]) -> None:
        self._request_training(request)


@admin.register(RoutingFeedback)
class RoutingFeedbackAdmin(admin.ModelAdmin):
    list_display = (
        "petition",
        "suggested_label",
        "chosen_label",
        "chosen_unit",
        "is_correction",
        "chosen_by",
        "chosen_at",
    )
    list_filter = ("is_correction",)
    readonly_fields = [f.name for f in RoutingFeedback._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
