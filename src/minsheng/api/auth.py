"""Issuing and checking API credentials."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyHeader, HttpBearer

from minsheng.api.models import ApiClient, ApiKey, StaffToken
from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.orgs.models import Unit, User


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
def api_client_create(*, actor: Actor, name: str, unit: Unit, scopes: Iterable[str]) -> tuple[ApiClient, str]:
    client = ApiClient.objects.create(name=name, unit=unit, scopes=sorted(set(scopes)))
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


class ApiKeyAuth(APIKeyHeader):
    """`X-API-Key: msk_…`: an integrating system."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiClient | None:
        return client_for_key(key) if key else None
