"""GeoReport v2 service requests over a raw socket: POST, GET requests, GET a request, tokens.

The cast: `app` (a 311 app feeding county A, every scope), `other` (county B's system), `reader`
(a key that may only read the catalogue).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.db import connection

from minsheng.open311.models import ServiceRequest
from minsheng.petitions.models import Petition, PetitionEvent
from minsheng.workflow.states import Status

XML = "text/xml; charset=utf-8"
JSON = "application/json; charset=utf-8"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def form(key: str, **fields: str) -> str:
    """The specification's example request, with our values; override or drop (None) fields."""
    values: dict[str, str | None] = {
        "api_key": key,
        "jurisdiction_id": "430102",
        "service_code": "0106",
        "lat": "28.19635",
        "long": "112.97735",
        "address_string": "五一大道与蔡锷路交叉口",
        "email": "zhangsan@example.cn",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "三",
        "last_name": "张",
        "phone": "13800138000",
        "description": "路口的井盖缺失，已有行人摔伤。\n请尽快处理。",
        "media_url": "https://img.example.cn/2212426634_5ed477a060.jpg",
        "attribute[request]": "请尽快补装井盖并设置警示标志。",
    }
    values.update(fields)
    return urlencode({k: v for k, v in values.items() if v is not None})


def post(raw: Any, body: str, fmt: str = "xml", query: str = "", **headers: str) -> Any:
    target = f"/open311/v2/requests.{fmt}" + (f"?{query}" if query else "")
    return raw("POST", target, body, Content_Type=FORM, **headers)


def errors_of(response: Any, fmt: str) -> list[tuple[int, str]]:
    if fmt == "json":
        assert response.headers["content-type"] == JSON
        return [(e["code"], e["description"]) for e in response.json()]
    assert response.headers["content-type"] == XML
    root = response.xml()
    assert root.tag == "errors"
    return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]


# --- POST requests ----------------------------------------------------------------------------------


def test_a_service_request_becomes_a_petition_registered_by_the_clients_unit(raw: Any, systems: Any) -> None:
    response = post(raw, form(systems.app.key))

    assert response.status_line == "HTTP/1.1 200 OK"
    assert response.headers["content-type"] == XML
    root = response.xml()
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert [child.tag for child in request] == ["service_request_id", "service_notice", "account_id"]
    petition = Petition.objects.get()
    assert request.findtext("service_request_id") == petition.number
    assert request.findtext("account_id") == "123456"
    assert petition.number in request.findtext("service_notice")
    assert re.search(r"查询码 [0-9A-Z]{4}(-[0-9A-Z]{4}){3}", request.findtext("service_notice"))
    assert (petition.channel, petition.nature) == ("online", "grievance")  # sent from a device
    assert petition.category.code == "0106" and petition.region.code == "430102"
    assert petition.registering_unit == systems.org.units.a and petition.source == f"api:{systems.app.client.pk}"
    assert petition.title == "路口的井盖缺失，已有行人摔伤。"
    assert petition.request == "请尽快补装井盖并设置警示标志。"
    assert petition.facts == "路口的井盖缺失，已有行人摔伤。\n请尽快处理。"
    assert petition.address == "五一大道与蔡锷路交叉口"
    petitioner = petition.petitioners.get()
    assert (petitioner.name, petitioner.phone, petitioner.external_ref) == ("张三", "13800138000", "123456")
    extra = ServiceRequest.objects.get(petition=petition)
    assert (extra.lat, extra.long, extra.email) == (28.19635, 112.97735, "zhangsan@example.cn")
    assert extra.media_url == "https://img.example.cn/2212426634_5ed477a060.jpg"
    with connection.cursor() as cursor:  # personal data is encrypted at rest
        cursor.execute("SELECT email FROM open311_servicerequest")
        assert "zhangsan" not in cursor.fetchone()[0]
        cursor.execute("SELECT phone FROM petitions_petitioner")
        assert "13800138000" not in cursor.fetchone()[0]


