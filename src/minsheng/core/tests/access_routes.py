"""Routes of the project itself (config/urls.py) for the route-enumerating access test."""

from minsheng.core.testing.routes import AdminSite, Public

ROUTES = [
    Public("set_language", reason="switches the interface language", methods=("POST",)),
    Public("path:/", reason="redirects to the workbench, which asks staff to sign in"),
    AdminSite("admin"),
]
