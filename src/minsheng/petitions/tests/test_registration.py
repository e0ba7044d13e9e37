"""Registration of letters, visits, calls and proxy filings (R22 Art. 19-23)."""

from typing import Any

import pytest

from minsheng.core.actors import Actor
from minsheng.core.errors import NotAllowed, ValidationError
from minsheng.core.models import AuditRecord
from minsheng.petitions.models import Attachment, Petition, Petitioner, PetitionEvent, PetitionUnit
from minsheng.petitions.services import (
    PetitionerInput,
    ProxyInput,
    UploadInput,
    petition_register,
    petition_update,
    query_code_hash,
)
from minsheng.workflow.states import Status

pytestmark = pytest.mark.django_db
ROWS = (Petition, Petitioner, PetitionEvent, PetitionUnit, Attachment, AuditRecord)


def snapshot() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ROWS}


def refused(org: Any, **overrides: Any) -> dict[str, list[str]]:
    from conftest import petition_data

    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        petition_register(actor=Actor.staff(org.registrar_a), unit=org.units.a, data=petition_data(**overrides))
    assert snapshot() == before, "a refused registration must change nothing"
    return exc.value.message_dict


@pytest.mark.parametrize("channel", ["letter", "visit", "phone"])
def test_a_registrar_registers_a_letter_a_visit_and_a_call(org: Any, register: Any, channel: str) -> None:
    registration = register(org.units.a, Actor.staff(org.registrar_a), channel=channel)
    petition = registration.petition
    assert petition.channel == channel
    assert petition.status == Status.REGISTERED
    assert petition.registered_by == org.registrar_a
    assert petition.handling_unit == org.units.a
    assert petition.number.startswith("430102-")
    assert not petition.identity_incomplete
    assert Petition.objects.get(query_code_hash=query_code_hash(registration.query_code)) == petition
    event = petition.events.get()
    assert (event.action, event.actor, event.to_status) == ("register", org.registrar_a, Status.REGISTERED)
    assert AuditRecord.objects.filter(
        object_type="petition", object_id=str(petition.pk), action="petition.register"
    ).exists()


def test_a_proxy_files_for_a_petitioner_with_the_consent_on_record(org: Any, register: Any) -> None:
    petition = register(
        org.units.a,
        Actor.staff(org.registrar_a),
        channel="visit",
        proxy=ProxyInput(name="李四", relation="子女", consent="信访人书面委托书已附", phone="13900139000"),
    ).petition
    assert petition.is_proxy and petition.proxy_name == "李四"
    assert petition.proxy_consent == "信访人书面委托书已附"
    assert petition.proxy_phone == "13900139000"


def test_a_proxy_filing_without_the_petitioners_consent_is_refused(org: Any) -> None:
    errors = refused(org, proxy=ProxyInput(name="李四", relation="子女", consent=""))
    assert "须记录信访人的同意" in errors["proxy_consent"][0]


def test_a_wrong_resident_id_checksum_is_refused_precisely(org: Any) -> None:
    errors = refused(org, petitioners=[PetitionerInput(name="张三", id_number="110105194912310039", address="x")])
    assert errors == {"id_number": ["身份证号码校验位不正确，请核对后重新输入。"]}


def test_a_petition_without_a_request_is_refused_citing_article_19(org: Any) -> None:
    errors = refused(org, request="  ")
    assert errors["request"] == ["请填写信访请求：希望有关机关解决什么问题（《信访工作条例》第十九条）。"]


def test_a_malformed_phone_number_is_refused(org: Any) -> None:
    errors = refused(org, petitioners=[PetitionerInput(name="张三", phone="12345", address="x")])
    assert errors["phone"][0].startswith("电话号码格式不正确")


def test_all_faults_are_reported_together(org: Any) -> None:
    errors = refused(org, title="", facts="", petitioners=[PetitionerInput(phone="1")])
    assert {"title", "facts", "phone"} <= set(errors)


def test_more_than_five_representatives_are_refused_citing_article_20(org: Any) -> None:
    people = [PetitionerInput(name=f"代表{i}", address="x", is_representative=True) for i in range(6)]
    errors = refused(org, petitioners=people, persons_count=30, channel="visit")
    assert "代表人数不得超过5人" in errors["petitioners"][0]


def test_five_representatives_of_a_crowd_make_a_collective_petition(org: Any, register: Any) -> None:
    people = [PetitionerInput(name=f"代表{i}", address="x", is_representative=True) for i in range(5)]
    petition = register(org.units.a, channel="visit", petitioners=people, persons_count=30).petition
    assert petition.is_collective and petition.persons_count == 30
    assert petition.petitioners.filter(is_representative=True).count() == 5


@pytest.mark.parametrize(
    "person", [PetitionerInput(name="张三"), PetitionerInput(address="五一大道1号"), PetitionerInput()]
)
def test_a_missing_name_or_address_marks_that_no_acceptance_notice_is_owed(
    org: Any, register: Any, person: PetitionerInput
) -> None:
    assert register(org.units.a, petitioners=[person]).petition.identity_incomplete


def test_only_registrars_register(org: Any) -> None:
    from conftest import petition_data

    with pytest.raises(NotAllowed):
        petition_register(actor=Actor.staff(org.handler_a), unit=org.units.housing_a, data=petition_data())


def test_attachments_are_stored_with_their_checked_type(org: Any, register: Any) -> None:
    petition = register(org.units.a, attachments=[UploadInput(name="材料.txt", content="证明材料".encode())]).petition
    attachment = petition.attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("材料.txt", "text/plain")
    assert attachment.file.read() == "证明材料".encode()


def test_a_bad_attachment_refuses_the_whole_registration(org: Any) -> None:
    errors = refused(org, attachments=[UploadInput(name="virus.exe", content=b"MZ\x90\x00" + bytes(300))])
    assert "不支持文件“virus.exe”的类型" in errors["attachments"][0]


def test_case_numbers_count_up_per_region_and_year(org: Any, register: Any, aware: Any) -> None:
    first = register(org.units.a, received_at=aware(2026, 3, 1, 9)).petition
    second = register(org.units.a, received_at=aware(2026, 3, 2, 9)).petition
    assert first.number == "430102-2026-000001" and second.number == "430102-2026-000002"


def test_a_correction_keeps_before_and_after_on_the_timeline(org: Any, register: Any) -> None:
    petition = register(org.units.a).petition
    petition_update(actor=Actor.staff(org.registrar_a), petition=petition, title="新标题", persons_count=2)
    event = petition.events.get(action="update")
    assert event.changes == {"title": ["小区门口占道经营油烟扰民", "新标题"], "persons_count": [1, 2]}
    assert event.actor == org.registrar_a


def test_a_correction_that_breaks_a_rule_changes_nothing(org: Any, register: Any) -> None:
    petition = register(org.units.a).petition
    with pytest.raises(ValidationError):
        petition_update(actor=Actor.staff(org.registrar_a), petition=petition, request="")
    assert Petition.objects.get(pk=petition.pk).request == petition.request
    assert not petition.events.filter(action="update").exists()
