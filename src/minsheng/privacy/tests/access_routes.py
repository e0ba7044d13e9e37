"""Privacy routes for the route-enumerating access test (see core/testing/routes.py)."""

from typing import Any

from minsheng.core.actors import Actor
from minsheng.core.testing.routes import SignedIn, StaffObject
from minsheng.petitions.selectors import PetitionFilters


def _export_of_county_b(world: Any) -> Any:
    from minsheng.privacy.services import petitions_export

    return petitions_export(actor=Actor.staff(world.org.registrar_b), filters=PetitionFilters())


OBJECTS = {"export": _export_of_county_b}

ROUTES = [
    StaffObject(
        "privacy:reveal",
        lambda w: {"petitioner_id": w.petitioner.pk},
        methods=("GET", "POST"),
        data=lambda w: {"reason": "verify_identity"},
        reveals=True,
    ),
    SignedIn("privacy:reveals"),
    SignedIn("privacy:exports", methods=("GET", "POST")),
    # An export is its maker's alone: even the city bureau above county B gets 404 for it.
    StaffObject("privacy:export", lambda w: {"export_id": w.export.pk}, ok_as="registrar_b"),
]
