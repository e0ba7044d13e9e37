"""The route-enumerating access test's machinery: every URL and API route, classified and probed.

Every app lists its routes in ONE place, `src/minsheng/<app>/tests/access_routes.py`:

    from minsheng.core.testing.routes import Public, SignedIn, StaffObject, ApiOperation

    ROUTES = [
        SignedIn("workbench:petitions"),
        StaffObject("workbench:petition", lambda w: {"petition_id": w.petition.pk}),
        ApiOperation("GET /api/v1/petitions/<int:petition_id>", auth="staff",
                     kwargs=lambda w: {"petition_id": w.petition.pk}),
    ]
    # Objects of a new type, made in county B's unit (w.units.b), become w.<name>:
    OBJECTS = {"export": lambda w: make_export_in_county_b(w)}

`test_routes_access.py` walks Django's URL resolver (django-ninja operations included, one key per
method) and fails when a route is in no registry, or a registry names a route that is gone. Then
it probes each route as its kind says (see each class): people of every role in county A try county
B's petition, attachment, event and any registered object, and must get 404, the same 404 as for an
id that does not exist, with nothing written to the audit trail; someone entitled (the city bureau,
above county B) must get through, so a route that answers 404 to everyone fails too; and no
response to anyone carries the full resident ID, phone or address of a petitioner unless the route
is the reveal action itself; and every file is sent as an attachment with nosniff.
"""

from __future__ import annotations

import importlib
import inspect
import json as json_module
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

KEY_HELP = (
    "classify it in src/minsheng/<app>/tests/access_routes.py (see docs/ARCHITECTURE.md, "
    "'The route-enumerating access test')"
)
Kwargs = Callable[[Any], dict[str, Any]]


# --- The kinds of route -----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str

    def covers(self, key: str) -> bool:
        return key == self.key


@dataclass(frozen=True)
class Public(Route):
    """Open to anyone (sign-in, language switch, the citizens' portal, API description).

    Probe: an anonymous request does not fail and shows nothing of county B's petition."""

    reason: str = ""
    methods: tuple[str, ...] = ("GET",)
    kwargs: Kwargs | None = None
    data: Kwargs | None = None


@dataclass(frozen=True)
class SignedIn(Route):
    """A staff page without an object id: a list, a search, a form, a dashboard.

    Probe: anonymous visitors are turned away; people of every role in county A get a page with
    nothing of county B's petition in it, also when they search for its title (`?q=`)."""

    methods: tuple[str, ...] = ("GET",)
    data: Kwargs | None = None


@dataclass(frozen=True)
class StaffObject(Route):
    """A staff page about one object, reached through its `<thing>_for_user` access helper.

    Probe: people of every role in county A get 404 for county B's object, byte for byte the 404 of
    a missing id, and the audit trail does not move; `ok_as` (default: the city registrar, whose
    unit is above county B) gets through."""

    kwargs: Kwargs = field(default=lambda w: {})
    methods: tuple[str, ...] = ("GET",)
    data: Kwargs | None = None
    ok_as: str = "city_registrar"
    # kwargs naming an object that does not exist (default: every int id set to 10**9)
    missing_kwargs: Kwargs | None = None
    # Only the reveal action may show full personal data, and only to someone entitled.
    reveals: bool = False


@dataclass(frozen=True)
class AdminSite(Route):
    """Every route under a Django admin namespace (key = the namespace).

    Probe: anonymous visitors and signed-in staff who are not admins are refused; no admin page
    edits a model with encrypted personal data."""

    def covers(self, key: str) -> bool:
        return key.startswith(f"{self.key}:") or key.startswith(f"path:/{self.key}/")


@dataclass(frozen=True)
class ApiOperation(Route):
    """One machine-interface operation: a django-ninja operation keyed "METHOD /path/<conv:name>",
    or a plain Django view (Open311) keyed by its URL name, with `method` saying how to call it.

    auth="none": probed like Public. Otherwise callers without credentials are refused (401/403)
    and each person of county A calls with credentials of their own: a staff bearer token
    (auth="staff"), a session (auth="session"), or an integrating system of their own unit with
    every scope (auth="key", sent as X-API-Key). For an object operation (`object`, by default
    when `kwargs` are given) they get 404 for county B's object, the same 404 as for a missing id
    (ids the answer merely echoes aside), with no audit row; and the insider gets through:
    `ok_credentials(world)` (request headers, e.g. county B's own system's key) or else `ok_as`'s
    credentials. Otherwise their answers hold nothing of county B. `data` is sent as the query
    string of a GET, else as a form body, or as JSON with `json=True`."""

    auth: str = "staff"
    kwargs: Kwargs | None = None
    data: Kwargs | None = None
    ok_as: str = "city_registrar"
    ok_credentials: Kwargs | None = None
    missing_kwargs: Kwargs | None = None
    reveals: bool = False
    http_method: str = "GET"
    json: bool = False
    object: bool | None = None

    @property
    def method(self) -> str:
        head, _, rest = self.key.partition(" ")
        return head if rest.startswith("/") else self.http_method

    @property
    def is_object(self) -> bool:
        return self.kwargs is not None if self.object is None else self.object


