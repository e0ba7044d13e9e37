"""The only way the machine doors (REST for systems, Open311) get a petition.

An integrating system sees what it submitted itself (`Petition.source` names the system, so a
petition another system or a registrar entered is invisible), or one petition whose query code
the caller holds. Anything else answers 404 exactly like a petition that does not exist.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from minsheng.api.models import ApiClient
from minsheng.petitions.models import Petition
from minsheng.petitions.services import query_code_hash


def petitions_of_client(client: ApiClient) -> QuerySet[Petition]:
    return Petition.objects.filter(source=client.petition_source)


def petition_for_client(client: ApiClient, external_id: str) -> Petition:
    """The system's own petition by the system's own id (`external_id`)."""
    if not external_id:
        raise Http404
    try:
        return petitions_of_client(client).get(source_ref=external_id)
    except Petition.DoesNotExist:
        raise Http404 from None


def petition_for_number(client: ApiClient, number: str) -> Petition:
    """The system's own petition by our case number (Open311's service_request_id)."""
    try:
        return petitions_of_client(client).get(number=number)
    except Petition.DoesNotExist:
        raise Http404 from None


def petition_for_query_code(code: str) -> Petition:
    """Whoever holds the query code is the petitioner (or acts for them): one petition, any source."""
    if not code or len(code) > 40:
        raise Http404
    try:
        return Petition.objects.get(query_code_hash=query_code_hash(code))
    except Petition.DoesNotExist:
        raise Http404 from None
