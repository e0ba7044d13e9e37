"""The OpenAPI document and its docs page are served by the app itself: nothing comes from a CDN."""

from __future__ import annotations

import json
import re
from typing import Any


def test_the_docs_page_loads_only_the_apps_own_assets(http: Any) -> None:
    page = http.get("/api/v1/docs")

    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        assert http.get(asset).status_code == 200, asset
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', page.text, re.S).group(1))
    # Swagger UI would otherwise load its badge from validator.swagger.io
    assert settings["validatorUrl"] is None
    assert settings["url"] == "/api/v1/openapi.json"


def test_the_openapi_document_documents_every_public_field(http: Any) -> None:
    document = http.get("/api/v1/openapi.json").json()

    public = {path for path in document["paths"] if path.startswith("/api/v1/public/")}
    assert public == {
        "/api/v1/public/petitions",
        "/api/v1/public/petitions/{external_id}",
        "/api/v1/public/petitions/{external_id}/updates",
        "/api/v1/public/lookup",
        "/api/v1/public/categories",
        "/api/v1/public/units",
    }
    undocumented = [
        f"{name}.{field}"
        for name, schema in document["components"]["schemas"].items()
        for field, spec in schema.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undocumented == []
