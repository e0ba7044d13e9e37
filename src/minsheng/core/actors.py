"""Who did it: every service takes an Actor, so audit rows and timelines never guess."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.core.errors import NotAllowed

if TYPE_CHECKING:
    from minsheng.orgs.models import User

ActorKind = Literal["staff", "citizen", "system", "api"]

# The system's own jobs, as a timeline names them (any other label is shown as it is).
SYSTEM_JOBS = {
    "workflow": gettext_lazy("办理流程"),
    "notices": gettext_lazy("告知送达"),
    "daily": gettext_lazy("每日期限检查"),
    "calendar": gettext_lazy("节假日日历"),
    "intel": gettext_lazy("重复和集体信访识别"),
    "retention": gettext_lazy("保存期限清理"),
    "seed-demo": gettext_lazy("演示数据"),
}


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    user: User | None = None
    # For api: the integrating system's name; for system: the job; for citizen: the channel.
    label: str = ""

    @classmethod
    def staff(cls, user: User) -> Actor:
        return cls(kind="staff", user=user, label=user.get_username())

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls(kind="system", label=label)

    @classmethod
    def citizen(cls, label: str = "portal") -> Actor:
        return cls(kind="citizen", label=label)

    @classmethod
    def api(cls, client_name: str) -> Actor:
        return cls(kind="api", label=client_name)

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    def has_role(self, *roles: str) -> bool:
        return self.user is not None and self.user.has_any_role(*roles)

    def require_role(self, *roles: str) -> None:
        if not self.has_role(*roles):
            raise NotAllowed(_("您没有执行此操作的权限。"))

    def display(self) -> str:
        if self.user is not None:
            return self.user.display_name
        return {
            "citizen": _("信访人"),
            "system": _("系统"),
            "api": _("外部系统"),
            "staff": _("工作人员"),
        }[self.kind] + (
            f" ({SYSTEM_JOBS.get(self.label, self.label)})" if self.label and self.kind != "citizen" else ""
        )