def test_post_in_json_with_key_and_jurisdiction_in_the_query_string(raw: Any, systems: Any) -> None:
    body = form("", api_key=None, jurisdiction_id=None, device_id=None, **{"attribute[request]": None})
    query = urlencode({"api_key": systems.app.key, "jurisdiction_id": "430102"})

    response = post(raw, body, "json", query)

    assert response.status_line == "HTTP/1.1 200 OK"
    assert response.headers["content-type"] == JSON
    (created,) = response.json()
    assert list(created) == ["service_request_id", "service_notice", "account_id"]
    petition = Petition.objects.get(number=created["service_request_id"])
    assert petition.channel == "hotline_12345"  # no device: a call centre relaying a call


def test_a_broad_service_with_a_subcategory_files_under_the_subcategory(raw: Any, systems: Any) -> None:
    response = post(raw, form(systems.app.key, service_code="01", **{"attribute[subcategory]": "0103"}))

    assert response.status == 200
    assert Petition.objects.get().category.code == "0103"


def test_an_address_alone_is_a_location_and_no_attribute_is_required(raw: Any, systems: Any) -> None:
    body = form(systems.app.key, lat=None, long=None, **{"attribute[request]": None})

    response = post(raw, body)

    assert response.status == 200
    petition = Petition.objects.get()
    assert petition.request == petition.title  # the first sentence states the ask
    assert ServiceRequest.objects.get().lat is None


# (case, HTTP status, the error's description); {fmt} is the format asked for
FAULTS = [
    ("no key", 403, "缺少 api_key，不能提交服务请求。"),
    ("wrong key", 403, "api_key 无效，不能提交服务请求。"),
    ("no scope", 403, "该 api_key 未获授权“提交信访事项”（petitions:create），不能提交服务请求。"),
    ("no service_code", 400, "缺少 service_code：请从 services.{fmt} 中选择服务。"),
    ("unknown service_code", 404, "没有代码为“7777”的服务（service_code）。"),
    ("unknown jurisdiction", 404, "jurisdiction_id“990000”不存在：请使用行政区划代码（GB/T 2260），如 430102。"),
    (
        "no location",
        400,
        "lat: 须提供位置：lat 和 long，或 address_string，或 address_id（GeoReport v2 位置参数）。",
    ),
    ("lat only", 400, "lat: lat 和 long 须同时提供。"),
    ("lat out of range", 400, "lat: 应为 -90 到 90 之间的数（WGS84 十进制度）。"),
    ("no description", 400, "description: 请填写问题描述：反映的事实和理由（《信访工作条例》第十九条）。"),
    ("bad email", 400, "email: 电子邮箱格式不正确。"),
    (
        "bad phone",
        400,
        "phone: 电话号码格式不正确：手机号为以1开头的11位数字，固定电话请加区号（如 0731-88888888）。",
    ),
    ("unknown attribute", 400, "attribute[colour]: 服务 0106 没有属性“colour”，见其服务定义。"),
    ("bad subcategory", 400, "attribute[subcategory]: 请从服务定义列出的值中选一个。"),
]


def fault_body(case: str, systems: Any) -> str:
    key = systems.app.key
    return {
        "no key": form("", api_key=None),
        "wrong key": form("msk_wrong"),
        "no scope": form(systems.reader.key),
        "no service_code": form(key, service_code=None),
        "unknown service_code": form(key, service_code="7777"),
        "unknown jurisdiction": form(key, jurisdiction_id="990000"),
        "no location": form(key, lat=None, long=None, address_string=None),
        "lat only": form(key, long=None),
        "lat out of range": form(key, lat="98.5"),
        "no description": form(key, description=None),
        "bad email": form(key, email="not-an-address"),
        "bad phone": form(key, phone="12345"),
        "unknown attribute": form(key, **{"attribute[colour]": "red"}),
        "bad subcategory": form(key, service_code="01", **{"attribute[subcategory]": "0201"}),
    }[case]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_each_fault_gets_its_status_and_description_and_creates_nothing(raw: Any, systems: Any, fmt: str) -> None:
    reasons = {400: "Bad Request", 403: "Forbidden", 404: "Not Found"}
    for case, status, description in FAULTS:
        response = post(raw, fault_body(case, systems), fmt)

        assert response.status_line == f"HTTP/1.1 {status} {reasons[status]}", case
        assert errors_of(response, fmt) == [(status, description.format(fmt=fmt))], case
        assert Petition.objects.count() == 0 and ServiceRequest.objects.count() == 0, case


