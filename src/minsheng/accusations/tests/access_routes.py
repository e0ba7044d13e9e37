"""Accusations (检举控告) for the route-enumerating access test (see core/testing/routes.py)."""

from types import SimpleNamespace
from typing import Any

from minsheng.core.actors import Actor
from minsheng.core.testing.routes import SECRET_ADDRESS, SECRET_ID, SECRET_PHONE, Public, SignedIn, StaffObject


def _accusation_in_county_b(world: Any) -> Any:
    """A named accusation filed in county B, with the reporter's identity sealed, and a handler's
    request to see it, waiting for a custodian."""
    from minsheng.accusations.services import (
        AccusationInput,
        ReporterInput,
        accusation_file,
        identity_access_request,
    )

    filed = accusation_file(
        data=AccusationInput(
            title="天心区检举事项",
            request="请求调查处理。",
            facts="天心区某单位工作人员收受好处费。",
            region=world.org.regions.b,
            anonymous=False,
            reporter=ReporterInput(
                name="天心区检举人", id_number=SECRET_ID, phone=SECRET_PHONE, address=SECRET_ADDRESS
            ),
        ),
        declared_truthful=True,
    )
    accusation = filed.accusation
    world.markers.append(accusation.petition.number)
    request = identity_access_request(
        actor=Actor.staff(world.org.registrar_b), accusation=accusation, reason="核实检举人身份以便反馈"
    )
    return SimpleNamespace(accusation=accusation, petition=accusation.petition, request=request, receipt=filed.receipt)


OBJECTS = {"accusation_b": _accusation_in_county_b}


def _petition(w: Any) -> dict[str, Any]:
    return {"petition_id": w.accusation_b.petition.pk}


ROUTES = [
    Public("accuse:start", reason="how to report, what is protected"),
    Public("accuse:file", reason="the accusation form"),
    Public("accuse:receipt", reason="the receipt page: shows only the reporter's own code once"),
    Public("accuse:follow", reason="asks for a receipt code"),
    Public(
        "accuse:follow_detail",
        reason="the reporter's page, locked without the whole receipt code",
        kwargs=lambda w: {"locator": w.accusation_b.receipt.locator},
    ),
    SignedIn("accusations:list"),
    SignedIn("accusations:requests"),
    StaffObject("accusations:detail", _petition),
    StaffObject("accusations:ask", _petition, methods=("POST",), data=lambda w: {"body": "请补充时间地点。"}),
    StaffObject(
        "accusations:accused", _petition, methods=("POST",), data=lambda w: {"unit": str(w.units.housing_b.pk)}
    ),
    StaffObject("accusations:request_identity", _petition, methods=("POST",), data=lambda w: {"reason": "需核实身份"}),
    StaffObject("accusations:reveal", _petition, methods=("POST",)),
    StaffObject(
        "accusations:decide",
        lambda w: {"request_id": w.accusation_b.request.pk},
        methods=("POST",),
        data=lambda w: {"decision": "deny", "note": "理由不足"},
        ok_as="custodian",
    ),
]
