from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.orgs.models import Region, Unit, User, UserRole


def region_create(*, code: str, name: str, level: int, parent: Region | None = None, name_en: str = "") -> Region:
    return Region.objects.create(code=code, name=name, name_en=name_en, level=level, parent=parent)


@transaction.atomic
def unit_save(*, actor: Actor, unit: Unit) -> Unit:
    """Create or update a unit and keep the materialised paths of it and its subtree right."""
    is_new = unit.pk is None
    old_path = "" if is_new else Unit.objects.select_for_update().get(pk=unit.pk).path
    if not is_new and unit.parent is not None and unit.parent.path.startswith(old_path):
        raise ValueError("a unit cannot be moved under itself")
    unit.save()
    new_path = (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
    if new_path != old_path:
        Unit.objects.filter(pk=unit.pk).update(path=new_path)
        unit.path = new_path
        if old_path:
            for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
                Unit.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path) :])
    audit_append(
        actor=actor,
        action="unit.create" if is_new else "unit.update",
        object_type="unit",
        object_id=unit.pk,
        data={"parent": unit.parent_id, "kind": unit.kind},
    )
    return unit


def unit_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    region: Region,
    parent: Unit | None = None,
    sector: str = Unit.Sector.GENERAL,
    name_en: str = "",
) -> Unit:
    return unit_save(
        actor=actor,
        unit=Unit(name=name, name_en=name_en, kind=kind, sector=sector, region=region, parent=parent),
    )


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    full_name: str,
    unit: Unit | None,
    roles: Iterable[str],
    email: str = "",
) -> User:
    user = User(username=username, full_name=full_name, unit=unit, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user_set_roles(actor=actor, user=user, roles=roles)
    return user


@transaction.atomic
def user_set_roles(*, actor: Actor, user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    current = set(user.roles.values_list("role", flat=True))
    UserRole.objects.filter(user=user, role__in=current - wanted).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(wanted - current)])
    if hasattr(user, "_role_codes"):
        del user._role_codes
    audit_append(
        actor=actor, action="user.roles", object_type="user", object_id=user.pk, data={"roles": sorted(wanted)}
    )