def test_every_fault_of_a_request_is_reported_at_once(raw: Any, systems: Any) -> None:
    response = post(raw, form(systems.app.key, long=None, description=None, email="x"), "json")

    assert response.status_line == "HTTP/1.1 400 Bad Request"
    assert [d.split(":")[0] for _, d in errors_of(response, "json")] == ["lat", "description", "email"]


def test_a_body_that_is_not_a_form_is_refused(raw: Any, systems: Any) -> None:
    response = raw(
        "POST",
        f"/open311/v2/requests.json?api_key={systems.app.key}",
        '{"service_code": "0106"}',
        Content_Type="application/json",
    )

    assert response.status_line == "HTTP/1.1 400 Bad Request"
    assert "application/x-www-form-urlencoded" in response.json()[0]["description"]
    assert Petition.objects.count() == 0


NUL_REQUESTS = [
    ("POST", "/open311/v2/requests.xml", "service_code=0106&description=%E4%BA%95%00"),
    ("GET", "/open311/v2/requests.xml?service_request_id=%00", ""),
    ("GET", "/open311/v2/requests/%00.xml", ""),
    ("GET", "/open311/v2/services.xml?jurisdiction_id=4301%00", ""),
]


def test_a_nul_character_anywhere_is_a_400_before_any_query(raw: Any, systems: Any) -> None:
    # PostgreSQL cannot hold NUL in text; it must never reach a query (500 on PostgreSQL, not SQLite).
    key = f"api_key={systems.app.key}"
    for method, target, body in NUL_REQUESTS:
        if method == "POST":
            response = raw(method, target, f"{key}&{body}", Content_Type=FORM)
        else:
            response = raw(method, f"{target}{'&' if '?' in target else '?'}{key}")

        assert response.status_line == "HTTP/1.1 400 Bad Request", target
        assert "NUL" in errors_of(response, "xml")[0][1], target
    assert Petition.objects.count() == 0


def test_a_date_far_from_utc_is_compared_in_utc(raw: Any, systems: Any, filed: Any) -> None:
    response = raw("GET", f"/open311/v2/requests.json?api_key={systems.app.key}&end_date=2025-12-01T00:00:00-21:35")

    assert response.status_line == "HTTP/1.1 200 OK"
    assert numbers_in(response, "json") == [filed["old"].number]


def test_errors_follow_the_callers_language(raw: Any, systems: Any) -> None:
    response = post(raw, form("msk_wrong"), "json", Accept_Language="en")

    assert response.json() == [{"code": 403, "description": "Invalid api_key: cannot submit a service request."}]


def test_text_that_xml_cannot_carry_is_dropped_from_the_document(raw: Any, systems: Any) -> None:
    post(raw, form(systems.app.key, description="井盖\x0b缺失"))

    response = raw("GET", f"/open311/v2/requests.xml?api_key={systems.app.key}")

    assert response.xml().findtext("request/description") == "井盖缺失"


def test_a_burst_beyond_the_keys_budget_gets_429_and_creates_nothing_more(raw: Any, transactional_org: Any) -> None:
    import time_machine

    from minsheng.api.tests.live import make_system

    small = make_system(transactional_org.units.a, "小程序", rate_limit=3)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, 1, tzinfo=dt.UTC), tick=True):
        responses = [post(raw, form(small.key, description=f"第{n}次反映")) for n in range(5)]

    assert [r.status for r in responses] == [200, 200, 200, 429, 429]
    assert responses[-1].status_line == "HTTP/1.1 429 Too Many Requests"
    assert "每 1 分钟最多 3 次" in responses[-1].xml().findtext("error/description")
    assert int(responses[-1].headers["retry-after"]) >= 1
    assert Petition.objects.count() == 3


# --- GET requests, GET a request ----------------------------------------------------------------------


