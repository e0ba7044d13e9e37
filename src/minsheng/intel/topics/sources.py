"""Where the miner's messages come from: a portal export (CSV/Excel) or the petitions in the database.

Both are cleaned the same way as an import (the portal's `\\n\\t` padding, mixed date formats), so
the command over a file and the dashboard over imported petitions see the same text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.intel.topics.mining import MAX_MESSAGES, Message
from minsheng.petitions.importers import ImportFileError, clean_text, parse_datetime, read_table
from minsheng.petitions.models import Petition, Petitioner

# The portal's hot-message export (../shared/data/wenzheng_messages_hot.csv).
CSV_COLUMNS = {
    "ref": "留言编号",
    "user": "留言用户",
    "title": "留言主题",
    "at": "留言时间",
    "body": "留言详情",
    "down": "反对数",
    "up": "点赞数",
}
REQUIRED = ("ref", "title", "at")


class SourceError(Exception):
    """The file cannot be mined; the message says why, in the user's language."""


def _count(value: object) -> int:
    text = clean_text(value)
    try:
        return max(int(float(text)), 0) if text else 0
    except ValueError:
        return 0


def messages_from_file(path: Path | str) -> tuple[list[Message], list[str]]:
    """The file's messages, and one line per row that could not be read (row number and reason)."""
    try:
        header, rows, _count_rows = read_table(Path(path))
    except ImportFileError as exc:
        raise SourceError(str(exc)) from None
    missing = [CSV_COLUMNS[k] for k in REQUIRED if CSV_COLUMNS[k] not in header]
    if missing:
        raise SourceError(
            _("文件缺少列：%(missing)s。需要的列：%(needed)s")
            % {"missing": "、".join(missing), "needed": "、".join(CSV_COLUMNS.values())}
        )
    messages: list[Message] = []
    problems: list[str] = []
    for number, values in rows:
        ref = clean_text(values.get(CSV_COLUMNS["ref"]))
        title = clean_text(values.get(CSV_COLUMNS["title"]))
        if not ref or not title:
            problems.append(_("第%(row)d行：缺少留言编号或留言主题。") % {"row": number})
            continue
        try:
            at = parse_datetime(values.get(CSV_COLUMNS["at"], ""))
        except ValueError:
            problems.append(
                _("第%(row)d行：时间“%(value)s”无法识别。")
                % {"row": number, "value": clean_text(values.get(CSV_COLUMNS["at"]))}
            )
            continue
        messages.append(
            Message(
                ref=ref,
                user=clean_text(values.get(CSV_COLUMNS["user"])),
                title=title,
                body=clean_text(values.get(CSV_COLUMNS["body"])),
                at=at,
                up=_count(values.get(CSV_COLUMNS["up"])),
                down=_count(values.get(CSV_COLUMNS["down"])),
            )
        )
    return messages, problems


def _petitioner_key(petition: Petition) -> str:
    """Who wrote it, as far as we can tell without decrypting anything: a portal's user id, the
    keyed hash of the resident ID or phone; unknown writers count as different people."""
    for person in petition.petitioners.all():
        for key in (person.external_ref, person.id_number_hash, person.phone_hash):
            if key:
                return key
    return f"petition:{petition.pk}"


def messages_from_petitions(petitions: QuerySet[Petition], *, days: int | None = None) -> list[Message]:
    """The newest MAX_MESSAGES petitions of `petitions` (received in the last `days` days)."""
    if days:
        petitions = petitions.filter(received_at__gte=timezone.now() - dt.timedelta(days=days))
    chosen = (
        petitions.order_by("-received_at", "-id")
        .only("id", "number", "title", "facts", "request", "received_at")
        .prefetch_related(
            Prefetch(
                "petitioners",
                queryset=Petitioner.objects.only("id", "petition_id", "external_ref", "id_number_hash", "phone_hash"),
            )
        )[:MAX_MESSAGES]
    )
    return [
        Message(
            ref=p.number,
            user=_petitioner_key(p),
            title=p.title,
            body=p.facts or p.request,
            at=p.received_at,
            petition_id=p.pk,
        )
        for p in chosen
    ]