# --- Enumerating the URL resolver -------------------------------------------------------------


@dataclass(frozen=True)
class FoundRoute:
    key: str
    route: str  # "/workbench/petitions/<int:petition_id>/"
    name: str  # "workbench:petition", or "" when unnamed


def _ninja_methods(callback: Any) -> list[str] | None:
    """The HTTP methods of a django-ninja path view, or None for an ordinary Django view."""
    try:
        from ninja.operation import PathView
    except ImportError:  # pragma: no cover
        return None
    try:
        owner = inspect.getclosurevars(callback).nonlocals.get("self")
    except TypeError:
        return None
    if not isinstance(owner, PathView):
        return None
    return sorted({method for operation in owner.operations for method in operation.methods})


def _walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[FoundRoute]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, route, full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            methods = _ninja_methods(entry.callback)
            if methods is not None:
                for method in methods:
                    yield FoundRoute(key=f"{method} /{route}", route=f"/{route}", name=name)
            elif name:
                yield FoundRoute(key=name, route=f"/{route}", name=name)
            else:
                yield FoundRoute(key=f"path:/{route}", route=f"/{route}", name="")


def all_routes(urlconf: str | None = None) -> dict[str, FoundRoute]:
    """Every route the site answers, by classification key."""
    return {found.key: found for found in _walk(get_resolver(urlconf).url_patterns, "", "")}


def registered_routes() -> list[Route]:
    """The ROUTES of every app's tests/access_routes.py."""
    found: list[Route] = []
    for module in _registry_modules():
        found.extend(getattr(module, "ROUTES", []))
    return found


def registered_objects() -> dict[str, Callable[[Any], Any]]:
    objects: dict[str, Callable[[Any], Any]] = {}
    for module in _registry_modules():
        objects.update(getattr(module, "OBJECTS", {}))
    return objects