@pytest.fixture
def filed(raw: Any, systems: Any) -> dict[str, Petition]:
    """Three requests of `app` (one closed, one a year old) and one of `other`."""
    numbers = {}
    for name, code in [("road", "0106"), ("wages", "0201"), ("closed", "0103")]:
        created = post(raw, form(systems.app.key, service_code=code, description=f"{name} 的问题"), "json").json()
        numbers[name] = created[0]["service_request_id"]
    old = post(raw, form(systems.app.key, description="一年前的问题"), "json").json()[0]["service_request_id"]
    theirs = post(raw, form(systems.other.key, jurisdiction_id="430103"), "json").json()[0]["service_request_id"]
    # The workflow's services close and age matters; until they land, the state is set directly.
    Petition.objects.filter(number=numbers["closed"]).update(status=Status.CLOSED)
    Petition.objects.filter(number=old).update(received_at=dt.datetime(2025, 11, 1, tzinfo=dt.UTC))
    found = {name: Petition.objects.get(number=number) for name, number in numbers.items()}
    return found | {"old": Petition.objects.get(number=old), "theirs": Petition.objects.get(number=theirs)}


def triage_due(petition: Petition) -> tuple[str, str]:
    from django.utils import timezone

    from minsheng.workflow.models import Deadline

    deadline = Deadline.objects.get(petition=petition, step="triage")
    return deadline.due.isoformat(), timezone.localdate(petition.received_at).isoformat()


def numbers_in(response: Any, fmt: str = "xml") -> list[str]:
    if fmt == "json":
        return [r["service_request_id"] for r in response.json()]
    return [r.findtext("service_request_id") for r in response.xml().findall("request")]


def test_get_requests_lists_the_systems_own_requests_of_the_last_90_days(raw: Any, systems: Any, filed: Any) -> None:
    response = raw("GET", f"/open311/v2/requests.xml?jurisdiction_id=430102&api_key={systems.app.key}")

    assert response.status_line == "HTTP/1.1 200 OK"
    assert response.headers["content-type"] == XML
    root = response.xml()
    assert root.tag == "service_requests"
    assert numbers_in(response) == [filed[n].number for n in ("closed", "wages", "road")]
    road = root.findall("request")[2]
    assert [child.tag for child in road] == REQUEST_FIELDS
    assert road.findtext("status") == "open" and road.findtext("status_notes") == "已登记待分流"
    assert (road.findtext("service_code"), road.findtext("service_name")) == ("0106", "市政设施")
    assert road.findtext("description") == "road 的问题"
    assert road.findtext("agency_responsible") == "芙蓉区信访局"
    assert W3C.match(road.findtext("requested_datetime")) and W3C.match(road.findtext("updated_datetime"))
    # The workflow's current deadline: triage within 15 days of receipt (R22 Art. 22), by 24:00.
    due, received = triage_due(filed["road"])
    assert road.findtext("expected_datetime") == f"{due}T23:59:59+08:00"
    assert road.findtext("service_notice").startswith(f"分流期限：{due} = 收到 {received} + 15日（R22 第二十二条）")
    assert (road.findtext("lat"), road.findtext("long")) == ("28.19635", "112.97735")
    assert road.findtext("address") == "五一大道与蔡锷路交叉口"
    assert road.findtext("media_url") == "https://img.example.cn/2212426634_5ed477a060.jpg"
    assert root.findall("request")[0].findtext("status") == "closed"


def test_get_requests_in_json_uses_numbers_booleans_and_nulls(raw: Any, systems: Any, filed: Any) -> None:
    response = raw("GET", f"/open311/v2/requests.json?api_key={systems.app.key}&status=open")

    assert response.status_line == "HTTP/1.1 200 OK"
    assert response.headers["content-type"] == JSON
    road = response.json()[-1]
    assert list(road) == REQUEST_FIELDS
    assert (road["lat"], road["long"]) == (28.19635, 112.97735)
    due, received = triage_due(filed["road"])
    assert road["zipcode"] is None and road["expected_datetime"] == f"{due}T23:59:59+08:00"
    assert road["service_notice"].startswith(f"分流期限：{due} = 收到 {received} + 15日（R22 第二十二条）")
    assert numbers_in(response, "json") == [filed["wages"].number, filed["road"].number]


