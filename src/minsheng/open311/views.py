"""The Open311 GeoReport v2 endpoint at /open311/v2/ (http://wiki.open311.org/GeoReport_v2).

Resources answer in XML or JSON by suffix; errors use the specification's list of
{code, description} with 404 for what does not exist, 403 for a missing or wrong api_key, 400 for
anything else that cannot be done (plus 405 for a wrong method and 429 over the intake limits).

Reading service requests needs an api_key with `petitions:read` and shows only the requests that
system submitted, although the specification lets a server answer without a key: a petition is
not public, and the law forbids spreading what petitioners tell us (R22 Art. 46; Zhejiang
Regulation Art. 43(4)). Services, definitions, discovery and tokens need no key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from minsheng.api.access import petition_for_query_code
from minsheng.api.auth import client_for_key, intake_check_address, intake_check_client
from minsheng.api.models import ApiClient, Scope
from minsheng.core.errors import ValidationError
from minsheng.core.ratelimit import RateLimited
from minsheng.open311.formats import FORMATS, Many, render, render_errors
from minsheng.open311.selectors import (
    DEFAULT_SPAN,
    RequestFilters,
    Service,
    service_for_code,
    service_list,
    service_request_of_client,
    service_requests,
    services_changed_at,
)
from minsheng.open311.services import Params, service_request_create
from minsheng.orgs.models import Region
from minsheng.petitions.models import Petition
from minsheng.workflow.deadlines import derivation
from minsheng.workflow.public import due_at, next_duty
from minsheng.workflow.states import TERMINAL

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions)
        self.status = status
        self.descriptions = list(descriptions)


def w3c(value: dt.datetime | None) -> str:
    """W3C date-time with the UTC offset, in the deployment's time zone: 2026-03-01T09:30:00+08:00."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _params(request: HttpRequest) -> Params:
    values: dict[str, list[str]] = {key: request.GET.getlist(key) for key in request.GET}
    if request.method == "POST":
        values |= {key: request.POST.getlist(key) for key in request.POST}
    return Params(values)


