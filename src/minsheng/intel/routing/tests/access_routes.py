"""Routing routes for the route-enumerating access test (see core/testing/routes.py)."""

from minsheng.core.testing.routes import StaffObject

ROUTES = [
    StaffObject(
        "routing:choose",
        lambda w: {"petition_id": w.petition.pk},
        methods=("POST",),
        data=lambda w: {"category": "", "unit": ""},
    ),
]
