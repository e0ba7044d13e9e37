"""The integrating systems' REST API over real HTTP: keys, scopes, submission, status, supplements.

The cast: `hotline` (county A's 12345 hotline, every scope), `other` (county B's system, every
scope), `catalog_only` (may only read the catalogues).
"""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from conftest import VALID_ID
from minsheng.api.models import ApiKey
from minsheng.petitions.models import Attachment, Petition, PetitionEvent
from minsheng.workflow.states import Status

PETITIONS = "/api/v1/public/petitions"


def submission(external_id: str = "WO-20260301-0001", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": external_id,
        "channel": "hotline_12345",
        "nature": "grievance",
        "title": "小区门口占道经营油烟扰民",
        "request": "请求依法整治小区门口的占道经营。",
        "facts": "小区门口每晚有二十多家烧烤摊占道经营，油烟和噪音影响居民休息。",
        "category": "0105",
        "address": "芙蓉区五一大道1号门口",
        "petitioners": [
            {"name": "张三丰", "id_number": VALID_ID, "phone": "13800138000", "address": "芙蓉区五一大道1号"}
        ],
    }
    body.update(overrides)
    return body


def test_a_hotline_submits_a_petition_and_gets_its_number_and_query_code(http: Any, systems: Any) -> None:
    response = http.post(PETITIONS, json=submission(), headers=systems.hotline.headers)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["created"] is True
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", body["query_code"])
    petition = Petition.objects.get()
    assert body["petition"]["number"] == petition.number
    assert body["petition"]["external_id"] == "WO-20260301-0001"
    assert body["petition"]["status"] == "registered" and body["petition"]["is_closed"] is False
    assert body["petition"]["handling_unit"] == {"id": systems.org.units.a.pk, "name": "芙蓉区信访局"}
    assert body["petition"]["category"] == {"code": "0105", "name": "城市管理"}
    assert [e["action"] for e in body["petition"]["timeline"]] == ["register"]
    # registered by the system's unit, as received through the hotline, traceable to the system
    assert petition.registering_unit == systems.org.units.a
    assert petition.channel == "hotline_12345" and petition.registered_by is None
    assert (petition.source, petition.source_ref) == (f"api:{systems.hotline.client.pk}", "WO-20260301-0001")
    assert petition.petitioners.get().phone == "13800138000"


def test_personal_data_leaves_only_masked(http: Any, systems: Any) -> None:
    response = http.post(PETITIONS, json=submission(), headers=systems.hotline.headers)

    assert response.json()["petition"]["petitioners"] == [
        {"name": "张**", "phone": "138****8000", "id_number": "110105********0038"}
    ]
    for secret in (VALID_ID, "13800138000", "张三丰", '芙蓉区五一大道1号"'):
        assert secret not in response.text
    status = http.get(f"{PETITIONS}/WO-20260301-0001", headers=systems.hotline.headers)
    assert VALID_ID not in status.text and "13800138000" not in status.text and "张三丰" not in status.text


def test_the_same_external_id_again_creates_nothing_and_returns_the_first(http: Any, systems: Any) -> None:
    first = http.post(PETITIONS, json=submission(), headers=systems.hotline.headers).json()
    again = http.post(PETITIONS, json=submission(title="重发的标题"), headers=systems.hotline.headers)

    assert again.status_code == 200
    assert again.json()["created"] is False and again.json()["query_code"] is None
    assert again.json()["petition"]["number"] == first["petition"]["number"]
    assert Petition.objects.count() == 1 and Petition.objects.get().title == "小区门口占道经营油烟扰民"


def test_two_systems_may_use_the_same_id_for_different_matters(http: Any, systems: Any) -> None:
    a = http.post(PETITIONS, json=submission("0001"), headers=systems.hotline.headers)
    b = http.post(PETITIONS, json=submission("0001"), headers=systems.other.headers)

    assert a.status_code == b.status_code == 201
    assert a.json()["petition"]["number"] != b.json()["petition"]["number"]


