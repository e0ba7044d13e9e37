"""API routes (/api/v1/) for the route-enumerating access test (see core/testing/routes.py).

Operations are keyed "METHOD /api/v1/path/<converter:name>", as the test's failure message prints
them. Staff-token operations use auth="staff", integrating systems' operations auth="key".
"""

from importlib.util import find_spec
from types import SimpleNamespace
from typing import Any

from minsheng.core.actors import Actor
from minsheng.core.testing.routes import MARKER_TITLE, SECRET_ADDRESS, SECRET_ID, SECRET_PHONE, ApiOperation, Public

ROUTES: list[Any] = [
    ApiOperation("GET /api/v1/health", auth="none"),
    Public("api:openapi-json", reason="the API's description: no data"),
    Public("api:openapi-view", reason="the API's documentation page: no data"),
    Public("api:api-root", reason="django-ninja's index of the API: no data"),
]
OBJECTS: dict[str, Any] = {}


def _system_of_county_b(world: Any) -> Any:
    """An integrating system of county B and a petition it submitted (with the secret personal
    data): another system must not see it, and it must see its own only masked."""
    from minsheng.api.auth import api_client_create
    from minsheng.api.models import Scope
    from minsheng.api.services import petition_submit
    from minsheng.petitions.services import PetitionerInput, PetitionInput

    client, secret = api_client_create(
        actor=Actor.system("access test"), name="county B hotline", unit=world.units.b, scopes=Scope.values
    )
    submission = petition_submit(
        client=client,
        external_id="B-0001",
        data=PetitionInput(
            channel="hotline_12345",
            nature="grievance",
            title=MARKER_TITLE,
            request="请求依法处理。",
            facts="县B热线转来的事实和理由。",
            petitioners=[
                PetitionerInput(name="热线信访人", id_number=SECRET_ID, phone=SECRET_PHONE, address=SECRET_ADDRESS)
            ],
        ),
    )
    world.markers.append(submission.petition.number)
    return SimpleNamespace(
        client=client,
        secret=secret,
        external_id="B-0001",
        petition=submission.petition,
        query_code=submission.query_code,
    )


def _b_key(world: Any) -> dict[str, str]:
    return {"HTTP_X_API_KEY": world.b_system.secret}


# The public REST API for integrating systems (issue 4), once it is part of the code: a system
# sees what it submitted itself, so county A's systems get 404 for county B's system's petition.
if find_spec("minsheng.api.public") is not None:
    OBJECTS["b_system"] = _system_of_county_b
    ROUTES += [
        ApiOperation("GET /api/v1/public/categories", auth="key"),
        ApiOperation("GET /api/v1/public/units", auth="key"),
        ApiOperation("GET /api/v1/public/petitions", auth="key"),
        ApiOperation(
            "POST /api/v1/public/petitions",
            auth="key",
            json=True,
            data=lambda w: {
                "external_id": "A-0001",
                "channel": "hotline_12345",
                "nature": "grievance",
                "title": "路灯不亮",
                "request": "请求维修。",
                "facts": "小区路灯损坏一个月。",
            },
        ),
        ApiOperation(
            "GET /api/v1/public/petitions/<external_id>",
            auth="key",
            kwargs=lambda w: {"external_id": w.b_system.external_id},
            missing_kwargs=lambda w: {"external_id": "B-9999"},
            ok_credentials=_b_key,
        ),
        ApiOperation(
            "POST /api/v1/public/petitions/<external_id>/updates",
            auth="key",
            json=True,
            kwargs=lambda w: {"external_id": w.b_system.external_id},
            missing_kwargs=lambda w: {"external_id": "B-9999"},
            data=lambda w: {"note": "补充一份说明。"},
            ok_credentials=_b_key,
        ),
        # by query code: whoever holds the code may read the matter; without it, nothing
        ApiOperation(
            "POST /api/v1/public/lookup", auth="key", json=True, data=lambda w: {"query_code": "0000-0000-0000-0000"}
        ),
    ]
