"""GeoReport v2 documents in XML and JSON, as the specification shows them.

A document is a root element name and a value: dicts become child elements in order, `Many`
becomes a list of same-named items. JSON follows the specification's "Spark convention": the root
element is dropped, `Many` becomes an array, empty values become null.
(http://wiki.open311.org/GeoReport_v2#Format_Support, /JSON_and_XML_Conversion)
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# Characters XML 1.0 cannot carry at all (control characters other than tab, newline, return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Many:
    """A list of `item` elements: `<services><service>…</service>…</services>`."""

    item: str
    items: list[Any]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Many):
        for item in value.items:
            _fill(ET.SubElement(element, value.item), item)
    elif isinstance(value, dict):
        for name, child in value.items():
            _fill(ET.SubElement(element, name), child)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> str:
    element = ET.Element(root)
    _fill(element, value)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode", short_empty_elements=False)


def _spark(value: Any) -> Any:
    if isinstance(value, Many):
        return [_spark(item) for item in value.items]
    if isinstance(value, dict):
        return {name: _spark(child) for name, child in value.items()}
    if value == "" or value is None:
        return None
    return value


def to_json(value: Any) -> str:
    return json.dumps(_spark(value), ensure_ascii=False)


def render(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    body = to_json(value) if fmt == "json" else to_xml(root, value)
    return HttpResponse(body.encode("utf-8"), status=status, content_type=FORMATS.get(fmt, FORMATS["xml"]))


def render_errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The specification's error list; the HTTP status is also each error's code."""
    errors = Many("error", [{"code": status, "description": d} for d in descriptions])
    return render(fmt if fmt in FORMATS else "xml", "errors", errors, status=status)