def test_bad_input_answers_422_per_field_and_creates_nothing(http: Any, systems: Any) -> None:
    bad = submission(
        title="   ",
        category="9999",
        petitioners=[{"name": "李四", "phone": "12345", "id_number": "110105194912310039"}],
    )
    del bad["facts"]
    response = http.post(PETITIONS, json=bad, headers=systems.hotline.headers)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"] == {"facts": ["此项必填。"]}  # the schema answers first
    del bad["external_id"]
    bad["facts"] = "事实"
    response = http.post(PETITIONS, json={**bad, "external_id": "X-1"}, headers=systems.hotline.headers)
    errors = response.json()["errors"]
    assert response.status_code == 422
    assert errors["title"] == ["请填写标题，概括反映的问题。"]
    assert "9999" in errors["category"][0]
    assert errors["phone"][0].startswith("电话号码格式不正确")
    assert errors["id_number"] == ["身份证号码校验位不正确，请核对后重新输入。"]
    assert Petition.objects.count() == 0


def test_messages_follow_the_callers_language(http: Any, systems: Any) -> None:
    bad = submission(received_at="2026-03-01T09:30:00", persons_count=0)
    headers = {**systems.hotline.headers, "Accept-Language": "en"}
    response = http.post(PETITIONS, json=bad, headers=headers)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["received_at"] == ["The time must carry its UTC offset, e.g. 2026-03-01T09:30:00+08:00."]
    assert errors["persons_count"] == ["Must not be less than 1."]
    assert response.json()["message"] == "The input has errors; correct them as indicated."


def test_text_postgresql_cannot_store_and_far_offsets_are_handled(http: Any, systems: Any) -> None:
    nul = http.post(PETITIONS, json=submission(title="标题\u0000"), headers=systems.hotline.headers)
    far = http.get(PETITIONS, params={"changed_since": "7839-12-17T10:55:25-21:35"}, headers=systems.hotline.headers)

    assert nul.status_code == 422 and nul.json()["errors"] == {"title": ["不能包含空字符（NUL）。"]}
    assert far.status_code == 200 and far.json() == {"count": 0, "items": []}
    assert Petition.objects.count() == 0


def test_a_named_accusation_is_refused_to_protect_the_accuser(http: Any, systems: Any) -> None:
    named = http.post(PETITIONS, json=submission(nature="accusation"), headers=systems.hotline.headers)
    anonymous = http.post(
        PETITIONS, json=submission("A-2", nature="accusation", petitioners=[]), headers=systems.hotline.headers
    )

    assert named.status_code == 422 and "第三十条" in named.json()["errors"]["petitioners"][0]
    assert anonymous.status_code == 201
    assert Petition.objects.get().nature == "accusation" and Petition.objects.get().identity_incomplete


def test_attachments_are_decoded_checked_and_stored(http: Any, systems: Any) -> None:
    good = {"name": "说明.txt", "content_base64": base64.b64encode("补充说明".encode()).decode()}
    broken = {"name": "x.txt", "content_base64": "not base64!"}
    refused = http.post(PETITIONS, json=submission(attachments=[good, broken]), headers=systems.hotline.headers)
    accepted = http.post(PETITIONS, json=submission(attachments=[good]), headers=systems.hotline.headers)

    assert refused.status_code == 422
    assert refused.json()["errors"] == {"attachments.1.content_base64": ["文件内容不是有效的 Base64 编码。"]}
    assert accepted.status_code == 201
    assert Attachment.objects.get().original_name == "说明.txt"


def test_a_missing_wrong_or_revoked_key_is_401(http: Any, systems: Any) -> None:
    missing = http.get(PETITIONS)
    wrong = http.get(PETITIONS, headers={"X-API-Key": "msk_not-a-key"})
    ApiKey.objects.filter(client=systems.other.client).update(revoked_at="2026-01-01T00:00:00+08:00")
    revoked = http.get(PETITIONS, headers=systems.other.headers)

    for response in (missing, wrong, revoked):
        assert response.status_code == 401
        assert response.json() == {"code": "unauthenticated", "message": "缺少或无效的凭据。"}


