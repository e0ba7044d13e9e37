"""A crawler that fetches everything a caller can reach and reports where given markers appear.

It finds the routes itself: every URL pattern in the project (pages, the REST API, Open311, the
admin, exports), with path parameters filled from the objects in the database (a parameter named
`petition_id` gets every Petition's id, `number` every petition or suggestion number, and so on),
then follows the links and forms it finds on the pages. Each URL is fetched with GET and with an
empty POST. A route added after this was written is crawled without anyone listing it.

Bodies are searched as text, as JSON escapes (`\\u6807`), URL-quoted, inside zip containers
(xlsx, docx) and as the text of PDFs (decision documents, exports: extracted with pypdf, also with
the line breaks a layout puts inside a word taken out); headers too (a file name in
Content-Disposition). A response it cannot read (a broken PDF) is reported, so that nothing can
slip past unread.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

from django.apps import apps
from django.db import models
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# Routes that would end the crawl's own session or change the language: never fetched.
SKIP_NAMES = {"logout", "set_language", "admin:logout", "admin:password_change", "admin:password_change_done"}
CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>[^>]+)>[^)]*\)")
PDF_TYPES = ("application/pdf",)
# Parameters whose values are a small known set (a format suffix, a catch-all path, a nature).
FIXED = {
    "fmt": ["json", "xml"],
    "format": ["json", "xml"],
    "path": ["x"],
    "url": ["x"],
    "nature": ["grievance", "suggestion", "accusation"],
}
# Text columns whose values are most likely what a string path parameter means.
PREFERRED_FIELDS = ("number", "locator", "token", "code", "service_code", "prefix")
STRINGS_PER_FIELD = 50
MAX_STRINGS = 40


def _pks(model: type[models.Model], limit: int = 200) -> list[str]:
    return [str(pk) for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:limit]]


class Candidates:
    """Plausible values for path parameters, from what the database holds (computed once)."""

    def __init__(self) -> None:
        self.models = [m for m in apps.get_models() if m._meta.app_label not in {"contenttypes", "sessions"}]
        self.cache: dict[tuple[str, str, str], list[str]] = {}

    def _by_stem(self, stem: str) -> list[type[models.Model]]:
        exact = [m for m in self.models if m._meta.model_name == stem]
        return exact or [m for m in self.models if stem and (m._meta.model_name or "").endswith(stem)]

    def _strings(self, param: str) -> list[str]:
        """Values of text columns named like the parameter first, then code-like unique columns."""
        named: list[str] = []
        preferred: list[str] = []
        coded: list[str] = []
        for model in self.models:
            for f in model._meta.get_fields():
                if not isinstance(f, models.CharField) or f.choices or not f.max_length or f.max_length > 40:
                    continue
                if f.name != param and not f.unique and f.name not in PREFERRED_FIELDS:
                    continue
                rows = model._default_manager.exclude(**{f.name: ""}).exclude(**{f"{f.name}__isnull": True})
                values = [str(v) for v in rows.order_by("pk").values_list(f.name, flat=True)[:STRINGS_PER_FIELD]]
                if f.name == param:
                    named.extend(values)
                elif f.name in PREFERRED_FIELDS:
                    preferred.extend(values)
                else:
                    coded.extend(values)
        ordered = [v for v in dict.fromkeys(named + preferred + coded) if v and "/" not in v]
        return ordered[:MAX_STRINGS] or ["x"]

    def __call__(self, param: str, converter: str, model: type[models.Model] | None = None) -> list[str]:
        key = (param, converter, model._meta.label if model else "")
        if key not in self.cache:
            self.cache[key] = self._compute(param, converter, model)
        return self.cache[key]

    def _compute(self, param: str, converter: str, model: type[models.Model] | None) -> list[str]:
        if model is not None and param in {"object_id", "pk", "id"}:
            return _pks(model) or ["1"]
        if param == "app_label":
            return sorted({m._meta.app_label for m in self.models})
        if param in FIXED:
            return FIXED[param]
        if converter == "int" or param.endswith(("_id", "_pk")) or param in {"pk", "id"}:
            stem = param.removesuffix("_id").removesuffix("_pk").replace("_", "")
            matched = self._by_stem(stem) if param not in {"pk", "id"} else []
            values = {pk for m in (matched or self.models) for pk in _pks(m, 50 if not matched else 200)}
            ids = sorted((v for v in values if v.isdigit()), key=int) or ["1"]
            if converter == "int":
                return ids
            # A text id (an Open311 request id may be a case number): the ids, then code-like values.
            return list(dict.fromkeys(ids + self._strings(param)))[: len(ids) + MAX_STRINGS]
        return self._strings(param)


def _admin_model(name: str) -> type[models.Model] | None:
    """The model behind an admin route name ("admin:orgs_unit_change", "admin:orgs_user_password_change")."""
    if not name.startswith("admin:"):
        return None
    rest = name.removeprefix("admin:")
    for label in sorted(apps.app_configs, key=len, reverse=True):
        if rest.startswith(label + "_"):
            model_name = rest[len(label) + 1 :].split("_")[0]
            try:
                model = apps.get_model(label, model_name)
            except LookupError:
                return None
            return None if model._meta.swapped else model
    return None


def _expand(route: str, values: Candidates, model: type[models.Model] | None) -> Iterator[str]:
    """Every URL of one route pattern, its parameters filled with candidate values."""
    found = list(CONVERTER.finditer(route))
    if not found:
        yield route
        return
    first = found[0]
    for value in values(first["name"], first["conv"] or "str", model):
        yield from _expand(route[: first.start()] + quote(value, safe="") + route[first.end() :], values, model)


def _regex_to_route(regex: str) -> str | None:
    body = regex.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    body = NAMED_GROUP.sub(lambda m: f"<{m['name']}>", body)
    if any(c in body for c in "()[]*+?|{}"):
        return None
    return body


def routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(route template, qualified name) for every pattern in the project."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            piece: str | None = str(pattern._route)
        elif isinstance(pattern, RegexPattern):
            piece = _regex_to_route(pattern._regex)
        else:
            piece = None
        if piece is None:
            continue
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from routes(entry, prefix + piece, ns or "")
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield "/" + prefix + piece, name


def all_urls() -> list[str]:
    values = Candidates()
    urls: list[str] = []
    for route, name in routes():
        if name in SKIP_NAMES or name.endswith(":logout") or name == "admin:view_on_site":
            continue
        urls.extend(_expand(route, values, _admin_model(name)))
    return sorted(set(urls))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value and key in {"href", "action", "src"} and tag in {"a", "form", "link", "iframe"}:
                self.links.add(value)


def links_in(html: str) -> set[str]:
    parser = _Links()
    parser.feed(html)
    out = set()
    for link in parser.links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static/"):
            continue
        out.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _without(text: str, url: str) -> str:
    path = url.split("?")[0]
    for form in {url, path, quote(url, safe=""), quote(path, safe="")}:
        text = text.replace(form, " ")
    return text


def _encodings(marker: str) -> set[str]:
    return {marker, json.dumps(marker)[1:-1], quote(marker), quote(marker, safe="")}


def texts_of(response: HttpResponseBase) -> tuple[list[str], str | None]:
    """The searchable texts of a response, or the reason it could not be read."""
    streaming = getattr(response, "streaming", False)
    body = b"".join(response.streaming_content) if streaming else response.content  # type: ignore[attr-defined]
    headers = " ".join(f"{k}: {v}" for k, v in response.items())
    content_type = response.get("Content-Type", "")
    texts = [headers, body.decode("utf-8", errors="ignore")]
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            texts.extend(archive.read(n).decode("utf-8", errors="ignore") for n in archive.namelist())
    elif any(content_type.startswith(t) for t in PDF_TYPES) or body[:5] == b"%PDF-":
        try:
            text = pdf_text(body)
        except Exception as exc:
            return texts, f"cannot read {content_type or 'PDF'}: {exc!r}"
        if not text.strip():
            return texts, f"no text in {content_type or 'PDF'} (an image-only document cannot be checked)"
        texts.extend([text, re.sub(r"\s+", "", text)])
    return texts, None


def pdf_text(body: bytes) -> str:
    """The text of every page of a PDF, and of its metadata (a title can carry a name too)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    pages = [page.extract_text() or "" for page in reader.pages]
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    return "\n".join([meta, *pages])


