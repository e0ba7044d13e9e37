"""Schema errors in the user's language: pydantic's English messages become ours, field by field.

django-ninja reports bad input with pydantic's error list (`type`, `loc`, `ctx`); the API answers
422 with `{field: [messages]}` like every other input fault, so each type gets a translated
sentence that says what is wrong and what is expected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _


def _choices(ctx: dict[str, Any]) -> str:
    expected = str(ctx.get("expected", ""))
    return expected.replace("'", "").replace(" or ", ", ")


def schema_error_message(item: dict[str, Any]) -> str:
    kind = str(item.get("type", ""))
    ctx: dict[str, Any] = item.get("ctx") or {}
    if kind == "missing":
        return _("此项必填。")
    if kind == "string_too_long":
        return _("不能超过 %(n)s 个字符。") % {"n": ctx.get("max_length")}
    if kind == "too_long":
        return _("最多 %(n)s 项。") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("至少 %(n)s 个字符。") % {"n": ctx.get("min_length")}
    if kind == "too_short":
        return _("至少 %(n)s 项。") % {"n": ctx.get("min_length")}
    if kind == "string_pattern_mismatch":
        return _("格式不正确，应符合 %(pattern)s。") % {"pattern": ctx.get("pattern", "")}
    if kind in {"string_type", "string_unicode"}:
        return _("应为文本。")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("应为整数。")
    if kind in {"float_parsing", "float_type"}:
        return _("应为数字。")
    if kind in {"bool_parsing", "bool_type"}:
        return _("应为 true 或 false。")
    if kind == "greater_than_equal":
        return _("不能小于 %(n)s。") % {"n": ctx.get("ge")}
    if kind == "greater_than":
        return _("应大于 %(n)s。") % {"n": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("不能大于 %(n)s。") % {"n": ctx.get("le")}
    if kind == "less_than":
        return _("应小于 %(n)s。") % {"n": ctx.get("lt")}
    if kind in {"enum", "literal_error"}:
        return _("请从以下选项中选择：%(choices)s。") % {"choices": _choices(ctx)}
    if kind == "timezone_aware":
        return _("时间须带时区，如 2026-03-01T09:30:00+08:00。")
    if kind.startswith(("datetime_", "date_", "time_")):
        return _("时间格式不正确，请使用 ISO 8601 格式，如 2026-03-01T09:30:00+08:00。")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("应为列表。")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("应为对象。")
    if kind == "json_invalid":
        return _("请求体不是有效的 JSON。")
    if kind == "extra_forbidden":
        return _("不认识此字段。")
    if kind in {"value_error", "assertion_error"} and ctx.get("error") is not None:
        # Our own validators raise with a translated message; pydantic wraps it in ctx.
        return str(ctx["error"])
    return _("取值无效。")


def schema_error_field(loc: Iterable[Any]) -> str:
    """`("body", "payload", "petitioners", 0, "phone")` -> `petitioners.0.phone`.

    The first part says where the value came from (body, query, path); for a body the second is
    the handler's parameter name, which means nothing to the caller.
    """
    parts = [str(part) for part in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def schema_errors(items: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in items:
        errors.setdefault(schema_error_field(item.get("loc", ())), []).append(schema_error_message(item))
    return errors
