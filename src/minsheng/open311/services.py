"""POST requests: a GeoReport v2 service request becomes a petition.

The petition is a grievance (申诉求决) registered by the API client's unit through
petitions.services.petition_register; the reporter's name and phone go to the petitioner's fields
(encrypted), the category comes from service_code (or its `subcategory` attribute), the location
from address_string, and what the petition has no field for (lat/long, address_id, e-mail,
media_url) to open311.models.ServiceRequest, in the same transaction.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.api.models import ApiClient
from minsheng.api.services import client_actor
from minsheng.core.errors import ValidationError
from minsheng.open311.models import ServiceRequest
from minsheng.open311.selectors import Service
from minsheng.orgs.models import Region
from minsheng.petitions.models import Category, Channel, Nature
from minsheng.petitions.services import (
    PetitionerInput,
    PetitionInput,
    Registration,
    petition_register,
    validate_petition_input,
)

DESCRIPTION_MAX = 4000  # "free form text limited to 4,000 characters"
TITLE_MAX = 80
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
# Which of our petition fields a service error belongs to, by its GeoReport name.
FIELD_NAMES = {
    "title": "description",
    "facts": "description",
    "request": "attribute[request]",
    "address": "address_string",
    "phone": "phone",
    "petitioners": "first_name",
    "category": "service_code",
}


@dataclass(frozen=True)
class Params:
    """Form values by name (a POST body merged over the query string); repeated names keep all."""

    values: Mapping[str, list[str]]

    def get(self, name: str) -> str:
        found = self.values.get(name) or [""]
        return found[0].strip()


def _float(value: str, name: str, low: float, high: float, errors: dict[str, list[str]]) -> float | None:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not low <= number <= high:
        errors.setdefault(name, []).append(
            _("应为 %(low)s 到 %(high)s 之间的数（WGS84 十进制度）。") % {"low": low, "high": high}
        )
        return None
    return number


def _title(description: str) -> str:
    first = description.strip().splitlines()[0].strip() if description.strip() else ""
    return first if len(first) <= TITLE_MAX else first[: TITLE_MAX - 1] + "…"


def _attributes(params: Params, service: Service, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    known = {a.code: a for a in service.attributes}
    given: dict[str, list[str]] = {}
    for key, values in params.values.items():
        match = ATTRIBUTE_KEY.match(key)
        if match is None:
            continue
        code = match.group(1)
        if code not in known:
            errors.setdefault(key, []).append(
                _("服务 %(service)s 没有属性“%(code)s”，见其服务定义。") % {"service": service.code, "code": code}
            )
            continue
        given.setdefault(code, []).extend(v.strip() for v in values if v.strip())
    for code, values in given.items():
        attribute = known[code]
        if attribute.datatype == "singlevaluelist":
            allowed = {key for key, _name in attribute.values}
            if len(values) > 1 or any(v not in allowed for v in values):
                errors.setdefault(f"attribute[{code}]", []).append(_("请从服务定义列出的值中选一个。"))
    for attribute in service.attributes:
        if attribute.required and not given.get(attribute.code):
            errors.setdefault(f"attribute[{attribute.code}]", []).append(_("此项必填。"))
    return given


def _name(first: str, last: str) -> str:
    if not first or not last:
        return first or last
    # Chinese names are written family name first, without a space; others "given family".
    if all("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return last + first
    return f"{first} {last}"


def service_request_create(
    *, client: ApiClient, service: Service, params: Params, region: Region | None
) -> tuple[Registration, ServiceRequest]:
    """Register the request as a petition; raise ValidationError keyed by GeoReport field names."""
    errors: dict[str, list[str]] = {}
    lat_text, long_text = params.get("lat"), params.get("long")
    address_string, address_id = params.get("address_string"), params.get("address_id")
    lat = long = None
    if lat_text or long_text:
        if not (lat_text and long_text):
            errors.setdefault("lat", []).append(_("lat 和 long 须同时提供。"))
        else:
            lat = _float(lat_text, "lat", -90, 90, errors)
            long = _float(long_text, "long", -180, 180, errors)
    elif not address_string and not address_id:
        errors.setdefault("lat", []).append(
            _("须提供位置：lat 和 long，或 address_string，或 address_id（GeoReport v2 位置参数）。")
        )
    if len(address_string) > 200:
        errors.setdefault("address_string", []).append(_("不能超过200个字。"))
    if len(address_id) > 100:
        errors.setdefault("address_id", []).append(_("不能超过100个字符。"))
    description = params.get("description")
    if not description:
        errors.setdefault("description", []).append(_("请填写问题描述：反映的事实和理由（《信访工作条例》第十九条）。"))
    elif len(description) > DESCRIPTION_MAX:
        errors.setdefault("description", []).append(_("不能超过 %(n)d 个字。") % {"n": DESCRIPTION_MAX})
    email = params.get("email")
    if email:
        try:
            EmailValidator()(email)
        except DjangoValidationError:
            errors.setdefault("email", []).append(_("电子邮箱格式不正确。"))
    media_url = params.get("media_url")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > 1000:
                raise DjangoValidationError("too long")
        except DjangoValidationError:
            errors.setdefault("media_url", []).append(_("应为不超过1000个字符的 http 或 https 链接。"))
    account_id = params.get("account_id")
    if len(account_id) > 64:
        errors.setdefault("account_id", []).append(_("不能超过64个字符。"))
    attributes = _attributes(params, service, errors)
    category: Category = service.category
    if attributes.get("subcategory"):
        category = Category.objects.filter(code=attributes["subcategory"][0]).first() or category
    name = _name(params.get("first_name"), params.get("last_name"))
    data = PetitionInput(
        # A request that names the reporter's device comes from a citizen's app (online); one
        # without, from a call centre's system relaying a call (the 12345 hotline).
        channel=Channel.ONLINE if params.get("device_id") else Channel.HOTLINE_12345,
        nature=Nature.GRIEVANCE,
        title=_title(description),
        request=(attributes.get("request") or [""])[0] or _title(description),
        facts=description,
        category=category,
        region=region,
        address=address_string,
        petitioners=[PetitionerInput(name=name, phone=params.get("phone"), external_ref=account_id)],
        source=client.petition_source,
    )
    if errors:
        _raise(errors, data)
    try:
        with transaction.atomic():
            registration = petition_register(actor=client_actor(client), unit=client.unit, data=data)
            extra = ServiceRequest.objects.create(
                petition=registration.petition,
                lat=lat,
                long=long,
                address_id=address_id,
                email=email,
                media_url=media_url,
            )
    except ValidationError as exc:
        raise ValidationError(_renamed(exc)) from None
    return registration, extra


def _renamed(exc: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field_name, messages in exc.message_dict.items():
        errors.setdefault(FIELD_NAMES.get(field_name, field_name), []).extend(messages)
    return errors


def _raise(errors: dict[str, list[str]], data: PetitionInput) -> None:
    """Report every fault at once: ours, and those the registration service would find."""
    try:
        validate_petition_input(data, now=timezone.now())
    except ValidationError as exc:
        for name, messages in _renamed(exc).items():
            # A missing description already says what the title, facts and request lack.
            if "description" in errors and name in {"description", "attribute[request]"}:
                continue
            errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))
    raise ValidationError(errors)
