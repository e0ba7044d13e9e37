import pytest
from django.db import connection

from minsheng.core.crypto import decrypt, encrypt, lookup_hash

pytestmark = pytest.mark.django_db


def test_a_sealed_value_opens_only_in_its_own_column() -> None:
    token = encrypt("110105194912310038", context="petitions.Petitioner.id_number")
    assert "110105" not in token
    assert decrypt(token, context="petitions.Petitioner.id_number") == "110105194912310038"
    with pytest.raises(Exception):  # noqa: B017 - cryptography raises InvalidTag
        decrypt(token, context="petitions.Petitioner.phone")


def test_the_same_value_seals_differently_each_time() -> None:
    assert encrypt("13800138000", context="c") != encrypt("13800138000", context="c")


def test_lookup_hashes_are_stable_and_separate_kinds() -> None:
    assert lookup_hash("phone", "13800138000") == lookup_hash("phone", "13800138000")
    assert lookup_hash("phone", "13800138000") != lookup_hash("resident_id", "13800138000")


def test_the_database_holds_no_plaintext_personal_data(org, register) -> None:  # type: ignore[no-untyped-def]
    petition = register(org.units.a).petition
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, address FROM petitions_petitioner WHERE petition_id = %s", [petition.pk]
        )
        raw = cursor.fetchone()
    assert all(value.startswith("v1$") for value in raw)
    assert "110105194912310038" not in "".join(raw) and "13800138000" not in "".join(raw)
    assert petition.petitioners.get().id_number == "110105194912310038"
