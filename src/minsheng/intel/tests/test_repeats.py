"""Repeat petitions: the same petitioner on the same matter (R22 Art. 19 ¶3, Art. 36 ¶3)."""

from __future__ import annotations

from typing import Any

import pytest

from minsheng.core.actors import Actor
from minsheng.core.errors import Conflict, NotAllowed, ValidationError
from minsheng.core.models import AuditRecord
from minsheng.intel.models import LinkKind, MatterLink
from minsheng.intel.services import matter_link, matter_unlink
from minsheng.petitions.services import PetitionerInput
from minsheng.workflow import services as wf

from .conftest import person

pytestmark = pytest.mark.django_db


def _register_again(org: Any, register: Any, unit: Any = None, **overrides: Any) -> Any:
    return register(unit or org.units.city, Actor.staff(org.city_registrar), **overrides)


def test_the_same_petitioner_on_a_matter_in_handling_is_flagged_a_repeat(flow: Any, org: Any, register: Any) -> None:
    earlier = flow.accepted()
    registration = _register_again(org, register)  # a higher body receives the same matter
    [link] = registration.screening.links
    assert (link.earlier_id, link.kind, link.automatic) == (earlier.pk, LinkKind.REPEAT, True)
    assert link.score == pytest.approx(1.0)
    event = registration.petition.events.get(action="matter_link")
    assert "第十九条第三款" in event.note and event.changes == {"earlier": [None, earlier.number]}
    audit = AuditRecord.objects.get(seq=event.audit_seq)
    assert audit.action == "petition.matter_link" and audit.data["earlier"] == earlier.pk


def test_the_same_matter_closed_after_re_review_is_flagged_not_to_be_accepted(
    flow: Any, org: Any, register: Any
) -> None:
    earlier = flow.closed_after_rereview()
    registration = _register_again(org, register)
    [link] = registration.screening.links
    assert (link.earlier_id, link.kind) == (earlier.pk, LinkKind.CLOSED_MATTER)
    assert "第三十六条第三款" in registration.petition.events.get(action="matter_link").note


def test_the_same_petitioner_is_recognised_by_phone_alone(flow: Any, org: Any, register: Any) -> None:
    earlier = flow.accepted()
    registration = _register_again(org, register, petitioners=[PetitionerInput(name="张三丰", phone="13800138000")])
    assert [link.earlier_id for link in registration.screening.links] == [earlier.pk]


def test_another_petitioner_on_the_same_matter_is_similar_but_no_repeat(flow: Any, org: Any, register: Any) -> None:
    earlier = flow.accepted()
    registration = _register_again(org, register, petitioners=[person(1)])
    assert registration.screening.links == []
    assert [m.petition_id for m in registration.screening.matches] == [earlier.pk]


def test_a_matter_that_ended_without_re_review_is_no_repeat(flow: Any, org: Any, register: Any) -> None:
    earlier = flow.registered()
    wf.case_withdraw(actor=Actor.staff(org.registrar_a), petition=earlier, reason="信访人撤回。")
    assert _register_again(org, register).screening.links == []


def test_a_different_matter_of_the_same_petitioner_is_no_repeat(flow: Any, org: Any, register: Any) -> None:
    flow.accepted()
    registration = _register_again(
        org,
        register,
        title="咨询水泥路到户政策",
        request="请求答复。",
        facts="本人系七里组村民，想了解自来水到户的政策。",
    )
    assert registration.screening.links == [] and registration.screening.matches == []


def test_a_link_is_undone_with_a_reason_and_can_be_made_again(flow: Any, org: Any, register: Any) -> None:
    earlier = flow.accepted()
    registration = _register_again(org, register)
    [link] = registration.screening.links
    actor = Actor.staff(org.city_registrar)
    with pytest.raises(ValidationError):
        matter_unlink(actor=actor, link=link, reason=" ")
    assert MatterLink.objects.get(pk=link.pk).unlinked_at is None

    undone = matter_unlink(actor=actor, link=link, reason="信访人反映的是另一处摊点。")
    assert undone.unlinked_by == org.city_registrar and undone.unlink_reason == "信访人反映的是另一处摊点。"
    event = registration.petition.events.get(action="matter_unlink")
    assert AuditRecord.objects.get(seq=event.audit_seq).data["link"] == link.pk
    with pytest.raises(Conflict):
        matter_unlink(actor=actor, link=link, reason="再次解除。")

    again = matter_link(actor=actor, petition=registration.petition, earlier=earlier, score=0.9)
    assert again.kind == LinkKind.REPEAT and not again.automatic
    assert MatterLink.objects.filter(petition=registration.petition).count() == 2  # history kept
    with pytest.raises(ValidationError):
        matter_link(actor=actor, petition=registration.petition, earlier=earlier)


def test_only_staff_who_register_or_handle_may_link(flow: Any, org: Any, register: Any) -> None:
    flow.accepted()
    [link] = _register_again(org, register).screening.links
    with pytest.raises(NotAllowed):
        matter_unlink(actor=Actor.staff(org.analyst), link=link, reason="理由")
