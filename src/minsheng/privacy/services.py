"""Personal data out of its mask: the reveal (with a reason) and the export (masked), both audited.

Pages, API responses and exports show resident IDs, phones and addresses masked
(`Petitioner.*_masked`). The full values leave the database only through `petitioner_reveal`,
which records who, when and why in the same transaction: if the record cannot be written, nothing
is revealed (PIPL Art. 51: access control and records of processing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.core.errors import NotAllowed, ValidationError
from minsheng.orgs.roles import Role
from minsheng.petitions.models import Petition, Petitioner
from minsheng.petitions.selectors import PetitionFilters, petition_list
from minsheng.privacy.models import Export, RevealLog

# Those who work the case may need to reach the petitioner; analysts, custodians and supervisors
# work on figures and records, not on people.
REVEALERS = (Role.REGISTRAR, Role.HANDLER, Role.UNIT_HEAD, Role.REVIEWER, Role.LEADER)
REVEALED_FIELDS = ("id_number", "phone", "address")
EXPORT_MAX_ROWS = 10000


@dataclass(frozen=True)
class Revealed:
    log: RevealLog
    id_number: str
    phone: str
    address: str


@transaction.atomic
def petitioner_reveal(*, actor: Actor, petitioner: Petitioner, reason: str, detail: str = "") -> Revealed:
    """Show one petitioner's full resident ID, phone and address, and record the look."""
    if not actor.has_role(*REVEALERS):
        raise NotAllowed(_("您的角色不能查看信访人的完整个人信息。"))
    detail = (detail or "").strip()
    errors: dict[str, list[str]] = {}
    if reason not in RevealLog.Reason.values:
        errors["reason"] = [_("请选择查看完整信息的理由。")]
    elif reason == RevealLog.Reason.OTHER and len(detail) < 4:
        errors["detail"] = [_("选择“其他”时，请写明理由（至少4个字）。")]
    if len(detail) > 200:
        errors["detail"] = [_("说明不能超过200个字。")]
    if errors:
        raise ValidationError(errors)
    assert actor.user is not None and actor.user.unit is not None
    fields = [name for name in REVEALED_FIELDS if getattr(petitioner, name)]
    audit = audit_append(
        actor=actor,
        action="petitioner.reveal",
        object_type="petitioner",
        object_id=petitioner.pk,
        data={"petition": petitioner.petition_id, "reason": reason, "fields": fields},
    )
    log = RevealLog.objects.create(
        at=audit.at,
        user=actor.user,
        unit=actor.user.unit,
        petition_id=petitioner.petition_id,
        petitioner=petitioner,
        fields=fields,
        reason=reason,
        detail=detail,
        audit_seq=audit.seq,
    )
    return Revealed(log=log, id_number=petitioner.id_number, phone=petitioner.phone, address=petitioner.address)


# --- Exports ----------------------------------------------------------------------------------


def _export_rows(petitions: list[Petition]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for petition in petitions:
        people = list(petition.petitioners.all())
        rows.append(
            [
                petition.number,
                timezone.localtime(petition.received_at).strftime("%Y-%m-%d %H:%M"),
                petition.get_channel_display(),
                petition.get_nature_display(),
                petition.category.display_name if petition.category else "",
                petition.region.display_name if petition.region else "",
                petition.title,
                petition.get_status_display(),
                petition.handling_unit.display_name,
                "、".join(p.name for p in people if p.name),
                "、".join(p.id_number_masked for p in people if p.id_number),
                "、".join(p.phone_masked for p in people if p.phone),
                "、".join(p.address_masked for p in people if p.address),
            ]
        )
    return rows


def _workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(_("信访事项"))
    sheet.append(
        [
            str(_("信访件编号")),
            str(_("收到时间")),
            str(_("信访形式")),
            str(_("信访性质")),
            str(_("问题分类")),
            str(_("问题属地")),
            str(_("标题")),
            str(_("状态")),
            str(_("责任单位")),
            str(_("信访人")),
            str(_("身份证号码（已遮蔽）")),
            str(_("联系电话（已遮蔽）")),
            str(_("住址（已遮蔽）")),
        ]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _jsonable_filters(filters: PetitionFilters) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in vars(filters).items():
        if value in (None, ""):
            continue
        values[name] = value.pk if hasattr(value, "pk") else value.isoformat() if isinstance(value, dt.date) else value
    return values


def petitions_export(*, actor: Actor, filters: PetitionFilters) -> Export:
    """Write the petitions the actor may see and has filtered to an Excel file, masked, audited."""
    user = actor.user
    if user is None or user.unit is None:
        raise NotAllowed(_("只有工作人员可以导出。"))
    petitions = list(petition_list(user=user, filters=filters).prefetch_related("petitioners")[: EXPORT_MAX_ROWS + 1])
    if len(petitions) > EXPORT_MAX_ROWS:
        raise ValidationError({"__all__": [_("一次最多导出 %(n)d 件，请缩小查询范围。") % {"n": EXPORT_MAX_ROWS}]})
    content = _workbook(_export_rows(petitions))
    now = timezone.now()
    name = f"{now:%Y%m%d%H%M%S}-{secrets.token_hex(8)}.xlsx"
    export = Export(
        kind=Export.Kind.PETITIONS,
        created_at=now,
        created_by=user,
        unit=user.unit,
        params=_jsonable_filters(filters),
        rows=len(petitions),
        sha256=hashlib.sha256(content).hexdigest(),
        expires_at=now + dt.timedelta(days=settings.MINSHENG_EXPORT_DAYS),
    )
    # The file is written first; if the database then refuses the row or its audit twin, the
    # file is removed again, so no export exists without its record.
    export.file.save(name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            export.save()
            audit = audit_append(
                actor=actor,
                action="export.create",
                object_type="export",
                object_id=export.pk,
                data={"kind": export.kind, "rows": export.rows, "filters": sorted(export.params)},
            )
            Export.objects.filter(pk=export.pk).update(audit_seq=audit.seq)
            export.audit_seq = audit.seq
    except BaseException:
        export.file.delete(save=False)
        raise
    return export


@transaction.atomic
def export_download_record(*, actor: Actor, export: Export) -> None:
    """Fetching the file is when the data leaves: each download is recorded too."""
    audit_append(
        actor=actor,
        action="export.download",
        object_type="export",
        object_id=export.pk,
        data={"kind": export.kind, "rows": export.rows},
    )
