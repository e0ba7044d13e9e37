"""Workbench routes for the route-enumerating access test (see core/testing/routes.py)."""

from minsheng.core.testing.routes import SignedIn, StaffObject

ROUTES = [
    SignedIn("workbench:home"),
    SignedIn("workbench:petitions"),
    SignedIn("workbench:register"),
    StaffObject("workbench:petition", lambda w: {"petition_id": w.petition.pk}),
    StaffObject("workbench:attachment", lambda w: {"attachment_id": w.attachment.pk}),
]
