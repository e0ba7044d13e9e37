"""Editing deadline policies: a published rule set is frozen; admins copy it to a draft, change the
draft, and publish it. Cases keep the version they started under (Case.ruleset)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.core.errors import Conflict, ValidationError
from minsheng.orgs.roles import Role
from minsheng.workflow.models import Rule, RuleSet


def ruleset_in_use(ruleset: RuleSet) -> bool:
    return ruleset.cases.exists()


@transaction.atomic
def ruleset_copy(*, actor: Actor, ruleset: RuleSet, note: str = "") -> RuleSet:
    """A new draft version of the policy with the same rules, ready to edit."""
    actor.require_role(Role.ADMIN)
    latest = RuleSet.objects.filter(policy=ruleset.policy).aggregate(v=Max("version"))["v"] or 0
    draft = RuleSet.objects.create(
        policy=ruleset.policy,
        version=latest + 1,
        effective_from=max(ruleset.effective_from, timezone.localdate()),
        roll_forward=ruleset.roll_forward,
        due_soon_days=ruleset.due_soon_days,
        long_overdue_days=ruleset.long_overdue_days,
        note=note,
    )
    Rule.objects.bulk_create(
        [
            Rule(
                ruleset=draft,
                step=r.step,
                nature=r.nature,
                length=r.length,
                day_kind=r.day_kind,
                start_event=r.start_event,
                article=r.article,
                article_en=r.article_en,
            )
            for r in ruleset.rules.all()
        ]
    )
    audit_append(
        actor=actor,
        action="policy.version_copy",
        object_type="ruleset",
        object_id=draft.pk,
        data={"policy": ruleset.policy.code, "from": ruleset.version, "version": draft.version},
    )
    return draft


@transaction.atomic
def ruleset_publish(*, actor: Actor, ruleset: RuleSet, effective_from: dt.date | None = None) -> RuleSet:
    """Publish a draft: petitions received on or after `effective_from` start under it."""
    actor.require_role(Role.ADMIN)
    locked = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    if locked.published_at is not None:
        raise Conflict(_("该版本已经发布，不能再次发布。"))
    if not locked.rules.exists():
        raise ValidationError({"rules": [_("没有任何期限规则的版本不能发布。")]})
    if effective_from is not None:
        locked.effective_from = effective_from
    locked.published_at = timezone.now()
    locked.save(update_fields=["effective_from", "published_at"])
    audit_append(
        actor=actor,
        action="policy.version_publish",
        object_type="ruleset",
        object_id=locked.pk,
        data={"policy": locked.policy.code, "version": locked.version, "effective_from": locked.effective_from},
    )
    return locked
