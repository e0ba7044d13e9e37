"""The only way a view gets an accusation or an identity-access request. Missing and forbidden
answer alike (404). Scope comes from `petitions_visible_to`, which already hides every accusation
from its accused units (R22 Art. 30 ¶3)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from minsheng.accusations.models import Accusation, IdentityAccessRequest
from minsheng.accusations.receipts import parse_receipt, verify_secret
from minsheng.orgs.roles import Role
from minsheng.petitions.access import petitions_visible_to


def accusations_visible_to(user: Any) -> QuerySet[Accusation]:
    return Accusation.objects.filter(petition__in=petitions_visible_to(user))


def accusation_for_user(user: Any, petition_id: int | str) -> Accusation:
    try:
        return accusations_visible_to(user).select_related("petition__handling_unit").get(pk=int(petition_id))
    except (Accusation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_requests_for_custodian(user: Any) -> QuerySet[IdentityAccessRequest]:
    """A custodian decides requests on the accusations within their own scope."""
    if not getattr(user, "is_authenticated", False) or not user.has_any_role(Role.CUSTODIAN):
        return IdentityAccessRequest.objects.none()
    return IdentityAccessRequest.objects.filter(accusation__in=accusations_visible_to(user))


def access_request_for_custodian(user: Any, request_id: int | str) -> IdentityAccessRequest:
    try:
        return access_requests_for_custodian(user).select_related("accusation__petition").get(pk=int(request_id))
    except (IdentityAccessRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def accusation_by_receipt(code: str) -> Accusation | None:
    """The accusation a receipt code opens, or None. The same Argon2 work is done either way."""
    receipt = parse_receipt(code)
    if receipt is None:
        return None
    accusation = Accusation.objects.filter(locator=receipt.locator).first()
    ok = verify_secret(accusation.receipt_hash if accusation else None, receipt.secret)
    return accusation if ok else None


def accusation_by_locator(locator: str) -> Accusation | None:
    return Accusation.objects.select_related("petition__handling_unit").filter(locator=locator).first()
