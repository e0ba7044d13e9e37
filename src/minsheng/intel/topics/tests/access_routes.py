"""Hot-topic routes for the route-enumerating access test (see core/testing/routes.py)."""

from minsheng.core.testing.routes import SignedIn

ROUTES = [
    SignedIn("topics:dashboard"),
    SignedIn("topics:recompute", methods=("POST",)),
]
