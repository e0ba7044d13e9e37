"""Writes of text intelligence: the near-duplicate index, repeat links and collective groups.

The index is kept current by explicit calls (no signals): registration, corrections of the text,
merge and unmerge, and the retention purge call `petition_index` / `petition_unindex` in their
own transaction. Every link and every collective flag writes a timeline event with its audit twin.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.errors import Conflict, ValidationError
from minsheng.intel.models import CollectiveGroup, CollectiveMember, LinkKind, MatterLink, NearDupSignature
from minsheng.intel.neardup import BAND_FIELDS, PREFILTER_MARGIN, THRESHOLD, petition_text, text_keys
from minsheng.intel.selectors import Match, collective_rule, matter_region, similar_candidates, verify
from minsheng.orgs.roles import Role
from minsheng.petitions.events import event_record
from minsheng.petitions.models import Nature, Petition, Petitioner
from minsheng.workflow.models import Case, Closure
from minsheng.workflow.states import TERMINAL, Status

# Repeat links found automatically per registration: the closest few are enough to act on.
MAX_AUTO_LINKS = 5


def _signature_row(petition_id: int, keys: list[int], sketch: bytes) -> NearDupSignature:
    return NearDupSignature(petition_id=petition_id, sketch=sketch, **dict(zip(BAND_FIELDS, keys, strict=True)))


def petition_index(*, petition: Petition) -> tuple[set[str], list[int] | None, bytes]:
    """(Re)write the petition's band keys and sketch; returns them with its shingles for the
    caller's lookup."""
    grams, keys, sketch = text_keys(petition_text(petition.title, petition.request, petition.facts))
    if keys is None:
        NearDupSignature.objects.filter(pk=petition.pk).delete()
    else:
        NearDupSignature.objects.update_or_create(
            petition_id=petition.pk, defaults={"sketch": sketch, **dict(zip(BAND_FIELDS, keys, strict=True))}
        )
    return grams, keys, sketch


def petition_unindex(*, petition_id: int) -> None:
    """Take a petition out of the index (merged into another, or its text purged)."""
    NearDupSignature.objects.filter(pk=petition_id).delete()


def petitions_index_bulk(rows: Iterable[tuple[int, str, str, str]], *, batch: int = 2000) -> int:
    """Index many (id, title, request, facts) at once, replacing their rows: importers, rebuilds."""
    done = 0
    pending: list[NearDupSignature] = []

    def flush() -> None:
        NearDupSignature.objects.filter(pk__in=[r.petition_id for r in pending]).delete()
        NearDupSignature.objects.bulk_create(pending, batch_size=batch)
        pending.clear()

    for pk, title, request, facts in rows:
        _grams, keys, sketch = text_keys(petition_text(title, request, facts))
        if keys is not None:
            pending.append(_signature_row(pk, keys, sketch))
            done += 1
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return done


def index_rebuild(*, queryset: Iterable[Petition] | None = None, progress: object = None) -> int:
    """Rebuild the whole index from the petitions' current text (`minsheng neardup-rebuild`)."""
    from minsheng.privacy.models import PurgedCase

    purged = PurgedCase.objects.values("petition_id")
    rows = (
        Petition.objects.exclude(status=Status.MERGED)
        .exclude(pk__in=purged)
        .order_by("pk")
        .values_list("pk", "title", "request", "facts")
    )
    with transaction.atomic():
        NearDupSignature.objects.all().delete()
        return petitions_index_bulk(rows.iterator(chunk_size=2000))


# --- Repeat links ---------------------------------------------------------------------------------


def _kind_of(earlier: Petition, case: Case | None) -> str | None:
    if case is not None and case.closure == Closure.REREVIEW:
        return LinkKind.CLOSED_MATTER
    if earlier.status not in TERMINAL:
        return LinkKind.REPEAT
    return None


def _link_note(kind: str, earlier: Petition) -> str:
    if kind == LinkKind.CLOSED_MATTER:
        return _(
            "同一信访人就同一事项再次提出；原信访事项 %(number)s 已经复核终结，不再受理（《信访工作条例》第三十六条第三款）。"
        ) % {"number": earlier.number}
    return _(
        "同一信访人就同一事项再次提出；原信访事项 %(number)s 正在办理，上级机关、单位不予受理（《信访工作条例》第十九条第三款）。"
    ) % {"number": earlier.number}


