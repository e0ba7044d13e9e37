"""R22 Art. 30 ¶3, Art. 46(5), measured: unique markers are sealed in an accusation's identity
fields, and every page, API response, export and notification reachable by the accused unit's
staff and by their superiors is crawled. No identity marker appears for anyone; for the accused
unit not even the accusation's content does.

The crawler (crawler.py) finds routes by itself, so routes added by later branches are crawled too.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from minsheng.accounts.testing import sign_in_client
from minsheng.accusations.models import Accusation, IdentityAccessRequest
from minsheng.accusations.services import (
    AccusationInput,
    ReporterInput,
    accusation_ask,
    accusation_file,
    accusation_register,
    accusation_reply,
    accused_unit_add,
    identity_access_decide,
    identity_access_request,
)
from minsheng.accusations.tests.crawler import Crawl, crawl
from minsheng.api.auth import api_client_create, staff_token_create
from minsheng.core.actors import Actor
from minsheng.core.validators import mask_phone, mask_resident_id
from minsheng.orgs.models import Unit, User
from minsheng.orgs.roles import Role
from minsheng.orgs.services import unit_create, user_create
from minsheng.petitions.models import PetitionUnit
from minsheng.petitions.services import PetitionerInput, PetitionInput, UploadInput
from minsheng.workflow import services as wf
from minsheng.workflow.models import Decision
from minsheng.workflow.notify import MemoryBackend

pytestmark = pytest.mark.django_db

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def unique_resident_id() -> str:
    body = f"110105{1950 + secrets.randbelow(50)}{1 + secrets.randbelow(12):02d}{1 + secrets.randbelow(28):02d}"
    body += f"{secrets.randbelow(1000):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


class Seeded:
    def __init__(self, org: Any, section: Unit) -> None:
        def mark(text: str) -> str:  # each marker its own random tag: no marker contains another
            return text.format(secrets.token_hex(4).upper())

        self.identity = {
            "name": mark("甲{}"),
            "id_number": unique_resident_id(),
            "phone": f"1{secrets.choice('3456789')}{secrets.randbelow(10**9):09d}",
            "address": mark("标记路{}号"),
            "contact": mark("m-{}@example.org").lower(),
        }
        self.content = {
            "title": mark("检举标题{}"),
            "facts": mark("事实{}：审批窗口索要好处费。"),
            "attachment": mark("附件{}"),
            "accused_name": mark("乙{}"),
            "reporter_message": mark("留言{}"),
            "staff_question": mark("提问{}"),
            "request_reason": mark("理由{}：需要核实收据原件，留言两周无回复。"),
        }
        self.accusation = accusation_file(
            data=AccusationInput(
                title=self.content["title"],
                request="请求依法调查处理。",
                facts=self.content["facts"],
                region=org.regions.a,
                anonymous=False,
                reporter=ReporterInput(**self.identity),
                accused_name=self.content["accused_name"],
                accused_position="科长",
                accused_units=[org.units.housing_a],
                attachments=[UploadInput(name="证据.txt", content=self.content["attachment"].encode())],
            ),
            declared_truthful=True,
        ).accusation
        petition = self.accusation.petition
        # The worst case: the matter was routed into the accused unit anyway (before the workflow
        # calls may_route_to): it must stay invisible there all the same.
        PetitionUnit.objects.create(petition=petition, unit=org.units.housing_a, role=PetitionUnit.Role.HANDLING)
        accusation_reply(accusation=self.accusation, body=self.content["reporter_message"])
        accusation_ask(
            actor=Actor.staff(org.registrar_a), accusation=self.accusation, body=self.content["staff_question"]
        )
        identity_access_request(
            actor=Actor.staff(org.reviewer_a), accusation=self.accusation, reason=self.content["request_reason"]
        )
        # An ordinary petition the accused unit does handle: proof the crawl reaches object pages.
        self.ordinary = petition_for(org, section)
        # A second accuser came to the county bureau with a letter; the registrar took down who
        # they are. Registered, routed past the accused, answered in writing (a PDF document).
        self.letter_identity = {
            "name": mark("丙{}"),
            "id_number": unique_resident_id(),
            "phone": f"1{secrets.choice('3456789')}{secrets.randbelow(10**9):09d}",
            "address": mark("来信路{}号"),
        }
        self.content["letter_title"] = mark("来信检举{}")
        self.content["reply_opinion"] = mark("答复{}：已移交纪检监察机关依规处理。")
        registrar = Actor.staff(org.registrar_a)
        self.letter = accusation_register(
            actor=registrar,
            unit=org.units.a,
            data=PetitionInput(
                channel="letter",
                nature="accusation",
                title=self.content["letter_title"],
                request="请求查处。",
                facts="审批科工作人员收受好处费。",
                petitioners=[PetitionerInput(**self.letter_identity)],
            ),
        ).accusation
        accused_unit_add(actor=registrar, accusation=self.letter, unit=org.units.housing_a)
        letter = self.letter.petition
        wf.case_forward(actor=registrar, petition=letter, to_unit=org.units.hr_a)
        wf.case_accept(actor=Actor.staff(org.handler_hr_a), petition=letter)
        wf.case_reply(
            actor=Actor.staff(org.handler_hr_a),
            petition=letter,
            outcome="feedback",
            opinion=self.content["reply_opinion"],
        )
        self.letter_document = Decision.objects.get(case__petition=letter)

    def identity_markers(self) -> list[str]:
        values = [*self.identity.values(), *self.letter_identity.values()]
        phones = [self.identity["phone"], self.letter_identity["phone"]]
        ids = [self.identity["id_number"], self.letter_identity["id_number"]]
        return [*values, *map(mask_phone, phones), *map(mask_resident_id, ids)]

    def content_markers(self) -> list[str]:
        return [*self.content.values(), self.accusation.petition.number, self.letter.petition.number]


def petition_for(org: Any, section: Unit) -> Any:
    from conftest import petition_data
    from minsheng.petitions.services import petition_register

    petition = petition_register(
        actor=Actor.system("test"),
        unit=org.units.a,
        data=petition_data(title="普通事项：路灯不亮", attachments=[UploadInput(name="照片说明.txt", content=b"lamp")]),
    ).petition
    PetitionUnit.objects.create(petition=petition, unit=section, role=PetitionUnit.Role.HANDLING)
    return petition


@pytest.fixture
def seeded(org: Any, settings: Any) -> Iterator[Seeded]:
    settings.MINSHENG_NOTICE_BACKEND = "minsheng.workflow.notify.MemoryBackend"
    MemoryBackend.outbox.clear()
    # Someone inside the accused unit, below it in the tree.
    section = unit_create(
        actor=Actor.system("test"),
        name="芙蓉区住建局审批科",
        kind=Unit.Kind.DEPARTMENT,
        region=org.regions.a,
        parent=org.units.housing_a,
    )
    user_create(
        actor=Actor.system("test"),
        username="section_clerk",
        password=None,
        full_name="审批科",
        unit=section,
        roles=[Role.HANDLER, Role.REGISTRAR],
    )
    org.admin.is_staff = org.admin.is_superuser = True
    org.admin.save()
    yield Seeded(org, section)
    MemoryBackend.outbox.clear()


ACCUSED = ["handler_a", "unit_head_a", "section_clerk"]
SUPERIORS = [
    "registrar_a",
    "reviewer_a",
    "city_registrar",
    "city_reviewer",
    "supervisor",
    "leader",
    "analyst",
    "custodian",
    "admin",
]


def crawl_as(username: str, markers: list[str]) -> Crawl:
    user = User.objects.get(username=username)
    _token, secret = staff_token_create(actor=Actor.system("test"), user=user, name="crawl")
    client = sign_in_client(Client(), user)

    def relogin(c: Client) -> None:
        if "_auth_user_id" not in c.session:
            sign_in_client(c, user)

    return crawl(
        client,
        markers,
        extra={"HTTP_AUTHORIZATION": f"Bearer {secret}"},
        start=["/", "/workbench/", "/workbench/accusations/", "/workbench/suggestions/"],
        relogin=relogin,
    )


def notifications() -> list[str]:
    """Every message to anyone: the notices the cases owe (delivered now, through the one backend,
    as the worker would after commit), e-mails, and the texts in the memory outbox."""
    from minsheng.workflow.models import Notice, NoticeStatus
    from minsheng.workflow.notices import notice_deliver

    for notice_id in Notice.objects.filter(status=NoticeStatus.QUEUED).values_list("pk", flat=True):
        notice_deliver(notice_id)
    # The sealed accusations owe no notice to a petition that names no one; their cases still
    # record the notices (not owed), whose texts are read here with the rest.
    assert Notice.objects.exists(), "no notice at all: the check would be vacuous"
    texts = [f"{m.subject} {m.body} {m.to}" for m in mail.outbox]
    texts += [f"{n.body}" for n in Notice.objects.all()]
    return texts + [f"{s.phone} {s.email} {s.subject} {s.body}" for s in MemoryBackend.outbox]


@pytest.mark.parametrize("username", ACCUSED)
def test_the_accused_units_staff_reach_nothing_of_the_accusation(seeded: Seeded, username: str) -> None:
    result = crawl_as(username, seeded.identity_markers() + seeded.content_markers())
    assert result.leaks == []
    assert result.unreadable == []
    # not vacuous: the crawl reached this unit's own case and attachment pages
    assert result.ok(f"/workbench/petitions/{seeded.ordinary.pk}/")
    assert any(key.startswith("GET /workbench/attachments/") and code == 200 for key, code in result.fetched.items())
    assert not any(n in text for text in notifications() for n in seeded.identity_markers())


@pytest.mark.parametrize("username", SUPERIORS)
def test_superiors_of_the_accused_never_see_who_accused(seeded: Seeded, username: str) -> None:
    result = crawl_as(username, seeded.identity_markers())
    assert result.leaks == []
    assert result.unreadable == []
    assert len(result.fetched) > 100
    assert not any(n in text for text in notifications() for n in seeded.identity_markers())


def test_the_superiors_do_reach_the_accusation_so_the_crawl_could_fail(seeded: Seeded) -> None:
    result = crawl_as("registrar_a", seeded.content_markers())
    petition = seeded.accusation.petition
    assert result.ok(f"/workbench/accusations/{petition.pk}/") and result.ok(f"/workbench/petitions/{petition.pk}/")
    shown = " ".join(result.leaks)
    assert seeded.content["title"] in shown and seeded.content["reporter_message"] in shown
    assert seeded.content["attachment"] in shown  # the evidence file was downloaded and read
    # The written answer was fetched as a PDF and its text read (pypdf): the crawl reads PDFs.
    document = f"GET /workbench/decisions/{seeded.letter_document.pk}.pdf"
    assert any(leak.startswith(document) and seeded.content["reply_opinion"] in leak for leak in result.leaks)
    assert result.unreadable == []


def test_a_granted_view_shows_the_identity_so_the_markers_are_detectable(seeded: Seeded, org: Any) -> None:
    request = IdentityAccessRequest.objects.get(requested_by=org.reviewer_a)
    identity_access_decide(actor=Actor.staff(org.custodian), request=request, grant=True)
    result = crawl_as("reviewer_a", seeded.identity_markers())
    reveal = f"POST /workbench/accusations/{seeded.accusation.pk}/identity/"
    assert result.fetched[reveal] == 200
    assert {leak.split(" (")[0] for leak in result.leaks} == {reveal}
    assert Accusation.objects.get(pk=seeded.accusation.pk).reporter_name == seeded.identity["name"]


def test_an_integrating_system_of_the_accused_unit_reaches_nothing(seeded: Seeded, org: Any) -> None:
    from minsheng.api.models import Scope

    _client, key = api_client_create(
        actor=Actor.system("test"), name="住建局业务系统", unit=org.units.housing_a, scopes=Scope.values
    )
    result = crawl(
        Client(),
        seeded.identity_markers() + seeded.content_markers(),
        extra={"HTTP_X_API_KEY": key, "QUERY_STRING": f"api_key={key}"},
        start=["/api/v1/", "/open311/v2/"],
    )
    assert result.leaks == [] and result.unreadable == []
    assert result.ok("/api/v1/health")


def test_the_public_reaches_nothing_without_the_receipt(seeded: Seeded) -> None:
    result = crawl(Client(), seeded.identity_markers() + seeded.content_markers())
    assert result.leaks == [] and result.unreadable == []
    assert result.ok("/") and result.ok("/accuse/follow/")
