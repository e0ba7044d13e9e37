"""Validation and masking of Chinese personal identifiers."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Landline with area code (010-12345678, 0731-8888888), optional extension.
_LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalise_resident_id(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def resident_id_checksum_ok(value: str) -> bool:
    """GB 11643-1999: the 18th character is the ISO 7064 MOD 11-2 check of the first 17."""
    if not _ID_RE.match(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def validate_resident_id(value: str) -> str:
    value = normalise_resident_id(value)
    if not _ID_RE.match(value):
        raise ValidationError(_("身份证号码应为18位：17位数字加1位校验码（数字或X）。"), code="resident_id_format")
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("身份证号码中的出生日期 %(date)s 不存在。") % {"date": value[6:14]},
            code="resident_id_birthdate",
        ) from None
    if not resident_id_checksum_ok(value):
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新输入。"), code="resident_id_checksum")
    return value


def normalise_phone(value: str) -> str:
    value = value.strip().replace(" ", "").replace("（", "(").replace("）", ")")
    value = value.replace("(", "").replace(")", "-") if value.startswith("(") else value
    if value.startswith("+86"):
        value = value[3:].lstrip("-")
    return value


def validate_phone(value: str) -> str:
    value = normalise_phone(value)
    if _MOBILE_RE.match(value) or _LANDLINE_RE.match(value):
        return value
    raise ValidationError(
        _("电话号码格式不正确：手机号为以1开头的11位数字，固定电话请加区号（如 0731-88888888）。"),
        code="phone_format",
    )


def mask_resident_id(value: str) -> str:
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    if len(value) <= 4:
        return "*" * len(value)
    keep_head = 3 if len(value) >= 11 else 2
    return value[:keep_head] + "*" * (len(value) - keep_head - 4) + value[-4:]


def mask_text(value: str, keep: int = 6) -> str:
    """Addresses: keep the administrative prefix (district), hide the street and number."""
    if not value:
        return ""
    return value[:keep] + "****" if len(value) > keep else value[:1] + "****"


_ID_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def find_resident_ids(text: str) -> list[str]:
    """Every 18-character run in `text` that passes the GB 11643 checksum: used to scan database
    dumps and files for resident IDs that escaped encryption."""
    return [m for m in (match.upper() for match in _ID_IN_TEXT.findall(text)) if resident_id_checksum_ok(m)]