# (query, which of `filed` it finds, newest first)
FILTERS = [
    ("status=closed", ["closed"]),
    ("status=open,closed", ["closed", "wages", "road"]),
    ("service_code=0201", ["wages"]),
    ("service_code=01", ["closed", "road"]),  # a broad service includes its subcategories
    ("service_code=0103,0201", ["closed", "wages"]),
    ("start_date=2025-10-15T00:00:00Z&end_date=2025-12-01T00:00:00%2B08:00", ["old"]),
    ("start_date=2025-10-15", ["old"]),  # the end defaults to 90 days later
    ("end_date=2025-12-01T00:00:00+08:00", ["old"]),  # an unencoded "+" arrives as a space
    ("service_request_id={old},{road},{theirs}&status=closed", ["road", "old"]),  # overrides the rest
    ("jurisdiction_id=430100", ["closed", "wages", "road"]),  # the city holds the county
    ("jurisdiction_id=430103", []),
]


def test_get_requests_filters(raw: Any, systems: Any, filed: Any) -> None:
    for query, expected in FILTERS:
        query = query.format(**{name: quote(p.number) for name, p in filed.items()})

        response = raw("GET", f"/open311/v2/requests.json?api_key={systems.app.key}&{query}")

        assert response.status_line == "HTTP/1.1 200 OK", (query, response.text)
        assert numbers_in(response, "json") == [filed[name].number for name in expected], query


BAD_FILTERS = [
    ("status=pending", "status 只能是 open 或 closed，不能是 pending。"),
    (
        "start_date=yesterday",
        "start_date 应为带时区的 W3C 日期时间，如 2010-01-01T00:00:00Z 或 2026-03-01T09:30:00+08:00。",
    ),
    (
        "end_date=2026-01-01T10:00:00",
        "end_date 应为带时区的 W3C 日期时间，如 2010-01-01T00:00:00Z 或 2026-03-01T09:30:00+08:00。",
    ),
    ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "start_date 到 end_date 不能超过90天。"),
    ("start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "start_date 不能晚于 end_date。"),
]


def test_get_requests_refuses_bad_filters_with_400(raw: Any, systems: Any) -> None:
    for query, description in BAD_FILTERS:
        response = raw("GET", f"/open311/v2/requests.xml?api_key={systems.app.key}&{query}")

        assert response.status_line == "HTTP/1.1 400 Bad Request", query
        assert errors_of(response, "xml") == [(400, description)], query


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_reading_requests_needs_a_key_with_the_read_scope(raw: Any, systems: Any, fmt: str) -> None:
    missing = raw("GET", f"/open311/v2/requests.{fmt}")
    reader = raw("GET", f"/open311/v2/requests.{fmt}?api_key={systems.reader.key}")

    assert missing.status_line == reader.status_line == "HTTP/1.1 403 Forbidden"
    assert errors_of(missing, fmt) == [(403, "缺少 api_key，不能查询服务请求。")]
    assert "petitions:read" in errors_of(reader, fmt)[0][1]


def test_get_requests_returns_at_most_1000(raw: Any, systems: Any) -> None:
    from minsheng.petitions.models import Petition as Model

    unit = systems.org.units.a
    now = dt.datetime.now(dt.UTC)
    Model.objects.bulk_create(
        Model(
            number=f"430102-2026-9{n:05d}",
            channel="hotline_12345",
            nature="grievance",
            title=f"第{n}件",
            request="请求",
            facts="事实",
            received_at=now - dt.timedelta(minutes=n),
            registered_at=now,
            registering_unit=unit,
            handling_unit=unit,
            query_code_hash=f"bulk-{n}",
            source=systems.app.client.petition_source,
        )
        for n in range(1001)
    )

    response = raw("GET", f"/open311/v2/requests.json?api_key={systems.app.key}")

    assert len(response.json()) == 1000
    assert response.json()[0]["service_request_id"] == "430102-2026-900000"  # newest first


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_get_a_request_by_its_id(raw: Any, systems: Any, filed: Any, fmt: str) -> None:
    number = filed["road"].number

    response = raw("GET", f"/open311/v2/requests/{number}.{fmt}?jurisdiction_id=430102&api_key={systems.app.key}")

    assert response.status_line == "HTTP/1.1 200 OK"
    assert numbers_in(response, fmt) == [number]
    if fmt == "xml":
        assert response.xml().tag == "service_requests"
        assert [c.tag for c in response.xml().find("request")] == REQUEST_FIELDS


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_another_systems_request_is_404_like_a_missing_one(raw: Any, systems: Any, filed: Any, fmt: str) -> None:
    theirs = raw("GET", f"/open311/v2/requests/{filed['theirs'].number}.{fmt}?api_key={systems.app.key}")
    missing = raw("GET", f"/open311/v2/requests/430102-2026-999999.{fmt}?api_key={systems.app.key}")
    no_key = raw("GET", f"/open311/v2/requests/{filed['road'].number}.{fmt}")

    assert theirs.status_line == missing.status_line == "HTTP/1.1 404 Not Found"
    assert errors_of(theirs, fmt)[0][0] == 404
    assert theirs.body.replace(filed["theirs"].number.encode(), b"ID") == missing.body.replace(
        b"430102-2026-999999", b"ID"
    )
    assert no_key.status_line == "HTTP/1.1 403 Forbidden"


