"""Key rotation: add a key version, re-seal with `minsheng rotate-keys`, then drop the old key."""

import base64
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from conftest import VALID_ID
from minsheng.core.models import AuditRecord
from minsheng.petitions.models import Petition, Petitioner

pytestmark = pytest.mark.django_db

OLD = "1:" + base64.b64encode(b"k" * 32).decode()
NEW = "2:" + base64.b64encode(b"n" * 32).decode()


def raw(column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM petitions_petitioner WHERE {column} <> ''")
        return [value for (value,) in cursor.fetchall()]


def test_rotation_reseals_everything_and_the_old_key_can_go(org: Any, register: Any, capsys: Any) -> None:
    with override_settings(MINSHENG_DATA_KEYS=OLD):
        for _ in range(3):
            register(org.units.a)
    assert all(value.startswith("v1$") for value in raw("id_number"))

    with override_settings(MINSHENG_DATA_KEYS=f"{OLD},{NEW}"):
        register(org.units.a)  # new writes use the newest key at once
        assert sum(value.startswith("v2$") for value in raw("id_number")) == 1
        call_command("rotate-keys", "--batch", "2")
        out = capsys.readouterr().out
        assert "petitions.Petitioner.id_number: 3 value(s) re-sealed with key v2" in out
        assert "older keys may be removed" in out
        audit = AuditRecord.objects.get(action="crypto.reseal")
        assert audit.data["resealed"]["petitions.Petitioner.phone"] == 3

    for column in ("id_number", "phone", "address"):
        assert raw(column) and all(value.startswith("v2$") for value in raw(column))
    with override_settings(MINSHENG_DATA_KEYS=NEW):
        assert {p.id_number for p in Petitioner.objects.all()} == {VALID_ID}
        assert Petitioner.objects.filter(phone_hash__isnull=False).count() == 4


def test_check_reports_values_under_older_keys(org: Any, register: Any, capsys: Any) -> None:
    with override_settings(MINSHENG_DATA_KEYS=OLD):
        register(org.units.a, proxy=None)
    with override_settings(MINSHENG_DATA_KEYS=f"{OLD},{NEW}"):
        call_command("rotate-keys", "--check")
    out = capsys.readouterr().out
    assert "petitions.Petitioner.id_number: v1: 1" in out and "values under older keys remain" in out
    assert Petition.objects.count() == 1 and not AuditRecord.objects.filter(action="crypto.reseal").exists()


def test_a_value_whose_key_was_removed_too_early_stops_the_rotation(org: Any, register: Any) -> None:
    with override_settings(MINSHENG_DATA_KEYS=OLD):
        register(org.units.a)
    with override_settings(MINSHENG_DATA_KEYS=NEW), pytest.raises(ImproperlyConfigured, match="data key v1"):
        call_command("rotate-keys")
