"""`minsheng api-client-create`: registers an integrating system and prints its key once."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from minsheng.api.auth import client_for_key
from minsheng.api.models import ApiClient, ApiKey
from minsheng.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api-client-create", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_creates_the_system_and_prints_a_working_key_once(org: Any) -> None:
    out, _ = run(
        "长沙12345热线",
        "--unit",
        str(org.units.city.pk),
        "--scope",
        "petitions:create,petitions:read",
        "--scope",
        "catalog:read",
        "--rate-limit",
        "300",
    )

    key = out.strip().splitlines()[-1]
    client = ApiClient.objects.get()
    assert client_for_key(key) == client
    assert (client.name, client.unit, client.rate_limit) == ("长沙12345热线", org.units.city, 300)
    assert client.scopes == ["catalog:read", "petitions:create", "petitions:read"]
    assert "长沙市信访局" in out and "只显示这一次" in out
    # only a digest is kept, and the creation is on the audit trail (without the key)
    assert key not in {k.key_hash for k in ApiKey.objects.all()} and ApiKey.objects.get().prefix == key[:10]
    audit = AuditRecord.objects.get(action="api.client_create")
    assert key not in str(audit.data)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "999999", "--scope", "catalog:read"], "没有编号为 999999 的单位。"),
        (["--scope", "petitions:delete"], "scopes: 未知的权限范围：petitions:delete。"),
        ([], "scopes: 请至少授予一项权限范围。"),
        (["--scope", "catalog:read", "--rate-limit", "0"], "rate_limit: 每分钟请求上限至少为1。"),
    ],
)
def test_it_refuses_bad_input_and_creates_nothing(org: Any, args: list[str], message: str) -> None:
    if "--unit" not in args:
        args = ["--unit", str(org.units.a.pk), *args]
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("api-client-create", "系统", *args, stdout=io.StringIO(), stderr=err)

    assert message in err.getvalue() + str(exc.value)
    assert ApiClient.objects.count() == 0 and ApiKey.objects.count() == 0


def test_names_are_unique(org: Any) -> None:
    run("热线", "--unit", str(org.units.a.pk), "--scope", "catalog:read")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("api-client-create", "热线", "--unit", str(org.units.b.pk), "--scope", "catalog:read", stderr=err)
    assert "已有名为“热线”的对接系统。" in err.getvalue()
    assert ApiClient.objects.count() == 1


def test_the_admin_form_offers_only_known_scopes(org: Any) -> None:
    from minsheng.api.admin import ApiClientForm

    data = {"name": "热线", "unit": org.units.a.pk, "rate_limit": 60, "is_active": True}
    good = ApiClientForm(data={**data, "scopes": ["petitions:read", "catalog:read"]})
    bad = ApiClientForm(data={**data, "scopes": ["petitions:read", "petitions:delete"]})

    assert good.is_valid(), good.errors
    assert good.save().scopes == ["petitions:read", "catalog:read"]
    assert not bad.is_valid() and "scopes" in bad.errors
