"""The real site plus routes that break the access rules, for test_routes_machinery.py: the access
test must notice each of them."""

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import path, re_path
from ninja import NinjaAPI, Schema

from minsheng.api.auth import ApiKeyAuth, StaffTokenAuth, client_for_key
from minsheng.config.urls import urlpatterns as real_urlpatterns
from minsheng.petitions.access import attachment_for_user, petition_for_user
from minsheng.petitions.models import Petition, Petitioner
from minsheng.workbench.views import staff_required


@staff_required
def leaky_petition(request: HttpRequest, petition_id: int) -> HttpResponse:
    # wrong: no access helper
    return HttpResponse(Petition.objects.get(pk=petition_id).title)


@staff_required
def unmasked_petitioner(request: HttpRequest, petition_id: int) -> HttpResponse:
    # right helper, but the full resident ID on the page
    petition = petition_for_user(request.user, petition_id)
    return HttpResponse(" ".join(p.id_number for p in petition.petitioners.all()))


@staff_required
def nobody_gets_in(request: HttpRequest, petition_id: int) -> HttpResponse:
    raise Http404


@staff_required
def inline_attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    # right helper, but the browser is invited to render the file
    attachment = attachment_for_user(request.user, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=False, content_type="text/html")


@staff_required
def list_of_everything(request: HttpRequest) -> HttpResponse:
    return HttpResponse(" ".join(Petition.objects.values_list("number", flat=True)))


extra_api = NinjaAPI(urls_namespace="extra_api")


@extra_api.get("/things/{thing_id}", auth=None)
def thing(request: HttpRequest, thing_id: int) -> Any:
    return {"id": thing_id}


@extra_api.get("/petitioners/{petitioner_id}", auth=None)
def leaky_petitioner(request: HttpRequest, petitioner_id: int) -> Any:
    return JsonResponse({"phone": Petitioner.objects.get(pk=petitioner_id).phone})


@extra_api.get("/staff/petitions/{petition_id}", auth=StaffTokenAuth())
def staff_petition(request: HttpRequest, petition_id: int) -> Any:
    return {"number": petition_for_user(request.auth, petition_id).number}


@extra_api.get("/staff/leaky/{petition_id}", auth=StaffTokenAuth())
def staff_leaky(request: HttpRequest, petition_id: int) -> Any:
    return {"number": Petition.objects.get(pk=petition_id).number}


def _in_scope_of(client: Any, petition_id: int) -> Petition:
    found = Petition.objects.filter(pk=petition_id, registering_unit__path__startswith=client.unit.path).first()
    if found is None:
        raise Http404
    return found


@extra_api.post("/systems/petitions/{petition_id}", auth=ApiKeyAuth())
def system_petition(request: HttpRequest, petition_id: int) -> Any:
    return {"number": _in_scope_of(request.auth, petition_id).number}


@extra_api.post("/systems/leaky/{petition_id}", auth=ApiKeyAuth())
def system_leaky(request: HttpRequest, petition_id: int) -> Any:
    return {"number": Petition.objects.get(pk=petition_id).number}


class NoteIn(Schema):
    note: str


@extra_api.post("/systems/notes/{petition_id}", auth=ApiKeyAuth())
def system_note(request: HttpRequest, petition_id: int, payload: NoteIn) -> Any:
    return {"number": _in_scope_of(request.auth, petition_id).number, "note": payload.note}


def echoing_view(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    # an Open311-style answer that repeats the id it was asked for, found or not
    client = client_for_key(request.GET.get("api_key", "") or request.headers.get("X-API-Key", ""))
    if client is None:
        return JsonResponse({"description": "api_key missing"}, status=403)
    try:
        petition = _in_scope_of(client, int(request_id))
    except (Http404, ValueError):
        return JsonResponse([{"code": 404, "description": f"no request {request_id}"}], status=404, safe=False)
    return JsonResponse({"service_request_id": petition.number})


urlpatterns = [
    *real_urlpatterns[:-1],
    path("unsafe/leaky/<int:petition_id>/", leaky_petition, name="leaky_petition"),
    path("unsafe/unmasked/<int:petition_id>/", unmasked_petitioner, name="unmasked_petitioner"),
    path("unsafe/nobody/<int:petition_id>/", nobody_gets_in, name="nobody_gets_in"),
    path("unsafe/everything/", list_of_everything, name="list_of_everything"),
    path("unsafe/inline/<int:attachment_id>/", inline_attachment, name="inline_attachment"),
    path("unsafe-api/", extra_api.urls),
    re_path(r"^unsafe-311/requests/(?P<request_id>[^/]+?)\.(?P<fmt>json|xml)$", echoing_view, name="echoing_request"),
    real_urlpatterns[-1],
]