def endpoint(*methods: str) -> Callable[..., Callable[..., HttpResponse]]:
    """Format by suffix, allowed methods, intake limits, and errors in the specification's shape."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                return render_errors("xml", 404, [_("不支持的格式“%(fmt)s”：请用 .xml 或 .json。") % {"fmt": fmt[:20]}])
            if request.method not in methods:
                response = render_errors(
                    fmt, 405, [_("此资源只接受 %(methods)s 请求。") % {"methods": _("、").join(methods)}]
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                intake_check_address(request)
                params = _params(request)
                _refuse_unstorable(params, kwargs)
                return view(request, fmt, params, **kwargs)
            except RateLimited as exc:
                response = render_errors(fmt, 429, [exc.message])
                response["Retry-After"] = str(exc.retry_after)
                return response
            except Open311Error as exc:
                return render_errors(fmt, exc.status, exc.descriptions)
            except Http404:
                return render_errors(fmt, 404, [_("未找到该资源。")])

        return wrapper

    return decorate


def _storable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def _refuse_unstorable(params: Params, path: dict[str, Any]) -> None:
    """NUL (which PostgreSQL text cannot hold) or broken characters anywhere: 400, before any query."""
    bad = [name for name, values in params.values.items() if not all(_storable(v) for v in values)]
    bad += [name for name, value in path.items() if not _storable(str(value))]
    bad += [name for name in params.values if not _storable(name)]
    if bad:
        raise Open311Error(
            400,
            _("参数 %(names)s 含有空字符（NUL）或无效字符。")
            % {"names": ", ".join(n.encode("utf-8", "replace").decode() for n in bad)[:200]},
        )


def _client(request: HttpRequest, params: Params, scope: Scope, action: str) -> ApiClient:
    key = params.get("api_key") or request.headers.get("X-API-Key", "").strip()
    if not key:
        raise Open311Error(403, _("缺少 api_key，不能%(action)s。") % {"action": action})
    client = client_for_key(key)
    if client is None:
        raise Open311Error(403, _("api_key 无效，不能%(action)s。") % {"action": action})
    if scope not in client.scopes:
        raise Open311Error(
            403,
            _("该 api_key 未获授权“%(label)s”（%(scope)s），不能%(action)s。")
            % {"label": scope.label, "scope": scope.value, "action": action},
        )
    intake_check_client(client)
    return client


def _jurisdiction(params: Params) -> Region | None:
    """jurisdiction_id is optional; given, it is the GB/T 2260 code of the area (问题属地)."""
    value = params.get("jurisdiction_id")
    if not value:
        return None
    region = Region.objects.filter(code=value[:12]).first()
    if region is None:
        raise Open311Error(
            404,
            _("jurisdiction_id“%(id)s”不存在：请使用行政区划代码（GB/T 2260），如 430102。") % {"id": value[:40]},
        )
    return region


# --- discovery and services ----------------------------------------------------------------------


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str, params: Params) -> HttpResponse:
    changeset = w3c(services_changed_at())
    url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "xml"})).rsplit("/", 1)[0]
    document = {
        "changeset": changeset,
        "contact": _("接口问题请联系本系统管理员：%(site)s") % {"site": settings.SITE_URL},
        "key_service": _(
            "对接系统的 api_key 由管理员签发（minsheng api-client-create），每个系统一把，按需授予权限范围。"
            "查询服务列表、服务定义和 token 无需 api_key。"
        ),
        "endpoints": Many(
            "endpoint",
            [
                {
                    "specification": SPECIFICATION,
                    "url": url,
                    "changeset": changeset,
                    "type": "production" if settings.PRODUCTION else "test",
                    "formats": Many("format", ["text/xml", "application/json"]),
                }
            ],
        ),
    }
    return render(fmt, "discovery", document)


def _service_document(service: Service) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": bool(service.attributes),
        "type": "realtime",
        "keywords": service.keywords,
        "group": service.group,
    }


@endpoint("GET")
def services(request: HttpRequest, fmt: str, params: Params) -> HttpResponse:
    _jurisdiction(params)
    return render(fmt, "services", Many("service", [_service_document(s) for s in service_list()]))


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, params: Params, code: str) -> HttpResponse:
    _jurisdiction(params)
    service = service_for_code(code)
    if service is None:
        raise Open311Error(404, _("没有代码为“%(code)s”的服务（service_code）。") % {"code": code[:40]})
    attributes = []
    for attribute in service.attributes:
        item: dict[str, Any] = {
            "variable": attribute.variable,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": attribute.datatype_description,
            "order": attribute.order,
            "description": attribute.description,
        }
        if attribute.values:
            item["values"] = Many("value", [{"key": key, "name": name} for key, name in attribute.values])
        attributes.append(item)
    document = {"service_code": service.code, "attributes": Many("attribute", attributes)}
    return render(fmt, "service_definition", document)


# --- service requests ------------------------------------------------------------------------------


def _request_document(petition: Petition) -> dict[str, Any]:
    extra = getattr(petition, "open311", None)
    deadline = next_duty(getattr(petition, "open_deadlines", []))
    last_change = getattr(petition, "last_change", None)
    updated = max(petition.updated_at, last_change) if last_change else petition.updated_at
    return {
        "service_request_id": petition.number,
        "status": "closed" if petition.status in TERMINAL else "open",
        "status_notes": petition.get_status_display(),
        "service_name": petition.category.display_name if petition.category else "",
        "service_code": petition.category.code if petition.category else "",
        "description": petition.facts[:4000],
        "agency_responsible": petition.handling_unit.display_name,
        # The workflow's next statutory step toward the petitioner: its derivation and its end.
        "service_notice": f"{deadline.get_step_display()}：{derivation(deadline)}" if deadline else "",
        "requested_datetime": w3c(petition.received_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": w3c(due_at(deadline)) if deadline else "",
        "address": petition.address,
        "address_id": extra.address_id if extra else "",
        "zipcode": "",
        "lat": extra.lat if extra and extra.lat is not None else "",
        "long": extra.long if extra and extra.long is not None else "",
        "media_url": extra.media_url if extra else "",
    }


W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _datetime(params: Params, name: str) -> dt.datetime | None:
    value = params.get(name)
    if not value:
        return None
    # An unencoded "+08:00" in a query string arrives as " 08:00".
    value = re.sub(r" (\d{2}:?\d{2})$", r"+\1", value)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or (parsed.tzinfo is None and not W3C_DATE.match(value)):
        raise Open311Error(
            400,
            _("%(name)s 应为带时区的 W3C 日期时间，如 2010-01-01T00:00:00Z 或 2026-03-01T09:30:00+08:00。")
            % {"name": name},
        )
    try:
        # In UTC: PostgreSQL takes offsets of at most ±16 h, Python up to ±24 h.
        return (parsed if parsed.tzinfo else timezone.make_aware(parsed)).astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise Open311Error(400, _("%(name)s 超出可用的时间范围。") % {"name": name}) from None


def _list(params: Params, name: str) -> list[str]:
    return [item.strip() for value in params.values.get(name, []) for item in value.split(",") if item.strip()]


def _request_filters(params: Params) -> RequestFilters:
    filters = RequestFilters(
        service_request_ids=_list(params, "service_request_id"),
        service_codes=_list(params, "service_code"),
        start=_datetime(params, "start_date"),
        end=_datetime(params, "end_date"),
        statuses=_list(params, "status"),
        region=_jurisdiction(params),
    )
    problems = []
    wrong = [s for s in filters.statuses if s not in {"open", "closed"}]
    if wrong:
        problems.append(_("status 只能是 open 或 closed，不能是 %(values)s。") % {"values": ", ".join(wrong)[:80]})
    if filters.start and filters.end:
        if filters.start > filters.end:
            problems.append(_("start_date 不能晚于 end_date。"))
        elif filters.end - filters.start > DEFAULT_SPAN:
            problems.append(_("start_date 到 end_date 不能超过90天。"))
    if len(filters.service_request_ids) > 1000:
        problems.append(_("一次最多查询1000个 service_request_id。"))
    if problems:
        raise Open311Error(400, *problems)
    return filters


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str, params: Params) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt, params)
    client = _client(request, params, Scope.PETITIONS_READ, _("查询服务请求"))
    found = service_requests(client=client, filters=_request_filters(params))
    return render(fmt, "service_requests", Many("request", [_request_document(p) for p in found]))


def _request_create(request: HttpRequest, fmt: str, params: Params) -> HttpResponse:
    content_type = request.content_type or ""
    if content_type not in FORM_TYPES:
        raise Open311Error(
            400,
            _("请以 application/x-www-form-urlencoded 提交服务请求，而不是 %(type)s。")
            % {"type": content_type[:60] or _("（未注明类型）")},
        )
    client = _client(request, params, Scope.PETITIONS_CREATE, _("提交服务请求"))
    region = _jurisdiction(params)
    code = params.get("service_code")
    if not code:
        raise Open311Error(400, _("缺少 service_code：请从 services.%(fmt)s 中选择服务。") % {"fmt": fmt})
    service = service_for_code(code)
    if service is None:
        raise Open311Error(404, _("没有代码为“%(code)s”的服务（service_code）。") % {"code": code[:40]})
    try:
        registration, _extra = service_request_create(client=client, service=service, params=params, region=region)
    except ValidationError as exc:
        raise Open311Error(
            400, *[f"{name}: {message}" for name, messages in exc.message_dict.items() for message in messages]
        ) from None
    petition = registration.petition
    notice = _(
        "已登记为信访事项 %(number)s，由%(unit)s办理。查询码 %(code)s 只显示这一次，请转告提出人妥善保存："
        "凭它可在网上信访查询办理进度，也可作为 token 查询本请求。"
    ) % {"number": petition.number, "unit": petition.handling_unit.display_name, "code": registration.query_code}
    document = Many(
        "request",
        [
            {
                "service_request_id": petition.number,
                "service_notice": notice,
                "account_id": params.get("account_id")[:64],
            }
        ],
    )
    return render(fmt, "service_requests", document)


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, params: Params, request_id: str) -> HttpResponse:
    client = _client(request, params, Scope.PETITIONS_READ, _("查询服务请求"))
    _jurisdiction(params)
    petition = service_request_of_client(client=client, number=request_id)
    if petition is None:
        raise Open311Error(404, _("没有编号为“%(id)s”的服务请求。") % {"id": request_id[:40]})
    return render(fmt, "service_requests", Many("request", [_request_document(petition)]))


@endpoint("GET")
def token(request: HttpRequest, fmt: str, params: Params, token: str) -> HttpResponse:
    """Our requests are realtime, so POST returns no token; the query code (查询码) serves as one."""
    _jurisdiction(params)
    try:
        petition = petition_for_query_code(token)
    except Http404:
        raise Open311Error(404, _("没有这个 token（查询码）。")) from None
    document = Many("request", [{"service_request_id": petition.number, "token": token}])
    return render(fmt, "service_requests", document)


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "json" if path.endswith(".json") else "xml"
    return render_errors(fmt, 404, [_("没有这个资源：GeoReport v2 的资源见 discovery.xml。")])
