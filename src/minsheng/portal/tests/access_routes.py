"""The citizens' portal for the route-enumerating access test (see core/testing/routes.py).

The portal is public by nature; a petition's page opens only to whoever unlocks it with its query
code and the petitioner's phone, so county B's petition must show nothing to anyone else."""

from minsheng.core.testing.routes import Public

ROUTES = [
    Public("portal:home", reason="the citizens' home page"),
    Public("portal:choose", reason="choose what to file"),
    Public("portal:guide", reason="which channel fits (R22 Art. 31)"),
    Public("portal:filed", reason="the confirmation page: shows only the filer's own code"),
    Public("portal:file", reason="the filing form", kwargs=lambda w: {"nature": "grievance"}),
    Public("portal:follow", reason="asks for a query code and phone"),
    Public(
        "portal:follow_detail",
        reason="a petition's page, locked without its query code and phone",
        kwargs=lambda w: {"number": w.petition.number},
    ),
    Public(
        "portal:follow_document",
        reason="a written decision of the petition the visitor unlocked; 404 for anyone else",
        kwargs=lambda w: {"number": w.decided_b.petition.number, "decision_id": w.decided_b.decision.pk},
    ),
    Public(
        "portal:follow_rate",
        reason="rates a written answer of the petition the visitor unlocked; else back to the query form",
        methods=("POST",),
        kwargs=lambda w: {"number": w.decided_b.petition.number},
        data=lambda w: {"decision": str(w.decided_b.decision.pk), "score": "1"},
    ),
    Public(
        "portal:follow_request",
        reason="asks review of the petition the visitor unlocked; else back to the query form",
        methods=("POST",),
        kwargs=lambda w: {"number": w.decided_b.petition.number},
        data=lambda w: {"action": "request_review", "grounds": "不服"},
    ),
]
