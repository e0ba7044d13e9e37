"""Routes of the project itself (config/urls.py) for the route-enumerating access test."""

from typing import Any

from django.apps import apps

from minsheng.core.testing.routes import AdminSite, ApiOperation, Public

ROUTES: list[Any] = [
    Public("set_language", reason="switches the interface language", methods=("POST",)),
    AdminSite("admin"),
]

# Open311 GeoReport v2 (issue 4), once it is part of the code. Reading requests needs an api_key
# and shows only the system's own; the catalogue and token look-ups are public by the standard.
if apps.is_installed("minsheng.open311"):

    def _json(**kwargs: Any) -> Any:
        return lambda w: {**kwargs, "fmt": "json"}

    ROUTES += [
        Public("open311:discovery", reason="GeoReport discovery document", kwargs=_json()),
        Public("open311:services", reason="the service list (our categories)", kwargs=_json()),
        Public("open311:service", reason="one service definition", kwargs=_json(code="none")),
        Public("open311:token", reason="look-up by token (query code)", kwargs=_json(token="0000-0000-0000-0000")),
        Public("open311:not_found", reason="404 for anything else", kwargs=lambda w: {"path": "nothing.json"}),
        ApiOperation("open311:requests", auth="key", kwargs=_json(), object=False),
        ApiOperation(
            "open311:requests",
            auth="key",
            http_method="POST",
            kwargs=_json(),
            object=False,
            data=lambda w: {"service_code": "none"},
        ),
        ApiOperation(
            "open311:request",
            auth="key",
            kwargs=lambda w: {"request_id": w.b_system.petition.number, "fmt": "json"},
            missing_kwargs=lambda w: {"request_id": "430103-2000-999999", "fmt": "json"},
            ok_credentials=lambda w: {"HTTP_X_API_KEY": w.b_system.secret},
        ),
    ]