def _registry_modules() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("minsheng."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.access_routes"))
        except ModuleNotFoundError as exc:
            if exc.name not in {f"{config.name}.tests", f"{config.name}.tests.access_routes"}:
                raise
    return modules


def classification_problems(urlconf: str | None = None, routes: list[Route] | None = None) -> list[str]:
    """Routes nobody classified, registry entries that match no route, and double entries."""
    routes = registered_routes() if routes is None else routes
    found = all_routes(urlconf)
    problems = []
    for key in sorted(found):
        matching = [r for r in routes if r.covers(key)]
        if not matching:
            problems.append(f"unclassified route {key!r} ({found[key].route}): {KEY_HELP}")
        elif len({getattr(r, "method", "") for r in matching}) < len(matching):
            # one entry per route, or per HTTP method of an ApiOperation keyed by URL name
            problems.append(f"route {key!r} is classified {len(matching)} times")
    for route in routes:
        if not any(route.covers(key) for key in found):
            problems.append(f"{type(route).__name__}({route.key!r}) names no route: remove or correct it")
    return problems


def path_for(found: FoundRoute, kwargs: dict[str, Any] | None) -> str:
    if found.name and not found.key.split(" ", 1)[0].isupper():
        try:
            return reverse(found.name, kwargs=kwargs or None)
        except NoReverseMatch as exc:
            raise AssertionError(f"{found.key}: kwargs {kwargs} do not fit the route ({exc})") from None
    kwargs = kwargs or {}

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in kwargs:
            raise AssertionError(f"{found.key}: kwargs lack {name!r}")
        return str(kwargs[name])

    return re.sub(r"<(?:\w+:)?(\w+)>", value, found.route)


# --- The world: county B's objects, and people of every role in county A -----------------------

# A checksum-valid resident ID and a phone that appear nowhere else: any response carrying them
# in full has leaked county B's petitioner.
SECRET_ID = "430103197506152463"  # noqa: S105 - personal data, not a password
SECRET_PHONE = "13912345678"  # noqa: S105
SECRET_ADDRESS = "天心区暗号路77号秘密小区"  # noqa: S105
MARKER_TITLE = "天心区的事项独有标题"


def build_world(org: Any) -> SimpleNamespace:
    """County B's petition (with an attachment and its events) and the cast that probes it."""
    from minsheng.core.actors import Actor
    from minsheng.orgs.roles import Role
    from minsheng.orgs.services import user_create
    from minsheng.petitions.services import PetitionerInput, PetitionInput, UploadInput, petition_register

    registration = petition_register(
        actor=Actor.staff(org.registrar_b),
        unit=org.units.b,
        data=PetitionInput(
            channel="letter",
            nature="grievance",
            title=MARKER_TITLE,
            request="请求依法处理。",
            facts="天心区的事实和理由。",
            petitioners=[
                PetitionerInput(name="天心区信访人", id_number=SECRET_ID, phone=SECRET_PHONE, address=SECRET_ADDRESS)
            ],
            attachments=[UploadInput(name="b.txt", content=b"county B")],
        ),
    )
    petition = registration.petition
    world = SimpleNamespace(
        org=org,
        units=org.units,
        petition=petition,
        query_code=registration.query_code,
        petitioner=petition.petitioners.get(),
        attachment=petition.attachments.get(),
        event=petition.events.order_by("id").first(),
        markers=[MARKER_TITLE, petition.number],
        secrets=[SECRET_ID, SECRET_PHONE, SECRET_ADDRESS],
    )
    # People of every role in county A (its bureau, and its departments), none above county B.
    outsiders = {
        name: getattr(org, name) for name in ("registrar_a", "handler_a", "unit_head_a", "handler_hr_a", "reviewer_a")
    }
    for role in Role:
        name = f"{role.value}_in_a"
        outsiders[name] = user_create(
            actor=Actor.system("access test"),
            username=name,
            password=None,
            full_name=name,
            unit=org.units.a,
            roles=[role],
        )
    outsiders["handler_city_housing"] = user_create(
        actor=Actor.system("access test"),
        username="handler_city_housing",
        password=None,
        full_name="handler_city_housing",
        unit=org.units.city_housing,
        roles=[Role.HANDLER],
    )
    world.outsiders = outsiders
    for name, make in registered_objects().items():
        setattr(world, name, make(world))
    return world


# --- Probing ----------------------------------------------------------------------------------


def response_text(response: Any) -> str:
    """The body as text, with the XML inside Office files (exports) unpacked so it is searched too."""
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if body[:2] == b"PK":
        try:
            with zipfile.ZipFile(BytesIO(body)) as archive:
                return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return body.decode("utf-8", "replace")


def _assert_nothing_of_b(world: Any, who: str, key: str, text: str, *, markers: bool = True, echoed: str = "") -> None:
    for secret in world.secrets:
        assert secret not in text, f"{key}: the response to {who} carries a petitioner's full personal data"
    if markers:
        # a search box may echo what was searched for; the case number must still not appear
        for marker in (m for m in world.markers if m != echoed):
            assert marker not in text, f"{key}: the response to {who} shows county B's petition ({marker})"


def _client() -> Client:
    # A view that crashes must fail the probe with the route's name, not abort it.
    return Client(raise_request_exception=False)


def _signed_in(user: Any) -> Client:
    from minsheng.accounts.testing import sign_in_client

    return sign_in_client(_client(), user)


def _request(
    client: Client, method: str, path: str, data: dict[str, Any] | None = None, *, json: bool = False, **extra: Any
) -> Any:
    if method == "GET":
        return client.get(path, data or {}, **extra)
    if json:
        return client.generic(method, path, json_module.dumps(data or {}), content_type="application/json", **extra)
    return client.generic(method, path, _encode(data or {}), content_type="application/x-www-form-urlencoded", **extra)


def _encode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


def _missing(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same kwargs naming an object that does not exist: int ids become 10**9 (or, with no int
    among them, every value gets a suffix). Routes with other ids set `missing_kwargs`."""
    if any(isinstance(v, int) for v in kwargs.values()):
        return {k: 10**9 if isinstance(v, int) else v for k, v in kwargs.items()}
    return {k: f"{v}missing" for k, v in kwargs.items()}


def _missing_for(route: Any, world: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return route.missing_kwargs(world) if route.missing_kwargs else _missing(kwargs)


def _same_404(forbidden: Any, missing: Any, kwargs: dict[str, Any], missing_kwargs: dict[str, Any]) -> bool:
    """Equal bodies, once the ids each request named (which an error message may echo) are blanked."""
    if forbidden.content == missing.content:
        return True
    a, b = forbidden.content.decode("utf-8", "replace"), missing.content.decode("utf-8", "replace")
    for name, value in kwargs.items():
        missing_value = missing_kwargs.get(name, value)
        if str(value) != str(missing_value):
            a = re.sub(rf"(?<![\w-]){re.escape(str(value))}(?![\w-])", f"<{name}>", a)
            b = re.sub(rf"(?<![\w-]){re.escape(str(missing_value))}(?![\w-])", f"<{name}>", b)
    return a == b


def _audit_count() -> int:
    from minsheng.core.models import AuditRecord

    return AuditRecord.objects.count()


def _assert_safe_download(key: str, response: Any) -> None:
    """A file is always handed over as a download the browser will not render or sniff."""
    if getattr(response, "streaming", False) or response.has_header("Content-Disposition"):
        assert response.get("Content-Disposition", "").startswith("attachment"), (
            f"{key}: a file must be sent with Content-Disposition: attachment"
        )
        assert response.get("X-Content-Type-Options") == "nosniff", f"{key}: a file must be sent with nosniff"


def _anonymous_refused(response: Any) -> bool:
    if response.status_code in {401, 403, 404}:
        return True
    return response.status_code == 302 and "/login/" in response["Location"]


def probe(route: Route, found: FoundRoute, world: Any) -> None:
    """Probe one route as its kind says; raise AssertionError naming the route and the person."""
    if isinstance(route, Public):
        _probe_public(route, found, world)
    elif isinstance(route, SignedIn):
        _probe_signed_in(route, found, world)
    elif isinstance(route, StaffObject):
        _probe_object(route, found, world)
    elif isinstance(route, AdminSite):
        _probe_admin(route, world)
    elif isinstance(route, ApiOperation):
        _probe_api(route, found, world)
    else:  # pragma: no cover
        raise AssertionError(f"unknown kind of route {route!r}")


def _probe_public(route: Public, found: FoundRoute, world: Any) -> None:
    path = path_for(found, route.kwargs(world) if route.kwargs else None)
    for method in route.methods:
        response = _request(_client(), method, path, route.data(world) if route.data else None)
        assert response.status_code < 500, f"{route.key}: {method} answers {response.status_code}"
        _assert_nothing_of_b(world, "an anonymous visitor", route.key, response_text(response))


def _probe_signed_in(route: SignedIn, found: FoundRoute, world: Any) -> None:
    path = path_for(found, None)
    for method in route.methods:
        response = _request(_client(), method, path, route.data(world) if route.data else None)
        assert _anonymous_refused(response), f"{route.key}: an anonymous {method} got {response.status_code}"
    for name, user in world.outsiders.items():
        client = _signed_in(user)
        for method in route.methods:
            data = route.data(world) if route.data else None
            for query in ({}, {"q": MARKER_TITLE}) if method == "GET" else ({},):
                response = _request(client, method, path, {**(data or {}), **query})
                assert response.status_code < 500, f"{route.key}: {method} as {name} answers {response.status_code}"
                _assert_nothing_of_b(world, name, route.key, response_text(response), echoed=query.get("q", ""))


def _probe_object(route: StaffObject, found: FoundRoute, world: Any) -> None:
    kwargs = route.kwargs(world)
    missing_kwargs = _missing_for(route, world, kwargs)
    path, missing_path = path_for(found, kwargs), path_for(found, missing_kwargs)
    data = route.data(world) if route.data else None
    for method in route.methods:
        response = _request(_client(), method, path, data)
        assert _anonymous_refused(response), f"{route.key}: an anonymous {method} got {response.status_code}"
        _assert_nothing_of_b(world, "an anonymous visitor", route.key, response_text(response))
    for name, user in world.outsiders.items():
        client = _signed_in(user)
        before = _audit_count()
        for method in route.methods:
            forbidden = _request(client, method, path, data)
            missing = _request(client, method, missing_path, data)
            assert forbidden.status_code == 404, (
                f"{route.key}: {name} (county A) got {forbidden.status_code} for county B's object, not 404"
            )
            assert missing.status_code == 404 and _same_404(forbidden, missing, kwargs, missing_kwargs), (
                f"{route.key}: for {name}, county B's object and a missing one answer differently"
            )
        assert _audit_count() == before, f"{route.key}: a refused request by {name} wrote to the audit trail"
    insider = getattr(world.org, route.ok_as, None) or world.outsiders[route.ok_as]
    client = _signed_in(insider)
    for method in route.methods:
        response = _request(client, method, path, data)
        assert response.status_code != 404 and response.status_code < 500, (
            f"{route.key}: {route.ok_as}, who may see county B's object, got {response.status_code} "
            "(check the route's kwargs and ok_as)"
        )
        _assert_safe_download(route.key, response)
        if not (route.reveals and method != "GET"):
            _assert_nothing_of_b(world, route.ok_as, route.key, response_text(response), markers=False)


def _probe_admin(route: AdminSite, world: Any) -> None:
    from django.contrib import admin
    from django.test import RequestFactory

    from minsheng.core.crypto import EncryptedTextField

    index = f"/{route.key}/"
    assert _anonymous_refused(_client().get(index)), f"{route.key}: anonymous visitors reach the admin"
    for name, user in world.outsiders.items():
        response = _signed_in(user).get(index)
        assert response.status_code in {302, 403}, f"{route.key}: {name}, not an admin, got {response.status_code}"
    for model, model_admin in admin.site._registry.items():
        encrypted = {f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)}
        request = RequestFactory().get(index)
        request.user = world.org.admin
        shown = set(model_admin.get_fields(request)) if encrypted else set()
        assert not encrypted & shown, f"the admin edits {model.__name__}'s personal data {encrypted & shown}"


def _api_credentials(route: ApiOperation, user: Any, world: Any) -> tuple[Client, dict[str, str]]:
    from minsheng.core.actors import Actor

    if route.auth == "staff":
        from minsheng.api.auth import staff_token_create

        _token, secret = staff_token_create(actor=Actor.system("access test"), user=user, name="access test")
        return _client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if route.auth == "key":
        from minsheng.api.auth import api_client_create
        from minsheng.api.models import Scope

        _api_client, secret = api_client_create(
            actor=Actor.system("access test"),
            name=f"access test {user.unit_id} {user.pk}",
            unit=user.unit,
            scopes=Scope.values,
        )
        return _client(), {"HTTP_X_API_KEY": secret}
    if route.auth == "session":
        return _signed_in(user), {}
    raise AssertionError(f"{route.key}: unknown auth {route.auth!r}")


def _probe_api(route: ApiOperation, found: FoundRoute, world: Any) -> None:
    method = route.method
    kwargs = route.kwargs(world) if route.kwargs else None
    path = path_for(found, kwargs)
    data = route.data(world) if route.data else None

    def call(client: Client, target: str, **headers: str) -> Any:
        return _request(client, method, target, data, json=route.json, **headers)

    anonymous = call(_client(), path)
    if route.auth == "none":
        assert anonymous.status_code < 500, f"{route.key}: answers {anonymous.status_code}"
        _assert_nothing_of_b(world, "an anonymous caller", route.key, response_text(anonymous))
        return
    assert anonymous.status_code in {401, 403}, f"{route.key}: a caller without credentials got {anonymous.status_code}"
    for name, user in world.outsiders.items():
        client, headers = _api_credentials(route, user, world)
        before = _audit_count()
        response = call(client, path, **headers)
        if not route.is_object:
            assert response.status_code < 500, f"{route.key}: as {name} answers {response.status_code}"
            _assert_nothing_of_b(world, name, route.key, response_text(response))
            continue
        assert kwargs is not None, f"{route.key}: an object operation needs kwargs"
        missing_kwargs = _missing_for(route, world, kwargs)
        missing = call(client, path_for(found, missing_kwargs), **headers)
        assert response.status_code == 404, f"{route.key}: {name} (county A) got {response.status_code}, not 404"
        assert missing.status_code == 404 and _same_404(response, missing, kwargs, missing_kwargs), (
            f"{route.key}: for {name}, county B's object and a missing one answer differently"
        )
        assert _audit_count() == before, f"{route.key}: a refused request by {name} wrote to the audit trail"
    if route.is_object:
        if route.ok_credentials is not None:
            client, headers, insider_name = _client(), route.ok_credentials(world), "county B's own credentials"
        else:
            insider = getattr(world.org, route.ok_as, None) or world.outsiders[route.ok_as]
            (client, headers), insider_name = _api_credentials(route, insider, world), route.ok_as
        response = call(client, path, **headers)
        assert response.status_code != 404 and response.status_code < 500, (
            f"{route.key}: {insider_name}, entitled to county B's object, got {response.status_code}"
        )
        _assert_safe_download(route.key, response)
        if not route.reveals:
            _assert_nothing_of_b(world, insider_name, route.key, response_text(response), markers=False)