def _create_link(
    *, actor: Actor, petition: Petition, earlier: Petition, kind: str, score: float | None, automatic: bool
) -> MatterLink:
    link = MatterLink.objects.create(
        petition=petition,
        earlier=earlier,
        kind=kind,
        score=score,
        automatic=automatic,
        created_at=timezone.now(),
        created_by=actor.user,
    )
    event_record(
        petition=petition,
        actor=actor,
        action="matter_link",
        changes={"earlier": [None, earlier.number]},
        note=_link_note(kind, earlier),
        audit_data={"link": link.pk, "earlier": earlier.pk, "kind": kind, "automatic": automatic},
    )
    return link


STAFF_LINKERS = (Role.REGISTRAR, Role.HANDLER, Role.UNIT_HEAD, Role.ADMIN)


@transaction.atomic
def matter_link(*, actor: Actor, petition: Petition, earlier: Petition, score: float | None = None) -> MatterLink:
    """Link `petition` to an earlier one on the same matter (by staff; registration links itself)."""
    actor.require_role(*STAFF_LINKERS)
    if earlier.pk == petition.pk:
        raise ValidationError({"earlier": [_("不能关联信访事项本身。")]})
    if MatterLink.objects.filter(petition=petition, earlier=earlier, unlinked_at__isnull=True).exists():
        raise ValidationError({"earlier": [_("已经关联了该信访事项。")]})
    kind = _kind_of(earlier, Case.objects.filter(petition=earlier).first())
    if kind is None:
        raise ValidationError(
            {"earlier": [_("原信访事项已经办结（未经复核终结）、不予受理、撤回或并入其他事项，不构成重复信访。")]}
        )
    return _create_link(actor=actor, petition=petition, earlier=earlier, kind=kind, score=score, automatic=False)