def test_a_key_without_the_scope_is_403_and_names_it(http: Any, systems: Any) -> None:
    response = http.post(PETITIONS, json=submission(), headers=systems.catalog_only.headers)

    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    assert "petitions:create" in response.json()["message"]
    assert Petition.objects.count() == 0


def test_another_systems_petition_answers_exactly_like_a_missing_one(http: Any, systems: Any) -> None:
    http.post(PETITIONS, json=submission("MINE-1"), headers=systems.hotline.headers)

    foreign = http.get(f"{PETITIONS}/MINE-1", headers=systems.other.headers)
    missing = http.get(f"{PETITIONS}/NOPE-1", headers=systems.other.headers)
    supplement = http.post(f"{PETITIONS}/MINE-1/updates", json={"note": "补充"}, headers=systems.other.headers)

    assert foreign.status_code == missing.status_code == supplement.status_code == 404
    assert foreign.content == missing.content
    assert PetitionEvent.objects.filter(action="external_supplement").count() == 0


def test_the_status_of_any_matter_can_be_read_with_its_query_code(http: Any, systems: Any, register: Any) -> None:
    registration = register(systems.org.units.b, channel="letter")
    code = registration.query_code.lower().replace("-", " ")

    response = http.post("/api/v1/public/lookup", json={"query_code": code}, headers=systems.hotline.headers)
    wrong = http.post(
        "/api/v1/public/lookup", json={"query_code": "0000-0000-0000-0000"}, headers=systems.hotline.headers
    )

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == registration.petition.number and body["external_id"] is None
    assert body["channel"] == "letter" and body["handling_unit"]["name"] == "天心区信访局"
    assert body["petitioners"][0]["id_number"] == "110105********0038"
    assert wrong.status_code == 404


def test_a_supplement_is_recorded_on_the_timeline_with_its_files(http: Any, systems: Any) -> None:
    http.post(PETITIONS, json=submission(), headers=systems.hotline.headers)
    files = [{"name": "现场.txt", "content_base64": base64.b64encode(b"photo notes").decode()}]

    response = http.post(
        f"{PETITIONS}/WO-20260301-0001/updates",
        json={"note": "来电人补充：每晚十点后最严重。", "attachments": files},
        headers=systems.hotline.headers,
    )

    assert response.status_code == 201
    assert response.json()["attachments"] == 1
    event = PetitionEvent.objects.get(action="external_supplement")
    assert event.note == "来电人补充：每晚十点后最严重。" and event.actor_kind == "api"
    assert event.actor_label == "芙蓉区12345热线" and event.audit_seq is not None
    assert Attachment.objects.get().original_name == "现场.txt"
    timeline = http.get(f"{PETITIONS}/WO-20260301-0001", headers=systems.hotline.headers).json()["timeline"]
    assert [e["label"] for e in timeline] == ["登记", "对接系统补充材料"]


def test_an_empty_supplement_is_refused(http: Any, systems: Any) -> None:
    http.post(PETITIONS, json=submission(), headers=systems.hotline.headers)

    response = http.post(f"{PETITIONS}/WO-20260301-0001/updates", json={"note": "  "}, headers=systems.hotline.headers)

    assert response.status_code == 422 and response.json()["errors"] == {"note": ["请填写补充说明或附上材料。"]}


def test_a_closed_matter_takes_no_supplement(http: Any, systems: Any) -> None:
    http.post(PETITIONS, json=submission(), headers=systems.hotline.headers)
    # The workflow's services close matters; until they land, the state is set directly.
    Petition.objects.update(status=Status.CLOSED)

    response = http.post(
        f"{PETITIONS}/WO-20260301-0001/updates", json={"note": "补充"}, headers=systems.hotline.headers
    )

    assert response.status_code == 409
    assert response.json()["code"] == "petition_closed" and "已办结" in response.json()["message"]
    assert not PetitionEvent.objects.filter(action="external_supplement").exists()


