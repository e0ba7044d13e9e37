"""Issuing and checking API credentials, and the intake limits of the machine doors."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader, HttpBearer

from minsheng.api.models import ApiClient, ApiKey, Scope, StaffToken
from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.core.errors import NotAllowed, ValidationError
from minsheng.core.ratelimit import Limit, client_address, hit
from minsheng.orgs.models import Unit, User

# Every request to the REST API or Open311 from one address, with or without a key: keeps one
# sender from flooding the doors or guessing keys. A deployment fact, not policy; several systems
# behind one gateway share it, so it sits well above a single key's own budget.
ADDRESS_LIMIT = Limit(scope="api:address", limit=600, window_seconds=60)
KEY_WINDOW_SECONDS = 60


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret(kind: str) -> str:
    return f"ms{kind}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def staff_token_create(*, actor: Actor, user: User, name: str) -> tuple[StaffToken, str]:
    """Return the token row and the secret, which is shown once and never stored."""
    secret = _new_secret("t")
    token = StaffToken.objects.create(user=user, name=name, prefix=secret[:10], key_hash=_hash(secret))
    audit_append(
        actor=actor, action="api.token_create", object_type="staff_token", object_id=token.pk, data={"user": user.pk}
    )
    return token, secret


@transaction.atomic
def api_client_create(
    *, actor: Actor, name: str, unit: Unit, scopes: Iterable[str], rate_limit: int = 120
) -> tuple[ApiClient, str]:
    """Register an integrating system and issue its key; return the row and the secret (shown once)."""
    name = name.strip()
    scopes = sorted(set(scopes))
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("请填写对接系统的名称。")]
    elif len(name) > 100:
        errors["name"] = [_("名称不能超过100个字。")]
    elif ApiClient.objects.filter(name=name).exists():
        errors["name"] = [_("已有名为“%(name)s”的对接系统。") % {"name": name}]
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown:
        errors["scopes"] = [
            _("未知的权限范围：%(unknown)s。可用：%(known)s。")
            % {"unknown": ", ".join(unknown), "known": ", ".join(Scope.values)}
        ]
    elif not scopes:
        errors["scopes"] = [_("请至少授予一项权限范围。")]
    if not unit.is_active:
        errors["unit"] = [_("单位“%(unit)s”已停用，不能接收信访事项。") % {"unit": unit.name}]
    if rate_limit < 1:
        errors["rate_limit"] = [_("每分钟请求上限至少为1。")]
    if errors:
        raise ValidationError(errors)
    client = ApiClient.objects.create(name=name, unit=unit, scopes=scopes, rate_limit=rate_limit)
    secret = _new_secret("k")
    ApiKey.objects.create(client=client, prefix=secret[:10], key_hash=_hash(secret))
    audit_append(
        actor=actor,
        action="api.client_create",
        object_type="api_client",
        object_id=client.pk,
        data={"scopes": client.scopes},
    )
    return client, secret


def staff_user_for_token(secret: str) -> User | None:
    now = timezone.now()
    token = (
        StaffToken.objects.select_related("user__unit")
        .filter(key_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    StaffToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def client_for_key(secret: str) -> ApiClient | None:
    key = (
        ApiKey.objects.select_related("client__unit")
        .filter(key_hash=_hash(secret), revoked_at__isnull=True, client__is_active=True)
        .first()
    )
    if key is None:
        return None
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key.client


class StaffTokenAuth(HttpBearer):
    """`Authorization: Bearer mst_…`: staff acting through another program, within their scope."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = staff_user_for_token(token)
        if user is not None:
            request.user = user
        return user


def client_require_scope(client: ApiClient, scope: Scope) -> None:
    """Refuse (403) a request the system's key was not granted; the message names the scope."""
    if scope not in client.scopes:
        raise NotAllowed(
            _("该接口密钥未获授权“%(label)s”（%(scope)s），请联系管理员。")
            % {"label": scope.label, "scope": scope.value}
        )


def intake_check_address(request: HttpRequest) -> None:
    """Count the request against its address; raises RateLimited (answered 429) when over."""
    hit(ADDRESS_LIMIT, client_address(request))


def intake_check_client(client: ApiClient) -> None:
    """Count the request against the system's own budget; raises RateLimited when over."""
    hit(Limit(scope="api:key", limit=client.rate_limit, window_seconds=KEY_WINDOW_SECONDS), str(client.pk))


class ApiKeyAuth(APIKeyHeader):
    """`X-API-Key: msk_…`: an integrating system, counted per address and per key."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiClient | None:
        # The address is counted before the key is looked at, so guessing keys is limited too.
        intake_check_address(request)
        client = client_for_key(key) if key else None
        if client is not None:
            intake_check_client(client)
        return client
