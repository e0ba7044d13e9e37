"""Timeline events: one constructor, one row per change, its audit twin in the same transaction."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.orgs.models import Unit
from minsheng.petitions.models import Petition, PetitionEvent

# Display names of timeline actions; the workflow adds its own from the transition table.
ACTION_LABELS: dict[str, Any] = {
    "register": _("登记"),
    "update": _("修改登记信息"),
    "petitioner_update": _("修改信访人信息"),
    "attachment_add": _("添加附件"),
    "import": _("导入"),
    "matter_link": _("关联重复信访"),
    "matter_unlink": _("解除重复信访关联"),
    "collective_flag": _("识别为集体信访"),
}


def event_record(
    *,
    petition: Petition,
    actor: Actor,
    action: str,
    from_status: str = "",
    to_status: str = "",
    unit: Unit | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    public: bool = False,
    audit_data: dict[str, Any] | None = None,
) -> PetitionEvent:
    """Record one change of a petition. Call inside the transaction of the change."""
    audit = audit_append(
        actor=actor,
        action=f"petition.{action}",
        object_type="petition",
        object_id=petition.pk,
        data={
            **({"from": from_status, "to": to_status} if to_status else {}),
            **({"unit": unit.pk} if unit else {}),
            **({"fields": sorted(changes)} if changes else {}),
            **(audit_data or {}),
        },
    )
    return PetitionEvent.objects.create(
        petition=petition,
        at=timezone.now(),
        actor=actor.user,
        actor_kind=actor.kind,
        actor_label=actor.label[:100],
        action=action,
        from_status=from_status,
        to_status=to_status,
        unit=unit,
        changes=changes or {},
        note=note,
        public=public,
        audit_seq=audit.seq,
    )