def _takes_post(url: str, result: Crawl) -> bool:
    """POST where GET is refused (POST-only actions, APIs) or the page posts a form to itself."""
    if url.startswith("/admin/"):
        return False  # the admin's forms need their full data; an empty POST only re-renders them
    status = result.fetched.get(f"GET {url}")
    if status in {405, 401, 403}:
        return True
    html = result.pages.get(url, "")
    return bool(re.search(r"<form[^>]*method=\"post\"(?![^>]*action=)", html, re.I))


@dataclass
class Crawl:
    """What one caller fetched, and every place a marker showed up."""

    fetched: dict[str, int] = field(default_factory=dict)
    leaks: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)

    def ok(self, url: str) -> bool:
        return self.fetched.get(f"GET {url}") == 200


def crawl(
    client: Client,
    markers: Iterable[str],
    *,
    extra: dict[str, Any] | None = None,
    start: Iterable[str] = ("/",),
    relogin: Callable[[Client], None] | None = None,
    max_requests: int = 6000,
) -> Crawl:
    """Fetch every route (GET and an empty POST) and every link found, as `client` is signed in."""
    encoded = {m: _encodings(m) for m in markers}
    result = Crawl()
    queue = list(dict.fromkeys([*start, "/admin/", *all_urls()]))
    seen: set[str] = set()
    variants: dict[str, int] = {}
    extra = extra or {}
    while queue and len(result.fetched) < max_requests:
        url = queue.pop(0)
        if url in seen:
            continue
        if url.startswith("/admin/") and url != "/admin/" and result.fetched.get("GET /admin/") not in (None, 200):
            continue  # the admin site refused this caller at its door: nothing inside is reachable
        seen.add(url)
        for method in ("get", "post"):
            if method == "post" and not _takes_post(url, result):
                continue
            if relogin is not None:
                relogin(client)
            response = getattr(client, method)(url, **extra)
            result.fetched[f"{method.upper()} {url}"] = response.status_code
            texts, problem = texts_of(response)
            # What the caller sent and the server merely echoes (a redirect to the same path) is no leak.
            texts = [_without(text, url) for text in texts]
            if problem:
                result.unreadable.append(f"{method.upper()} {url}: {problem}")
            for marker, forms in encoded.items():
                if any(form in text for form in forms for text in texts):
                    result.leaks.append(f"{method.upper()} {url} ({response.status_code}) shows {marker!r}")
            if method == "get" and response.status_code == 200 and "html" in response.get("Content-Type", ""):
                html = texts[1]
                result.pages[url] = html
                for link in links_in(html):
                    path = link.split("?")[0]
                    # Sort orders and filters of one list are the same page: a few of each suffice.
                    if link not in seen and (link == path or variants.setdefault(path, 0) < 3):
                        variants[path] = variants.get(path, 0) + (link != path)
                        queue.append(link)
    return result
