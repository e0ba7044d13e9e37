"""GeoReport v2 discovery, service list and service definitions, spoken over a raw socket.

Each test sends the request as the specification's examples show it and checks the status line,
the content type and the document: root element, element names and order, JSON by the Spark
convention (root dropped, lists as arrays, empty as null).
"""

from __future__ import annotations

from typing import Any

import pytest

from minsheng.petitions.models import Category

XML = "text/xml; charset=utf-8"
JSON = "application/json; charset=utf-8"
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]


def children(element: Any) -> list[str]:
    return [child.tag for child in element]


def test_discovery_in_xml(raw: Any) -> None:
    response = raw("GET", "/open311/v2/discovery.xml")

    assert response.status_line == "HTTP/1.1 200 OK"
    assert response.headers["content-type"] == XML
    root = response.xml()
    assert root.tag == "discovery"
    assert children(root) == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert children(endpoint) == ["specification", "url", "changeset", "type", "formats"]
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url").endswith("/open311/v2")
    assert endpoint.findtext("type") == "test"  # not MINSHENG_ENV=production
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    assert root.findtext("changeset") == endpoint.findtext("changeset")
    assert root.findtext("changeset").endswith("+08:00")


def test_discovery_in_json(raw: Any) -> None:
    response = raw("GET", "/open311/v2/discovery.json")

    assert response.status_line == "HTTP/1.1 200 OK"
    assert response.headers["content-type"] == JSON
    document = response.json()
    assert list(document) == ["changeset", "contact", "key_service", "endpoints"]
    assert document["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert document["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"


def test_the_service_list_in_xml_holds_every_active_category(raw: Any, transactional_org: Any) -> None:
    Category.objects.filter(code="0108").update(is_active=False)

    response = raw("GET", "/open311/v2/services.xml?jurisdiction_id=430102")

    assert response.status_line == "HTTP/1.1 200 OK"
    assert response.headers["content-type"] == XML
    root = response.xml()
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == Category.objects.filter(is_active=True).count()
    assert all(children(s) == SERVICE_FIELDS for s in services)
    by_code = {s.findtext("service_code"): s for s in services}
    assert "0108" not in by_code
    housing = by_code["0101"]
    assert housing.findtext("service_name") == "住房保障"
    assert housing.findtext("description") == "城乡建设 / 住房保障"
    assert housing.findtext("metadata") == "true" and housing.findtext("type") == "realtime"
    assert housing.findtext("group") == "城乡建设"
    assert housing.findtext("keywords") == "城乡建设, Urban and rural construction, 住房保障, Housing assistance"


def test_the_service_list_in_json_follows_the_browsers_language(raw: Any) -> None:
    response = raw("GET", "/open311/v2/services.json", Accept_Language="en")

    assert response.status_line == "HTTP/1.1 200 OK"
    assert response.headers["content-type"] == JSON
    services = response.json()
    housing = next(s for s in services if s["service_code"] == "0101")
    assert housing == {
        "service_code": "0101",
        "service_name": "Housing assistance",
        "description": "Urban and rural construction / Housing assistance",
        "metadata": True,
        "type": "realtime",
        "keywords": "城乡建设, Urban and rural construction, 住房保障, Housing assistance",
        "group": "Urban and rural construction",
    }


def test_a_leaf_service_definition_has_the_request_attribute_only(raw: Any) -> None:
    response = raw("GET", "/open311/v2/services/0101.xml")

    assert response.status_line == "HTTP/1.1 200 OK"
    root = response.xml()
    assert root.tag == "service_definition"
    assert children(root) == ["service_code", "attributes"]
    assert root.findtext("service_code") == "0101"
    (attribute,) = root.findall("attributes/attribute")
    assert children(attribute) == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
    ]
    assert attribute.findtext("code") == "request" and attribute.findtext("datatype") == "text"
    assert attribute.findtext("required") == "false" and attribute.findtext("order") == "1"


def test_a_broad_service_offers_its_subcategories_as_a_list(raw: Any) -> None:
    response = raw("GET", "/open311/v2/services/01.json")

    assert response.status_line == "HTTP/1.1 200 OK"
    assert response.headers["content-type"] == JSON
    definition = response.json()
    assert definition["service_code"] == "01"
    subcategory = definition["attributes"][1]
    assert subcategory["code"] == "subcategory" and subcategory["datatype"] == "singlevaluelist"
    assert subcategory["values"][0] == {"key": "0101", "name": "住房保障"}
    assert len(subcategory["values"]) == Category.objects.filter(parent__code="01").count()


def test_the_singular_service_path_is_an_alias(raw: Any) -> None:
    plural = raw("GET", "/open311/v2/services/0205.xml")
    singular = raw("GET", "/open311/v2/service/0205.xml")

    assert singular.status_line == "HTTP/1.1 200 OK"
    assert singular.body == plural.body


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_unknown_service_code_is_404_in_the_error_format(raw: Any, fmt: str) -> None:
    response = raw("GET", f"/open311/v2/services/9999.{fmt}")

    assert response.status_line == "HTTP/1.1 404 Not Found"
    description = "没有代码为“9999”的服务（service_code）。"
    if fmt == "xml":
        assert response.headers["content-type"] == XML
        root = response.xml()
        assert root.tag == "errors" and children(root) == ["error"]
        assert children(root[0]) == ["code", "description"]
        assert root.findtext("error/code") == "404" and root.findtext("error/description") == description
    else:
        assert response.headers["content-type"] == JSON
        assert response.json() == [{"code": 404, "description": description}]


def test_an_unknown_jurisdiction_is_404(raw: Any, transactional_org: Any) -> None:
    response = raw("GET", "/open311/v2/services.json?jurisdiction_id=999999")

    assert response.status_line == "HTTP/1.1 404 Not Found"
    assert "jurisdiction_id" in response.json()[0]["description"]


def test_a_format_other_than_xml_or_json_is_404(raw: Any) -> None:
    response = raw("GET", "/open311/v2/services.csv")

    assert response.status_line == "HTTP/1.1 404 Not Found"
    assert response.xml().findtext("error/description") == "不支持的格式“csv”：请用 .xml 或 .json。"


def test_a_resource_that_does_not_exist_is_404(raw: Any) -> None:
    response = raw("GET", "/open311/v2/complaints.json")

    assert response.status_line == "HTTP/1.1 404 Not Found"
    assert response.headers["content-type"] == JSON
    assert response.json()[0]["code"] == 404


def test_a_wrong_method_is_refused_with_the_allowed_ones(raw: Any) -> None:
    response = raw("POST", "/open311/v2/services.xml", "x=1", Content_Type="application/x-www-form-urlencoded")

    assert response.status_line == "HTTP/1.1 405 Method Not Allowed"
    assert response.headers["allow"] == "GET"
    assert response.xml().findtext("error/code") == "405"