def test_updated_datetime_follows_the_last_step(raw: Any, systems: Any, filed: Any) -> None:
    road = filed["road"]
    later = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    PetitionEvent.objects.filter(petition=road).update(at=later)

    response = raw("GET", f"/open311/v2/requests/{road.number}.json?api_key={systems.app.key}")

    assert response.json()[0]["updated_datetime"] == "2030-01-02T11:04:05+08:00"


# --- tokens ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_the_query_code_serves_as_a_token(raw: Any, systems: Any, register: Any, fmt: str) -> None:
    registration = register(systems.org.units.b)

    response = raw("GET", f"/open311/v2/tokens/{registration.query_code}.{fmt}?jurisdiction_id=430103")
    unknown = raw("GET", f"/open311/v2/tokens/0000-0000-0000-0000.{fmt}")

    assert response.status_line == "HTTP/1.1 200 OK"
    assert unknown.status_line == "HTTP/1.1 404 Not Found"
    assert errors_of(unknown, fmt) == [(404, "没有这个 token（查询码）。")]
    if fmt == "xml":
        root = response.xml()
        assert root.tag == "service_requests"
        assert [c.tag for c in root.find("request")] == ["service_request_id", "token"]
        assert root.findtext("request/service_request_id") == registration.petition.number
        assert root.findtext("request/token") == registration.query_code
    else:
        assert response.json() == [
            {"service_request_id": registration.petition.number, "token": registration.query_code}
        ]


def test_the_whole_flow_as_a_311_app_runs_it(raw: Any, systems: Any) -> None:
    """Submit, keep the receipt, find the request by it, and read its status."""
    created = post(raw, form(systems.app.key), "json").json()[0]
    code = re.search(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", created["service_notice"]).group(0)

    found = raw("GET", f"/open311/v2/tokens/{code}.json").json()[0]
    status = raw("GET", f"/open311/v2/requests/{found['service_request_id']}.json?api_key={systems.app.key}")

    assert found == {"service_request_id": created["service_request_id"], "token": code}
    assert status.json()[0]["status"] == "open"
    assert status.json()[0]["service_code"] == "0106"


def test_a_burst_from_one_address_gets_429_even_without_a_key(
    raw: Any, systems: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time_machine

    from minsheng.api import auth
    from minsheng.core.ratelimit import Limit

    monkeypatch.setattr(auth, "ADDRESS_LIMIT", Limit(scope="api:address", limit=3, window_seconds=60))
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, 1, tzinfo=dt.UTC), tick=True):
        reads = [raw("GET", "/open311/v2/services.json") for _ in range(2)]
        created = post(raw, form(systems.app.key))
        refused = post(raw, form(systems.other.key), "json")
        listing = raw("GET", "/open311/v2/services.json")

    assert [r.status for r in reads] == [200, 200] and created.status == 200
    assert refused.status_line == listing.status_line == "HTTP/1.1 429 Too Many Requests"
    assert refused.json()[0]["code"] == 429 and "每 1 分钟最多 3 次" in refused.json()[0]["description"]
    assert refused.headers["retry-after"].isdigit()
    assert Petition.objects.count() == 1


def test_a_wrong_method_on_requests_is_refused(raw: Any) -> None:
    response = raw("DELETE", "/open311/v2/requests.json")

    assert response.status_line == "HTTP/1.1 405 Method Not Allowed"
    assert response.headers["allow"] == "GET, POST"