def test_the_list_holds_only_the_systems_own_petitions(http: Any, systems: Any, register: Any) -> None:
    for n in range(3):
        http.post(PETITIONS, json=submission(f"H-{n}"), headers=systems.hotline.headers)
    http.post(PETITIONS, json=submission("O-1"), headers=systems.other.headers)
    register(systems.org.units.a)
    Petition.objects.filter(source_ref="H-0").update(status=Status.ACCEPTED)

    page = http.get(PETITIONS, params={"limit": 2}, headers=systems.hotline.headers).json()
    accepted = http.get(PETITIONS, params={"status": "accepted"}, headers=systems.hotline.headers).json()
    future = http.get(PETITIONS, params={"changed_since": "2100-01-01T00:00:00Z"}, headers=systems.hotline.headers)

    assert page["count"] == 3 and [p["external_id"] for p in page["items"]] == ["H-2", "H-1"]
    assert [p["external_id"] for p in accepted["items"]] == ["H-0"]
    assert future.json() == {"count": 0, "items": []}


def test_the_catalogues_list_categories_and_units(http: Any, systems: Any) -> None:
    categories = http.get("/api/v1/public/categories", headers=systems.catalog_only.headers)
    units = http.get("/api/v1/public/units", params={"region": "430103"}, headers=systems.catalog_only.headers)

    assert categories.status_code == 200
    by_code = {c["code"]: c for c in categories.json()}
    assert by_code["01"] == {
        "code": "01",
        "name": "城乡建设",
        "name_en": "Urban and rural construction",
        "parent_code": None,
        "level": 1,
        "is_leaf": False,
    }
    assert by_code["0105"]["parent_code"] == "01" and by_code["0105"]["is_leaf"] is True
    assert [u["name"] for u in units.json()] == ["天心区信访局", "天心区住房和城乡建设局"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/v1/public/petitions/x"), ("get", "/api/v1/public/units"), ("post", "/api/v1/public/lookup")],
)
def test_every_route_needs_a_key(http: Any, systems: Any, method: str, path: str) -> None:
    assert http.request(method.upper(), path, json={"query_code": "AAAA-BBBB"}).status_code == 401


def test_the_status_carries_the_current_deadline_with_its_derivation(http: Any, systems: Any) -> None:
    from django.utils import timezone

    from minsheng.core.actors import Actor
    from minsheng.workflow import services as wf
    from minsheng.workflow.models import Deadline

    http.post(PETITIONS, json=submission(), headers=systems.hotline.headers)
    petition = Petition.objects.get()
    received = timezone.localdate(petition.received_at).isoformat()
    triage = Deadline.objects.get(petition=petition, step="triage")

    body = http.get(f"{PETITIONS}/WO-20260301-0001", headers=systems.hotline.headers).json()
    deadline = body["next_deadline"]
    assert deadline["step"] == "triage" and deadline["due"] == triage.due.isoformat()
    assert deadline["due_at"] == f"{triage.due.isoformat()}T23:59:59+08:00"
    assert deadline["basis"].startswith(f"{triage.due.isoformat()} = 收到 {received} + 15日（R22 第二十二条）")
    assert deadline["unit"] == {"id": systems.org.units.a.pk, "name": "芙蓉区信访局"}
    english = http.get(
        f"{PETITIONS}/WO-20260301-0001", headers={**systems.hotline.headers, "Accept-Language": "en"}
    ).json()["next_deadline"]
    assert "R22 Art. 22" in english["basis"] and "15 days" in english["basis"]

    # Forwarded and accepted: now the 60 days of handling (R22 Art. 34), owed by the housing bureau.
    org = systems.org
    wf.case_forward(actor=Actor.staff(org.registrar_a), petition=petition, to_unit=org.units.housing_a)
    wf.case_accept(actor=Actor.staff(org.handler_a), petition=petition)
    deadline = http.get(f"{PETITIONS}/WO-20260301-0001", headers=systems.hotline.headers).json()["next_deadline"]
    assert deadline["step"] == "handle" and "+ 60日（R22 第三十四条）" in deadline["basis"]
    assert deadline["unit"]["name"] == "芙蓉区住房和城乡建设局"
