"""Sign-in routes for the route-enumerating access test (see core/testing/routes.py)."""

from minsheng.core.testing.routes import Public, SignedIn

ROUTES = [
    Public("login", reason="the door itself", methods=("GET", "POST")),
    Public("login_verify", reason="second step; empty without a password step", methods=("GET", "POST")),
    Public("login_enrol", reason="enrolment; empty without a password step", methods=("GET", "POST")),
    Public("logout", reason="ends the caller's own session", methods=("POST",)),
    SignedIn("account_security"),
]
