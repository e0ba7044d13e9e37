"""The REST API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs, offline).

Routers live beside this file, one per audience: `staff.py` for staff tokens, `public.py` for
integrating systems' API keys. Domain errors map to one error shape here:
`{"code": "...", "message": "...", "article": "...", "errors": {field: [messages]}}`.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from minsheng.api.errors import schema_errors
from minsheng.core.errors import Conflict, DomainError, NotAllowed, ValidationError
from minsheng.core.ratelimit import RateLimited

api = NinjaAPI(
    title="Minsheng 民声 API",
    version="1",
    description="Petitions, their status and deadlines, for staff tools and integrating systems.",
    urls_namespace="api",
    # The docs page uses the app's own copy of Swagger UI ("ninja" in INSTALLED_APPS); without a
    # validator URL it also never asks validator.swagger.io to draw its badge: fully offline.
    docs=Swagger(settings={"validatorUrl": None}),
)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra: object) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, "invalid", _("输入有误，请按提示修改。"), errors=errors)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, "invalid", _("输入有误，请按提示修改。"), errors=schema_errors(exc.errors))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # ninja's only 400: a body it cannot parse. Bad input, like any other: 422, one shape.
        message = _("请求体不是有效的 JSON。")
        return _error(request, 422, "invalid", _("输入有误，请按提示修改。"), errors={"__all__": [message]})
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(request, 429, "rate_limited", exc.message)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(NotAllowed)
def on_not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return _error(request, 403, exc.code, exc.message)


@api.exception_handler(Conflict)
def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return _error(request, 409, exc.code, exc.message, article=exc.article)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, 400, exc.code, exc.message, article=exc.article)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("未找到。"))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", _("缺少或无效的凭据。"))


@api.get("/health", auth=None, tags=["system"], summary="Liveness check")
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


api.add_router("/public/", "minsheng.api.public.router")  # integrating systems' API keys
api.add_router("/", "minsheng.api.staff.router")  # staff tokens: petitions, deadlines, workflow actions