@transaction.atomic
def matter_unlink(*, actor: Actor, link: MatterLink, reason: str) -> MatterLink:
    """Remove a repeat link (a wrong match); the row and its history stay."""
    actor.require_role(*STAFF_LINKERS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请写明解除关联的理由。")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("理由不能超过500个字。")]})
    locked = MatterLink.objects.select_for_update().select_related("petition", "earlier").get(pk=link.pk)
    if locked.unlinked_at is not None:
        raise Conflict(_("该关联已经解除。"), code="already_unlinked")
    locked.unlinked_at = timezone.now()
    locked.unlinked_by = actor.user
    locked.unlink_reason = reason
    locked.save(update_fields=["unlinked_at", "unlinked_by", "unlink_reason"])
    event_record(
        petition=locked.petition,
        actor=actor,
        action="matter_unlink",
        changes={"earlier": [locked.earlier.number, None]},
        note=reason,
        audit_data={"link": locked.pk, "earlier": locked.earlier_id},
    )
    return locked


def _person_keys(petitioner: Petitioner, source: str) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    if petitioner.id_number_hash:
        keys.add(("id", petitioner.id_number_hash))
    if petitioner.phone_hash:
        keys.add(("phone", petitioner.phone_hash))
    if petitioner.external_ref:
        # a portal's user ids mean something only within that portal's export
        keys.add(("ext", f"{source}:{petitioner.external_ref}"))
    return keys


def _same_petitioner(petition: Petition, earlier_ids: Sequence[int]) -> set[int]:
    """Which of `earlier_ids` share a petitioner with `petition` (resident ID, phone or portal user)."""
    people = list(petition.petitioners.all())
    ids = {p.id_number_hash for p in people if p.id_number_hash}
    phones = {p.phone_hash for p in people if p.phone_hash}
    refs = {p.external_ref for p in people if p.external_ref}
    if not (ids or phones or refs):
        return set()
    same = Q(id_number_hash__in=ids) | Q(phone_hash__in=phones)
    if refs:
        same |= Q(external_ref__in=refs, petition__source=petition.source)
    return set(
        Petitioner.objects.filter(same, petition_id__in=earlier_ids).values_list("petition_id", flat=True).distinct()
    )


# --- Collective petitions -------------------------------------------------------------------------


def _count_people(petition_ids: Sequence[int]) -> int:
    """Distinct people among the petitions' petitioners: rows sharing a resident ID, phone or portal
    user are one person; a row with none of these counts by its name; an unnamed one not at all."""
    rows = list(Petitioner.objects.filter(petition_id__in=petition_ids).select_related("petition"))
    parent: dict[int, int] = {i: i for i in range(len(rows))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows):
        keys = _person_keys(row, row.petition.source) or ({("name", row.name)} if row.name else set())
        for key in keys:
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    return len({find(i) for i, row in enumerate(rows) if _person_keys(row, row.petition.source) or row.name})


def _collective_check(*, actor: Actor, petition: Petition, matches: list[Match]) -> CollectiveGroup | None:
    if petition.nature == Nature.ACCUSATION:
        return None  # an accuser's matter is never pooled with others (R22 Art. 30 ¶3)
    rule = collective_rule(matter_region(petition))
    ids = [m.petition_id for m in matches]
    nearby = list(
        Petition.objects.filter(
            pk__in=ids,
            received_at__gte=petition.received_at - rule.window,
            received_at__lte=petition.received_at + rule.window,
        )
        .exclude(nature=Nature.ACCUSATION)
        .exclude(status=Status.MERGED)
        .values_list("pk", flat=True)
    )
    members = [petition.pk, *nearby]
    people = _count_people(members)
    if people < rule.min_petitioners:
        return None
    now = timezone.now()
    existing = CollectiveMember.objects.filter(petition_id__in=members).select_related("group").first()
    group = existing.group if existing is not None else None
    if group is None:
        group = CollectiveGroup.objects.create(
            title=petition.title[:200],
            created_at=now,
            unit=petition.handling_unit,
            min_petitioners=rule.min_petitioners,
            window_days=rule.window.days,
        )
    already = set(CollectiveMember.objects.filter(petition_id__in=members).values_list("petition_id", flat=True))
    added = [pk for pk in members if pk not in already]
    CollectiveMember.objects.bulk_create([CollectiveMember(group=group, petition_id=pk, added_at=now) for pk in added])
    group.petitioners = _count_people(list(group.members.values_list("petition_id", flat=True)))
    group.save(update_fields=["petitioners"])
    Petition.objects.filter(pk__in=added).update(is_collective=True, updated_at=now)
    note = _(
        "%(people)d名信访人在%(days)d日内反映同一事项，识别为集体信访，已提示督查专员（《信访工作条例》第二十条）。"
    ) % {"people": group.petitioners, "days": rule.window.days}
    for other in Petition.objects.filter(pk__in=added).order_by("pk"):
        event_record(
            petition=other,
            actor=actor,
            action="collective_flag",
            changes={"is_collective": [False, True]},
            note=note,
            audit_data={"group": group.pk, "petitioners": group.petitioners},
        )
    petition.is_collective = True
    return group


# --- At registration ------------------------------------------------------------------------------


@dataclass
class Screening:
    """What registration found: similar earlier petitions, repeat links, the collective group."""

    matches: list[Match] = field(default_factory=list)
    links: list[MatterLink] = field(default_factory=list)
    group: CollectiveGroup | None = None


def petition_screen(*, petition: Petition) -> Screening:
    """Index a newly registered petition and check it against earlier ones (inside registration's
    transaction): the same petitioner on the same matter is linked as a repeat (R22 Art. 19 ¶3) or
    as a matter closed after re-review (Art. 36 ¶3); enough different people on the same matter
    within the policy's window make it a collective petition, which alerts the supervisors.

    The links and flags it writes are the system's finding, recorded as such (`actor` is the
    system, whoever registered); staff confirm them with the workflow's link/merge or undo them.
    """
    actor = Actor.system("intel")
    grams, keys, sketch = petition_index(petition=petition)
    if keys is None:
        return Screening()
    candidates = similar_candidates(keys, exclude=petition.pk, sketch=sketch, min_estimate=THRESHOLD - PREFILTER_MARGIN)
    matches = verify(grams, candidates)
    screening = Screening(matches=matches)
    if not matches:
        return screening
    by_id = {m.petition_id: m for m in matches}
    same = _same_petitioner(petition, list(by_id))
    if same:
        earlier_rows = Petition.objects.filter(pk__in=same)
        cases = {c.petition_id: c for c in Case.objects.filter(petition_id__in=same)}
        ordered = sorted(earlier_rows, key=lambda p: (-by_id[p.pk].score, p.pk))
        for earlier in ordered:
            kind = _kind_of(earlier, cases.get(earlier.pk))
            if kind is None:
                continue
            screening.links.append(
                _create_link(
                    actor=actor,
                    petition=petition,
                    earlier=earlier,
                    kind=kind,
                    score=by_id[earlier.pk].score,
                    automatic=True,
                )
            )
            if len(screening.links) >= MAX_AUTO_LINKS:
                break
    screening.group = _collective_check(actor=actor, petition=petition, matches=matches)
    return screening
