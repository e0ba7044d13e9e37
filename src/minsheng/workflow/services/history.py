"""History brought in from other systems: a matter that was already answered there."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.errors import ValidationError
from minsheng.petitions.models import Petition
from minsheng.workflow.engine import Ctx, Outcome, execute
from minsheng.workflow.models import Closure, Decision, DecisionKind
from minsheng.workflow.models import Outcome as DecisionOutcome
from minsheng.workflow.services.base import clean_text, raise_errors


def case_import_reply(*, actor: Actor, petition: Petition, opinion: str, replied_at: dt.datetime) -> Outcome:
    """Record the reply another system gave (its text and time) as this case's written reply and
    close the case as replied. Only the importer calls it, as the system, right after
    registering the row: the event says it was imported and from where, the decision keeps the
    original reply time, and no notice goes out (the petitioner had the answer long ago)."""
    errors: dict[str, list[str]] = {}
    text = clean_text(opinion, "opinion", errors)
    if replied_at is None:
        errors["replied_at"] = [_("请填写答复时间。")]
    raise_errors(errors)

    def apply(ctx: Ctx) -> None:
        if replied_at < ctx.petition.received_at:
            raise ValidationError({"replied_at": [_("答复时间不能早于收到时间。")]})
        Decision.objects.create(
            case=ctx.case,
            kind=DecisionKind.REPLY,
            unit=ctx.petition.handling_unit,
            outcome=DecisionOutcome.FEEDBACK,
            request=ctx.petition.request,
            facts=ctx.petition.facts,
            opinion=text,
            issued_by=None,
            issued_at=replied_at,
            delivered_on=timezone.localdate(replied_at),
        )
        ctx.case.closure = Closure.REPLIED
        ctx.case.closed_at = replied_at
        ctx.note = _("导入的历史答复（来源：%(source)s %(ref)s）") % {
            "source": ctx.petition.source or "—",
            "ref": ctx.petition.source_ref or "—",
        }
        ctx.changes = {"imported": [None, True], "replied_at": [None, replied_at.isoformat()]}
        ctx.audit = {"imported": True, "source": ctx.petition.source, "source_ref": ctx.petition.source_ref}

    return execute(actor=actor, petition=petition, action="import_reply", apply=apply)
