"""API routes (/api/v1/) for the route-enumerating access test (see core/testing/routes.py).

Operations are keyed "METHOD /api/v1/path/<converter:name>", as the test's failure message prints
them. Staff-token operations use auth="staff", integrating systems' operations auth="key".
"""

from minsheng.core.testing.routes import ApiOperation, Public

ROUTES = [
    ApiOperation("GET /api/v1/health", auth="none"),
    Public("api:openapi-json", reason="the API's description: no data"),
    Public("api:openapi-view", reason="the API's documentation page: no data"),
    Public("api:api-root", reason="django-ninja's index of the API: no data"),
]
