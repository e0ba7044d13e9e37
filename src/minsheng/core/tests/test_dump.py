"""Must show 2: a raw dump of the database holds no resident ID that passes its checksum, and none
of the seeded phone numbers, after every path that stores them has run."""

import subprocess
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import petition_data, staff_login
from minsheng.core.actors import Actor
from minsheng.core.validators import find_resident_ids, resident_id_checksum_ok
from minsheng.petitions.services import PetitionerInput, ProxyInput, petition_update
from minsheng.privacy.services import petitioner_reveal

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _W, strict=True)) % 11]


IDS = [with_check_digit(f"430102{1960 + n}0{n % 9 + 1}1{n}{100 + n}") for n in range(8)]
PHONES = [f"139{n:04d}{7000 + n:04d}" for n in range(8)]


def dump_database() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    db = settings.DATABASES["default"]
    env = {"PGPASSWORD": db.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"}
    command = ["pg_dump", "--no-owner", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
    command += ["-U", db["USER"], db["NAME"]]
    return subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout


def test_the_scanner_finds_a_plain_resident_id() -> None:
    assert all(resident_id_checksum_ok(value) for value in IDS)
    assert find_resident_ids(f"INSERT INTO t VALUES(1,'{IDS[0]}','x{IDS[1]}y');") == IDS[:2]
    assert find_resident_ids("1101051949123100381") == []  # 19 digits: not an ID


@pytest.mark.django_db(transaction=True)
def test_a_raw_dump_holds_no_resident_id_and_no_seeded_phone(transactional_org: Any, client: Client) -> None:
    org = transactional_org
    from minsheng.petitions.services import petition_register

    for n in range(4):
        registration = petition_register(
            actor=Actor.staff(org.registrar_a),
            unit=org.units.a,
            data=petition_data(
                petitioners=[
                    PetitionerInput(
                        name=f"信访人{n}", id_number=IDS[2 * n], phone=PHONES[2 * n], address=f"芙蓉区{n}号"
                    ),
                    PetitionerInput(name=f"同行人{n}", id_number=IDS[2 * n + 1], phone=PHONES[2 * n + 1]),
                ],
                proxy=ProxyInput(name="代理人", relation="子女", consent="书面委托", phone=PHONES[(2 * n + 3) % 8]),
            ),
        )
        petition_update(actor=Actor.staff(org.registrar_a), petition=registration.petition, title=f"更正{n}")
        petitioner_reveal(
            actor=Actor.staff(org.registrar_a),
            petitioner=registration.petition.petitioners.first(),
            reason="contact",
        )
    # the pages that show them (and the sign-in, exports and reveal records) have run too
    staff_login(client, org.registrar_a)
    client.post(reverse("privacy:exports"), {})
    client.get(reverse("workbench:petitions"))

    dump = dump_database()
    assert "core_auditrecord" in dump and len(dump) > 10_000  # a real dump, with the data in it
    assert find_resident_ids(dump) == []
    assert [phone for phone in PHONES if phone in dump] == []
