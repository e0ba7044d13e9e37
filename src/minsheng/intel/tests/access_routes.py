"""Intel routes for the route-enumerating access test (see core/testing/routes.py)."""

from typing import Any

from minsheng.core.actors import Actor
from minsheng.core.testing.routes import StaffObject


def _repeat_link_in_county_b(world: Any) -> Any:
    """County B's petitioner files the same matter twice: the second is linked to the first."""
    from minsheng.petitions.services import PetitionerInput, PetitionInput, petition_register

    org = world.org

    def file() -> Any:
        return petition_register(
            actor=Actor.staff(org.registrar_b),
            unit=org.units.b,
            data=PetitionInput(
                channel="letter",
                nature="grievance",
                title="天心区某小区电梯长期停运",
                request="请求督促物业尽快修复电梯。",
                facts="天心区某小区三号楼电梯停运已经两个月，老人上下楼十分困难，多次找物业无果。",
                petitioners=[PetitionerInput(name="天心区信访人三", phone="13900000003", address="天心区某路3号")],
            ),
        )

    first = file().petition
    second = file()
    world.markers.extend([first.number, second.petition.number])
    return second.screening.links[0]


OBJECTS = {"repeat_link": _repeat_link_in_county_b}

ROUTES = [
    StaffObject(
        "intel:unlink",
        lambda w: {"link_id": w.repeat_link.pk},
        methods=("POST",),
        data=lambda w: {"reason": "关联有误。"},
    ),
]
